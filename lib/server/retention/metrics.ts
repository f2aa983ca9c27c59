import "server-only";
import { Counter, Gauge, Histogram } from "prom-client";
import { processSingleton } from "@/lib/process-singleton";
import { promRegistry } from "../observability/metrics";

/** The pruner's metrics, on the process registry that /api/metrics renders. */
export function retentionMetrics() {
  return processSingleton("retentionMetrics", () => {
    const registers = [promRegistry()];
    return {
      passes: new Counter({
        name: "aura_retention_passes_total",
        help: "Retention passes, by outcome (done, skipped: another process held the lock, failed).",
        labelNames: ["outcome"],
        registers,
      }),
      deleted: new Counter({
        name: "aura_retention_deleted_total",
        help: "Rows deleted by retention, by kind (runs, events, checkpoints, writes, blobs, audit).",
        labelNames: ["kind"],
        registers,
      }),
      runsPruned: new Counter({ name: "aura_retention_runs_pruned_total", help: "Runs pruned, by rule (age, count).", labelNames: ["reason"], registers }),
      compacted: new Counter({ name: "aura_retention_runs_compacted_total", help: "Runs whose checkpoints were compacted.", registers }),
      duration: new Histogram({
        name: "aura_retention_pass_seconds",
        help: "Duration of retention passes.",
        buckets: [0.01, 0.1, 0.5, 1, 5, 30, 120, 600],
        registers,
      }),
      lastPass: new Gauge({ name: "aura_retention_last_pass_timestamp_seconds", help: "When this process last finished a retention pass.", registers }),
      reclaimedBytes: new Counter({ name: "aura_retention_reclaimed_bytes_total", help: "Bytes the SQLite file shrank by after passes.", registers }),
    };
  });
}
