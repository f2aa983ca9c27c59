// OpenTelemetry traces of runs and nodes, built from the persisted run event stream and exported
// with OTLP/HTTP JSON (POST <endpoint>/v1/traces) when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, the full URL) is set. One trace per run: a "run" span from
// run.started to the run's stop (finished, failed, cancelled, or waiting for an approval), and a child
// span per node attempt. Spans are batched (every second or 256 spans) and a failed export is dropped
// with a warning, so a missing collector never slows runs down.
import { randomBytes } from "node:crypto";
import type { RunEvent } from "@/lib/contracts/events";
import { logger } from "./logger";

type AttrValue = string | number | boolean;
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttrValue>;
  status: { code: 0 | 1 | 2; message?: string };
}

interface OpenRun {
  traceId: string;
  spanId: string;
  startMs: number;
  attributes: Record<string, AttrValue>;
  nodes: Map<string, { spanId: string; startMs: number; nodeId: string; kind: string; attempt: number }>;
  touchedAt: number;
}

export interface TracerOptions {
  /** Full traces URL, e.g. http://127.0.0.1:4318/v1/traces. */
  url: string;
  serviceName?: string;
  headers?: Record<string, string>;
  flushIntervalMs?: number;
  maxBatch?: number;
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

function attr(key: string, v: AttrValue) {
  if (typeof v === "boolean") return { key, value: { boolValue: v } };
  if (typeof v === "number") return Number.isInteger(v) ? { key, value: { intValue: String(v) } } : { key, value: { doubleValue: v } };
  return { key, value: { stringValue: v } };
}

/** Turns run events into spans and exports them over OTLP/HTTP JSON. */
export class RunTracer {
  private readonly runs = new Map<string, OpenRun>();
  private queue: Span[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inflight: Promise<void> = Promise.resolve();
  exported = 0;
  failures = 0;

  constructor(private readonly o: TracerOptions) {}

  /** Feeds persisted events (any runs, in seq order per run). */
  record(events: readonly RunEvent[]): void {
    for (const e of events) this.one(e);
    if (this.queue.length >= (this.o.maxBatch ?? 256)) void this.flush();
    else if (this.queue.length && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.o.flushIntervalMs ?? 1000);
      this.timer.unref?.();
    }
  }

  private run(e: RunEvent): OpenRun {
    let r = this.runs.get(e.runId);
    if (!r) {
      // A run seen first mid-way (server restart): its span starts here.
      r = { traceId: hex(16), spanId: hex(8), startMs: e.ts, attributes: { "aura.run.id": e.runId }, nodes: new Map(), touchedAt: Date.now() };
      this.runs.set(e.runId, r);
      if (this.runs.size > 10_000) this.runs.delete(this.runs.keys().next().value!);
    }
    r.touchedAt = Date.now();
    return r;
  }

  private nodeKey(e: { nodeId: string; scope?: string[]; itemIndex?: number }) {
    return `${(e.scope ?? []).join("/")}|${e.nodeId}|${e.itemIndex ?? ""}`;
  }

  private endRun(r: OpenRun, runId: string, endMs: number, status: Span["status"], extra: Record<string, AttrValue>) {
    // Node spans still open (cancel mid-node) end with the run.
    for (const n of r.nodes.values()) this.queue.push(this.nodeSpan(r, n, endMs, { code: 2, message: "run stopped" }, {}));
    r.nodes.clear();
    this.queue.push({
      traceId: r.traceId,
      spanId: r.spanId,
      name: "run",
      kind: 1,
      startMs: r.startMs,
      endMs,
      attributes: { ...r.attributes, ...extra },
      status,
    });
    this.runs.delete(runId);
  }

  private nodeSpan(
    r: OpenRun,
    n: { spanId: string; startMs: number; nodeId: string; kind: string; attempt: number },
    endMs: number,
    status: Span["status"],
    extra: Record<string, AttrValue>,
  ): Span {
    return {
      traceId: r.traceId,
      spanId: n.spanId,
      parentSpanId: r.spanId,
      name: `node ${n.nodeId}`,
      kind: 1,
      startMs: n.startMs,
      endMs: Math.max(endMs, n.startMs),
      attributes: {
        "aura.run.id": String(r.attributes["aura.run.id"]),
        "aura.node.id": n.nodeId,
        "aura.node.kind": n.kind,
        "aura.node.attempt": n.attempt,
        ...extra,
      },
      status,
    };
  }

  private one(e: RunEvent) {
    switch (e.type) {
      case "run.started": {
        const r = this.run(e);
        r.attributes["aura.workflow.name"] = e.workflowName;
        r.attributes["aura.run.resumed"] = e.resumed;
        break;
      }
      case "node.started": {
        const r = this.run(e);
        r.nodes.set(this.nodeKey(e), { spanId: hex(8), startMs: e.ts, nodeId: e.nodeId, kind: e.kind, attempt: e.attempt });
        break;
      }
      case "node.finished":
      case "node.failed": {
        const r = this.run(e);
        const k = this.nodeKey(e);
        const n = r.nodes.get(k) ?? { spanId: hex(8), startMs: e.ts - e.durationMs, nodeId: e.nodeId, kind: e.kind, attempt: e.attempt };
        r.nodes.delete(k);
        const extra: Record<string, AttrValue> = {};
        if (e.type === "node.finished") {
          if (e.model) extra["gen_ai.request.model"] = e.model;
          if (e.tokens) {
            extra["gen_ai.usage.input_tokens"] = e.tokens.input;
            extra["gen_ai.usage.output_tokens"] = e.tokens.output;
          }
          if (e.port) extra["aura.node.port"] = e.port;
        } else {
          extra["aura.error.code"] = e.error.code;
          extra["aura.error.handled"] = e.handled;
        }
        if (e.itemIndex !== undefined) extra["aura.node.item_index"] = e.itemIndex;
        this.queue.push(this.nodeSpan(r, n, e.ts, e.type === "node.finished" ? { code: 1 } : { code: 2, message: e.error.message.slice(0, 500) }, extra));
        break;
      }
      case "node.waiting": {
        const r = this.run(e);
        this.endRun(r, e.runId, e.ts, { code: 0 }, { "aura.run.status": "waiting", "aura.run.waiting_for": e.nodeId });
        break;
      }
      case "run.finished": {
        const r = this.run(e);
        this.endRun(
          r,
          e.runId,
          e.ts,
          { code: 1 },
          {
            "aura.run.status": "succeeded",
            "gen_ai.usage.input_tokens": e.tokens.input,
            "gen_ai.usage.output_tokens": e.tokens.output,
            "aura.run.cost_usd": e.costUsd,
          },
        );
        break;
      }
      case "run.failed": {
        const r = this.run(e);
        this.endRun(
          r,
          e.runId,
          e.ts,
          { code: 2, message: e.error.message.slice(0, 500) },
          { "aura.run.status": "failed", "aura.error.code": e.error.code, ...(e.nodeId ? { "aura.node.id": e.nodeId } : {}) },
        );
        break;
      }
      case "run.cancelled": {
        const r = this.runs.get(e.runId);
        if (r) this.endRun(r, e.runId, e.ts, { code: 0 }, { "aura.run.status": "cancelled" });
        break;
      }
      default:
        break;
    }
  }

  /** Sends the queued spans now. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const spans = this.queue.splice(0);
    if (!spans.length) return this.inflight;
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [attr("service.name", this.o.serviceName ?? "aura-studio")] },
          scopeSpans: [
            {
              scope: { name: "aura-studio.runs", version: "1" },
              spans: spans.map((s) => ({
                traceId: s.traceId,
                spanId: s.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: nanos(s.startMs),
                endTimeUnixNano: nanos(s.endMs),
                attributes: Object.entries(s.attributes).map(([k, v]) => attr(k, v)),
                status: s.status.message ? { code: s.status.code, message: s.status.message } : { code: s.status.code },
              })),
            },
          ],
        },
      ],
    };
    this.inflight = this.inflight.then(async () => {
      try {
        const res = await fetch(this.o.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...this.o.headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        this.exported += spans.length;
      } catch (err) {
        this.failures++;
        if (this.failures <= 3 || this.failures % 100 === 0)
          logger.warn("OTLP trace export failed; spans dropped", { url: this.o.url, spans: spans.length, err: String(err) });
      }
    });
    return this.inflight;
  }
}

/** The traces URL from the standard OTEL_* variables, or null when tracing is off. */
export function otlpTracesUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.OTEL_TRACES_EXPORTER === "none" || env.OTEL_SDK_DISABLED === "true") return null;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`;
  return null;
}

/** OTEL_EXPORTER_OTLP_HEADERS ("k=v,k2=v2") as an object. */
export function otlpHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS ?? "").split(",")) {
    const i = part.indexOf("=");
    if (i > 0) out[decodeURIComponent(part.slice(0, i).trim())] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
