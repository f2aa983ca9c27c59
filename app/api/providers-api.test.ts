// GET/PUT /api/providers: settings per workspace, validation, and breakers shared by the run workers
// (the HTTP request node's host breaker opens in a worker thread; the route on the main thread sees it).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, createWorkflow, req, startRun, useTestDatabase, waitForRun } from "@/test/api-harness";
import { buildWorkflow } from "@/lib/engine/testing";
import { DEFAULT_PROVIDER_SETTINGS } from "@/lib/contracts/providers-api";
import { testProviders } from "@/lib/db/testing";
import * as providersRoute from "./providers/route";

process.env.AURA_HTTP_ALLOW_PRIVATE = "1";

/** A host that always answers 503; a new one (new port, new breaker key) per suite, since breakers live per process. */
let failing: Server;
let calls = 0;
let host = "";
async function startFailingHost() {
  calls = 0;
  failing = createServer((_req, res) => {
    calls++;
    res.writeHead(503, { "content-type": "text/plain" }).end("down");
  });
  await new Promise<void>((r) => failing.listen(0, "127.0.0.1", r));
  host = `127.0.0.1:${(failing.address() as AddressInfo).port}`;
}

const providers = await testProviders();

describe.each(providers)("providers API (%s)", (provider) => {
  useTestDatabase(provider, { runs: true });
  beforeAll(startFailingHost);
  afterAll(() => new Promise<void>((r) => failing.close(() => r())));

  it("GET answers the defaults and no entries at first", async () => {
    const res = await providersRoute.GET(req("/api/providers"));
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({ defaults: DEFAULT_PROVIDER_SETTINGS, providers: [] });
  });

  it("PUT refuses bad input with issues, and stores a valid list", async () => {
    const bad = await providersRoute.PUT(
      req("/api/providers", { method: "PUT", json: { providers: [{ key: "openai", ...DEFAULT_PROVIDER_SETTINGS, failureThreshold: 0 }] } }),
    );
    expect(bad.status).toBe(400);
    const err = (await body(bad)).error;
    expect(err.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(err.issues)).toMatch(/model:<provider>/);
    const dup = await providersRoute.PUT(
      req("/api/providers", { method: "PUT", json: { providers: [1, 2].map(() => ({ key: "model:openai", ...DEFAULT_PROVIDER_SETTINGS })) } }),
    );
    expect(dup.status).toBe(400);
    const entry = { key: `http:${host}`, failureThreshold: 1, windowMs: 60_000, cooldownMs: 60_000, requestsPerMinute: 100, tokensPerMinute: 0 };
    const ok = await providersRoute.PUT(req("/api/providers", { method: "PUT", json: { providers: [entry] } }));
    expect(ok.status).toBe(200);
    expect((await body(ok)).providers).toEqual([entry]);
  });

  it("a failing host opens its breaker in a run worker; the next run fails fast with CIRCUIT_OPEN; GET shows it open", async () => {
    const id = await createWorkflow(
      buildWorkflow(
        [
          ["start", "start", { fields: [] }],
          ["call", "http-request", { url: `http://${host}/x`, allowedHosts: ["127.0.0.1"] }],
          ["o", "output", { value: "done" }],
        ],
        ["start->call", "call->o"],
      ),
    );
    const first = await waitForRun(await startRun(id), ["failed"]);
    expect(first.error.code).toBe("HTTP_503");
    const second = await waitForRun(await startRun(id), ["failed"]);
    expect(second.error.code).toBe("CIRCUIT_OPEN");
    expect(second.error.message).toMatch(new RegExp(`host "${host.replace(/\./g, "\\.")}" is open since`));
    expect(calls).toBe(1);
    const { breakers } = await body(await providersRoute.GET(req("/api/providers")));
    expect(breakers).toContainEqual(expect.objectContaining({ key: `http:${host}`, state: "open", history: [expect.objectContaining({ state: "open" })] }));
  });
});

describe("rate-limit waits in the topology stats", () => {
  it("a node.throttled wait counts as queue wait of its attempt", async () => {
    const { runNodeRecords } = await import("@/lib/server/topology-stats");
    const { aggregateRunStats } = await import("@/lib/topology");
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [] }],
        ["ag", "agent", { prompt: "x" }],
      ],
      ["start->ag"],
    );
    const e = (seq: number, ts: number, v: Record<string, unknown>) => ({ runId: "r", seq, ts, kind: "agent", nodeId: "ag", ...v }) as never;
    const records = runNodeRecords(
      doc,
      new Map([
        [
          "r",
          [
            e(0, 1000, { type: "node.started", attempt: 1 }),
            e(1, 1001, { type: "node.throttled", provider: "model:openai", phase: "waiting", limit: "requests", position: 1, etaMs: 700 }),
            e(2, 1700, { type: "node.throttled", provider: "model:openai", phase: "admitted", waitedMs: 699 }),
            e(3, 2000, { type: "node.finished", attempt: 1, durationMs: 1000 }),
          ],
        ],
      ]),
    );
    expect(records).toEqual([expect.objectContaining({ nodeId: "ag", status: "succeeded", queuedMs: 699 })]);
    expect(aggregateRunStats(records, { runs: 1 }).nodes.ag.queueWaitMs.mean).toBe(699);
  });
});
