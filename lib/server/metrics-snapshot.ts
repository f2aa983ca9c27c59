import "server-only";
import { getDatabase } from "@/lib/db/database";
import { countRunsByStatus } from "@/lib/db/runs";
import { processSlot } from "@/lib/process-singleton";
import { getRunManager } from "./runs/manager";
import { metrics, renderPrometheus } from "./observability/metrics";

/** The last runs-by-status counts and when they were read. */
const snapshot = processSlot<{ at: number; rows: { status: string; n: number }[] }>("metricsDb");

/**
 * The Prometheus exposition: the counters and histograms fed from run events, plus gauges read at
 * scrape time: runs by status (one GROUP BY, cached for a second so a scrape storm costs one query)
 * and the run manager's queue depth.
 */
export async function metricsText(): Promise<string> {
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
  const m = metrics();
  for (const status of ["queued", "running", "waiting", "succeeded", "failed", "cancelled"]) {
    m.runsByStatus.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
  }
  const queue = getRunManager().queueStats();
  m.queueDepth.set(queue.queued);
  m.runsExecuting.set(queue.active);
  return renderPrometheus();
}
