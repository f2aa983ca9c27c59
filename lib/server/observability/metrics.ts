// Prometheus metrics on prom-client, kept in-process on globalThis (server.ts and Next's route bundles
// are separate copies of this module and must share one registry), fed from the persisted run event
// stream. Process and event-loop metrics are prom-client's defaults under the same `aura_` prefix.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry as PromRegistry } from "prom-client";
import { processSingleton } from "@/lib/process-singleton";
import type { RunEvent } from "@/lib/contracts/events";

/** Histogram bucket upper bounds in seconds. */
export const RUN_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
export const NODE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Every metric of the process, declared once with its labels (names are what dashboards query). */
function createMetrics(registers: PromRegistry[]) {
  return {
    runsQueued: new Counter({ name: "aura_runs_queued_total", help: "Runs queued (new, resumed or retried).", registers }),
    runsStarted: new Counter({ name: "aura_runs_started_total", help: "Runs that started or continued executing.", labelNames: ["resumed"], registers }),
    runsFinished: new Counter({ name: "aura_runs_finished_total", help: "Runs that stopped, by outcome.", labelNames: ["status"], registers }),
    runFailures: new Counter({ name: "aura_run_failures_total", help: "Failed runs by error code.", labelNames: ["code"], registers }),
    runDuration: new Histogram({
      name: "aura_run_duration_seconds",
      help: "Wall-clock duration of runs, by outcome.",
      labelNames: ["status"],
      buckets: RUN_DURATION_BUCKETS,
      registers,
    }),
    nodeExecutions: new Counter({
      name: "aura_node_executions_total",
      help: "Node attempts that ended, by kind and outcome.",
      labelNames: ["kind", "status"],
      registers,
    }),
    nodeDuration: new Histogram({
      name: "aura_node_duration_seconds",
      help: "Duration of node attempts, by kind.",
      labelNames: ["kind"],
      buckets: NODE_DURATION_BUCKETS,
      registers,
    }),
    nodeFailures: new Counter({
      name: "aura_node_failures_total",
      help: "Failed node attempts, by kind and whether an error output handled them.",
      labelNames: ["kind", "handled"],
      registers,
    }),
    nodeRetries: new Counter({ name: "aura_node_retries_total", help: "Node retries, by kind.", labelNames: ["kind"], registers }),
    tokens: new Counter({ name: "aura_tokens_total", help: "Model tokens, by direction.", labelNames: ["direction"], registers }),
    costUsd: new Counter({ name: "aura_cost_usd_total", help: "Model cost in US dollars.", registers }),
    approvalsRequested: new Counter({ name: "aura_approvals_requested_total", help: "Human approvals requested.", registers }),
    // Read at scrape time (metrics-snapshot.ts).
    runsByStatus: new Gauge({ name: "aura_runs", help: "Runs in the database, by status.", labelNames: ["status"], registers }),
    queueDepth: new Gauge({ name: "aura_queue_depth", help: "Runs waiting in this process's queues for a free slot of their workflow.", registers }),
    runsExecuting: new Gauge({ name: "aura_runs_executing", help: "Runs executing in this process's workers.", registers }),
  };
}

interface Registry {
  registry: PromRegistry;
  metrics: ReturnType<typeof createMetrics>;
}

function createRegistry(): Registry {
  const registry = new PromRegistry();
  // Resident memory keeps its old name (aura_process_resident_memory_bytes); event-loop delay is now
  // aura_nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds, heap aura_nodejs_heap_*.
  collectDefaultMetrics({ register: registry, prefix: "aura_", eventLoopMonitoringPrecision: 10 });
  return { registry, metrics: createMetrics([registry]) };
}

function registry(): Registry {
  return processSingleton<Registry>("metrics", createRegistry);
}

/** The process's prom-client registry, for modules that declare metrics of their own (retention). */
export function promRegistry(): PromRegistry {
  return registry().registry;
}

/** The process's metrics, for gauges set at scrape time. */
export function metrics(): Registry["metrics"] {
  return registry().metrics;
}

/** Label values come from documents and errors: keep them short and plain. */
const sanitize = (v: string) => v.replace(/[^a-zA-Z0-9_.:-]/g, "_").slice(0, 64);

/**
 * Counts a batch of persisted run events: runs queued / started / finished by status with their
 * durations, node executions by kind and status with durations, node failures and retries.
 */
export function recordRunEvents(events: readonly RunEvent[]): void {
  const m = metrics();
  for (const e of events) {
    switch (e.type) {
      case "run.queued":
        m.runsQueued.inc();
        break;
      case "run.started":
        m.runsStarted.inc({ resumed: String(e.resumed) });
        break;
      case "run.finished":
      case "run.failed":
      case "run.cancelled": {
        const status = e.type === "run.finished" ? "succeeded" : e.type === "run.failed" ? "failed" : "cancelled";
        m.runsFinished.inc({ status });
        if (e.type === "run.failed") m.runFailures.inc({ code: sanitize(e.error.code) });
        m.runDuration.observe({ status }, e.durationMs / 1000);
        break;
      }
      case "node.finished":
      case "node.failed": {
        const status = e.type === "node.finished" ? "succeeded" : "failed";
        const kind = sanitize(e.kind);
        m.nodeExecutions.inc({ kind, status });
        m.nodeDuration.observe({ kind }, e.durationMs / 1000);
        if (e.type === "node.failed") m.nodeFailures.inc({ kind, handled: String(e.handled) });
        if (e.type === "node.finished" && e.tokens) {
          m.tokens.inc({ direction: "input" }, e.tokens.input);
          m.tokens.inc({ direction: "output" }, e.tokens.output);
        }
        if (e.type === "node.finished" && e.costUsd) m.costUsd.inc(e.costUsd);
        break;
      }
      case "node.retrying":
        m.nodeRetries.inc({ kind: sanitize(e.kind) });
        break;
      case "node.waiting":
        m.approvalsRequested.inc();
        break;
      default:
        break;
    }
  }
}

/** The registry in Prometheus text exposition format 0.0.4. */
export async function renderPrometheus(): Promise<string> {
  const text = await registry().registry.metrics();
  // prom-client writes NaN (an event-loop statistic before any sample) as "Nan"; the format says "NaN".
  return text.replace(/ Nan$/gm, " NaN");
}

/** Zeroes every metric (tests). */
export function resetMetrics(): void {
  registry().registry.resetMetrics();
}
