// Prometheus metrics kept in-process on globalThis (server.ts and Next's route bundles are separate
// copies of this module and must share one registry), fed from the persisted run event stream.
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { RunEvent } from "@/lib/realtime/events";

/** Histogram bucket upper bounds in seconds. */
export const RUN_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
export const NODE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type Labels = Record<string, string>;
interface Hist {
  buckets: number[];
  counts: number[];
  sum: number;
  count: number;
}
interface Family {
  type: "counter" | "gauge" | "histogram";
  help: string;
  series: Map<string, { labels: Labels; value: number; hist?: Hist }>;
  buckets?: number[];
}

interface Registry {
  families: Map<string, Family>;
  loop: IntervalHistogram | null;
  startedAt: number;
}

const g = globalThis as { __auraMetrics?: Registry };
function registry(): Registry {
  return (g.__auraMetrics ??= { families: new Map(), loop: null, startedAt: Date.now() });
}

const key = (labels: Labels) => Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",");

function family(name: string, type: Family["type"], help: string, buckets?: number[]): Family {
  const r = registry();
  let f = r.families.get(name);
  if (!f) r.families.set(name, (f = { type, help, series: new Map(), buckets }));
  return f;
}

/** Adds to a counter. */
export function incCounter(name: string, help: string, labels: Labels = {}, by = 1): void {
  const f = family(name, "counter", help);
  const k = key(labels);
  const s = f.series.get(k);
  if (s) s.value += by;
  else f.series.set(k, { labels, value: by });
}

/** Sets a gauge. */
export function setGauge(name: string, help: string, labels: Labels, value: number): void {
  const f = family(name, "gauge", help);
  f.series.set(key(labels), { labels, value });
}

/** Records one observation in a histogram. */
export function observe(name: string, help: string, buckets: number[], labels: Labels, value: number): void {
  const f = family(name, "histogram", help, buckets);
  const k = key(labels);
  let s = f.series.get(k);
  if (!s) f.series.set(k, (s = { labels, value: 0, hist: { buckets, counts: new Array<number>(buckets.length).fill(0), sum: 0, count: 0 } }));
  const h = s.hist!;
  for (let i = 0; i < buckets.length; i++) if (value <= buckets[i]) h.counts[i]++;
  h.sum += value;
  h.count++;
}

/** Starts the event-loop delay monitor once per process. */
export function startEventLoopMonitor(): void {
  const r = registry();
  if (r.loop) return;
  r.loop = monitorEventLoopDelay({ resolution: 10 });
  r.loop.enable();
}

const sanitize = (v: string) => v.replace(/[^a-zA-Z0-9_.:-]/g, "_").slice(0, 64);

/**
 * Counts a batch of persisted run events: runs queued / started / finished by status with their
 * durations, node executions by kind and status with durations, node failures and retries.
 */
export function recordRunEvents(events: readonly RunEvent[]): void {
  for (const e of events) {
    switch (e.type) {
      case "run.queued":
        incCounter("aura_runs_queued_total", "Runs queued (new, resumed or retried).");
        break;
      case "run.started":
        incCounter("aura_runs_started_total", "Runs that started or continued executing.", { resumed: String(e.resumed) });
        break;
      case "run.finished":
      case "run.failed":
      case "run.cancelled": {
        const status = e.type === "run.finished" ? "succeeded" : e.type === "run.failed" ? "failed" : "cancelled";
        incCounter("aura_runs_finished_total", "Runs that stopped, by outcome.", { status });
        if (e.type === "run.failed") incCounter("aura_run_failures_total", "Failed runs by error code.", { code: sanitize(e.error.code) });
        observe("aura_run_duration_seconds", "Wall-clock duration of runs, by outcome.", RUN_DURATION_BUCKETS, { status }, e.durationMs / 1000);
        break;
      }
      case "node.finished":
      case "node.failed": {
        const status = e.type === "node.finished" ? "succeeded" : "failed";
        const kind = sanitize(e.kind);
        incCounter("aura_node_executions_total", "Node attempts that ended, by kind and outcome.", { kind, status });
        observe("aura_node_duration_seconds", "Duration of node attempts, by kind.", NODE_DURATION_BUCKETS, { kind }, e.durationMs / 1000);
        if (e.type === "node.failed") incCounter("aura_node_failures_total", "Failed node attempts, by kind and whether an error output handled them.", { kind, handled: String(e.handled) });
        if (e.type === "node.finished" && e.tokens) {
          incCounter("aura_tokens_total", "Model tokens, by direction.", { direction: "input" }, e.tokens.input);
          incCounter("aura_tokens_total", "Model tokens, by direction.", { direction: "output" }, e.tokens.output);
        }
        if (e.type === "node.finished" && e.costUsd) incCounter("aura_cost_usd_total", "Model cost in US dollars.", {}, e.costUsd);
        break;
      }
      case "node.retrying":
        incCounter("aura_node_retries_total", "Node retries, by kind.", { kind: sanitize(e.kind) });
        break;
      case "node.waiting":
        incCounter("aura_approvals_requested_total", "Human approvals requested.");
        break;
      default:
        break;
    }
  }
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const fmtLabels = (labels: Labels, extra?: [string, string]) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`);
  if (extra) parts.push(`${extra[0]}="${esc(extra[1])}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
};
const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN");

/** Refreshes the process gauges (event-loop delay, memory, uptime). */
function processGauges() {
  const r = registry();
  if (r.loop) {
    const h = r.loop;
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    setGauge("aura_event_loop_delay_ms", "Event-loop delay of the server process since start (perf_hooks), by statistic.", { stat: "mean" }, Math.round(ms(h.mean) * 100) / 100);
    for (const p of [50, 99]) setGauge("aura_event_loop_delay_ms", "Event-loop delay of the server process since start (perf_hooks), by statistic.", { stat: `p${p}` }, Math.round(ms(h.percentile(p)) * 100) / 100);
    setGauge("aura_event_loop_delay_ms", "Event-loop delay of the server process since start (perf_hooks), by statistic.", { stat: "max" }, Math.round(ms(h.max) * 100) / 100);
  }
  const mem = process.memoryUsage();
  setGauge("aura_process_resident_memory_bytes", "Resident set size of the server process.", {}, mem.rss);
  setGauge("aura_process_heap_used_bytes", "V8 heap in use.", {}, mem.heapUsed);
  setGauge("aura_process_uptime_seconds", "Seconds since the metrics registry started.", {}, Math.round((Date.now() - r.startedAt) / 1000));
}

/** The registry in Prometheus text exposition format 0.0.4. */
export function renderPrometheus(): string {
  processGauges();
  const out: string[] = [];
  const names = [...registry().families.keys()].sort();
  for (const name of names) {
    const f = registry().families.get(name)!;
    out.push(`# HELP ${name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`);
    out.push(`# TYPE ${name} ${f.type}`);
    for (const s of f.series.values()) {
      if (f.type !== "histogram") {
        out.push(`${name}${fmtLabels(s.labels)} ${num(s.value)}`);
        continue;
      }
      const h = s.hist!;
      h.buckets.forEach((b, i) => out.push(`${name}_bucket${fmtLabels(s.labels, ["le", String(b)])} ${h.counts[i]}`));
      out.push(`${name}_bucket${fmtLabels(s.labels, ["le", "+Inf"])} ${h.count}`);
      out.push(`${name}_sum${fmtLabels(s.labels)} ${num(Math.round(h.sum * 1e6) / 1e6)}`);
      out.push(`${name}_count${fmtLabels(s.labels)} ${h.count}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** Forgets every metric (tests). */
export function resetMetrics(): void {
  const r = registry();
  r.families.clear();
}
