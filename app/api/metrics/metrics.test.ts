// GET /api/metrics (Prometheus text format), traces over OTLP/HTTP JSON to a local receiver, and the
// JSON logger: all fed by publishRunEvents, like the server does after persisting events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunEvent } from "@/lib/contracts/events";
import { publishRunEvents } from "@/lib/realtime/registry";
import { setDatabase } from "@/lib/db/database";
import { seedRuns } from "@/lib/db/seed-runs";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { installObservability, logger, setLogSink } from "@/lib/server/observability";
import { bootstrapTestOwner, req } from "@/test/api-harness";
import { shutdownRunManager } from "@/lib/server/runs";
import * as metricsRoute from "./route";

const ev = (runId: string, seq: number, ts: number, v: Record<string, unknown>) => ({ runId, seq, ts, ...v }) as RunEvent;

/** A minimal OTLP/HTTP receiver: collects decoded JSON export requests. */
function otlpReceiver() {
  const bodies: any[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      paths.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
      bodies.push(JSON.parse(text));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  return new Promise<{ url: string; bodies: any[]; paths: string[]; close: () => void }>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, paths, close: () => server.close() }),
    ),
  );
}

/** Parses the exposition format strictly enough to catch malformed output. */
function parseExposition(text: string) {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.trimEnd().split("\n")) {
    if (line.startsWith("# HELP ") || line === "") continue; // the format ignores empty lines (prom-client separates families with one)
    const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (t) {
      types.set(t[1], t[2]);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/.exec(line);
    expect(m, `bad line: ${line}`).not.toBeNull();
    // Label order carries no meaning; prom-client writes `le` first, the keys below name it last.
    const labels = (m![2] ?? "").replace(/^\{le="([^"]*)",(.+)\}$/, '{$2,le="$1"}');
    samples.set(`${m![1]}${labels}`, Number(m![3]));
  }
  return { samples, types };
}

describe("observability", () => {
  let t: TestDatabase;
  let otlp: Awaited<ReturnType<typeof otlpReceiver>>;
  let tracer: ReturnType<typeof installObservability>["tracer"];
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    setDatabase(t.db);
    await bootstrapTestOwner(t.db);
    await seedRuns(t.db, { count: 50, workflows: [{ id: "wf_m", name: "M" }] });
    otlp = await otlpReceiver();
    ({ tracer } = installObservability({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: "aura-test" } as unknown as NodeJS.ProcessEnv));
    const t0 = Date.now() - 5000;
    publishRunEvents([
      ev("run_a", 0, t0, { type: "run.queued" }),
      ev("run_a", 1, t0 + 10, { type: "run.started", workflowName: "Metrics test", resumed: false }),
      ev("run_a", 2, t0 + 20, { type: "node.started", nodeId: "agent", kind: "agent", attempt: 1 }),
      ev("run_a", 3, t0 + 320, {
        type: "node.finished",
        nodeId: "agent",
        kind: "agent",
        attempt: 1,
        durationMs: 300,
        model: "sim",
        tokens: { input: 7, output: 9 },
        costUsd: 0.002,
      }),
      ev("run_a", 4, t0 + 330, { type: "node.started", nodeId: "t", kind: "transform", attempt: 1 }),
      ev("run_a", 5, t0 + 340, {
        type: "node.failed",
        nodeId: "t",
        kind: "transform",
        attempt: 1,
        durationMs: 10,
        error: { code: "TRANSFORM_ERROR", message: "boom" },
        handled: false,
      }),
      ev("run_a", 6, t0 + 350, { type: "run.failed", error: { code: "TRANSFORM_ERROR", message: "boom" }, nodeId: "t", durationMs: 340 }),
    ]);
    publishRunEvents([
      ev("run_b", 0, t0, { type: "run.started", workflowName: "Metrics test", resumed: false }),
      ev("run_b", 1, t0 + 1500, { type: "run.finished", result: null, durationMs: 1500, tokens: { input: 0, output: 0 }, costUsd: 0 }),
    ]);
  }, 60_000);
  afterAll(async () => {
    otlp?.close();
    await shutdownRunManager();
    setDatabase(null);
    await t?.drop();
  });

  it("GET /api/metrics answers valid Prometheus text with runs, nodes, histograms, queue depth and event-loop delay", async () => {
    const res = await metricsRoute.GET(req("/api/metrics"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseExposition(await res.text());
    expect(types.get("aura_runs_finished_total")).toBe("counter");
    expect(types.get("aura_run_duration_seconds")).toBe("histogram");
    expect(types.get("aura_node_duration_seconds")).toBe("histogram");
    expect(types.get("aura_runs")).toBe("gauge");
    expect(samples.get('aura_runs_finished_total{status="failed"}')).toBe(1);
    expect(samples.get('aura_runs_finished_total{status="succeeded"}')).toBe(1);
    expect(samples.get('aura_run_failures_total{code="TRANSFORM_ERROR"}')).toBe(1);
    expect(samples.get('aura_node_executions_total{kind="agent",status="succeeded"}')).toBe(1);
    expect(samples.get('aura_node_failures_total{kind="transform",handled="false"}')).toBe(1);
    expect(samples.get('aura_tokens_total{direction="output"}')).toBe(9);
    // Histogram: cumulative buckets, +Inf = count, sum in seconds.
    expect(samples.get('aura_run_duration_seconds_bucket{status="succeeded",le="1"}')).toBe(0);
    expect(samples.get('aura_run_duration_seconds_bucket{status="succeeded",le="2.5"}')).toBe(1);
    expect(samples.get('aura_run_duration_seconds_bucket{status="succeeded",le="+Inf"}')).toBe(1);
    expect(samples.get('aura_run_duration_seconds_sum{status="succeeded"}')).toBe(1.5);
    expect(samples.get('aura_node_duration_seconds_count{kind="agent"}')).toBe(1);
    // Gauges from the database and the process.
    const byStatus = await t.db.prisma.run.groupBy({ by: ["status"], _count: { _all: true } });
    for (const g of byStatus) expect(samples.get(`aura_runs{status="${g.status}"}`)).toBe(g._count._all);
    expect(samples.get("aura_queue_depth")).toBe(0);
    // Process and event-loop metrics are prom-client's defaults under the aura_ prefix.
    expect(types.get("aura_nodejs_eventloop_lag_p99_seconds")).toBe("gauge");
    expect(samples.has("aura_nodejs_eventloop_lag_p99_seconds")).toBe(true);
    expect(samples.get("aura_process_resident_memory_bytes")).toBeGreaterThan(1e6);
  });

  it("exports one trace per run over OTLP/HTTP JSON: a run span with node child spans", async () => {
    await tracer!.flush();
    expect(otlp.paths[0]).toBe("POST /v1/traces application/json");
    const rs = otlp.bodies.flatMap((b) => b.resourceSpans);
    expect(rs[0].resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "aura-test" } });
    const spans = rs.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    const attrs = (s: any) => Object.fromEntries(s.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]));
    const runA = spans.find((s: any) => s.name === "run" && attrs(s)["aura.run.id"] === "run_a");
    expect(runA).toBeTruthy();
    expect(runA.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(runA.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(runA.status).toMatchObject({ code: 2, message: "boom" });
    expect(attrs(runA)).toMatchObject({ "aura.workflow.name": "Metrics test", "aura.run.status": "failed", "aura.error.code": "TRANSFORM_ERROR" });
    const nodes = spans.filter((s: any) => s.traceId === runA.traceId && s.name.startsWith("node "));
    expect(nodes.map((s: any) => s.name).sort()).toEqual(["node agent", "node t"]);
    for (const n of nodes) expect(n.parentSpanId).toBe(runA.spanId);
    const agent = nodes.find((s: any) => s.name === "node agent");
    expect(BigInt(agent.endTimeUnixNano) - BigInt(agent.startTimeUnixNano)).toBe(300_000_000n);
    expect(attrs(agent)).toMatchObject({ "aura.node.kind": "agent", "gen_ai.request.model": "sim", "gen_ai.usage.output_tokens": "9" });
    expect(nodes.find((s: any) => s.name === "node t").status.code).toBe(2);
    const runB = spans.find((s: any) => s.name === "run" && attrs(s)["aura.run.id"] === "run_b");
    expect(runB.status.code).toBe(1);
    expect(runB.traceId).not.toBe(runA.traceId);
  });

  it("logs one JSON object per line with level, msg and context fields", () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    try {
      logger.child({ component: "runs" }).error("run launch failed", { runId: "run_x", workflowId: "wf_y", err: new Error("disk full") });
      logger.debug("hidden at the default level");
    } finally {
      setLogSink(null);
    }
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({
      level: "error",
      msg: "run launch failed",
      component: "runs",
      runId: "run_x",
      workflowId: "wf_y",
      err: { name: "Error", message: "disk full" },
    });
    expect(Date.parse(entry.time)).toBeGreaterThan(0);
  });
});
