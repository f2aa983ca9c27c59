import "server-only";
import { getDatabase } from "@/lib/db/database";
import { countRunsByStatus } from "@/lib/db/runs";
import { processSlot } from "@/lib/process-singleton";
import { getRunManager } from "./runs/manager";
import { renderPrometheus, setGauge, startEventLoopMonitor } from "./observability/metrics";

/** The last runs-by-status counts and when they were read. */
const snapshot = processSlot<{ at: number; rows: { status: string; n: number }[] }>("metricsDb");

/**
 * The Prometheus exposition: the counters and histograms fed from run events, plus gauges read at
 * scrape time: runs by status (one GROUP BY, cached for a second so a scrape storm costs one query)
 * and the run manager's queue depth.
 */
export async function metricsText(): Promise<string> {
  startEventLoopMonitor();
  const cached = snapshot.get();
  let rows = cached && Date.now() - cached.at < 1000 ? cached.rows : null;
  if (!rows) {
    try {
      const db = await getDatabase();
      rows = await countRunsByStatus(db);
      snapshot.set({ at: Date.now(), rows });
    } catch {
      rows = cached?.rows ?? [];
    }
  }
  for (const status of ["queued", "running", "waiting", "succeeded", "failed", "cancelled"]) {
    setGauge("aura_runs", "Runs in the database, by status.", { status }, rows.find((r) => r.status === status)?.n ?? 0);
  }
  const queue = getRunManager().queueStats();
  setGauge("aura_queue_depth", "Runs waiting in this process's queues for a free slot of their workflow.", {}, queue.queued);
  setGauge("aura_runs_executing", "Runs executing in this process's workers.", {}, queue.active);
  return renderPrometheus();
}
