import "server-only";
import { getDatabase } from "@/lib/db/database";
import * as runsRepo from "@/lib/db/runs";
import { answerApproval } from "./service";
import { logger } from "@/lib/server/observability/logger";

interface WaitingEntry {
  nodeId: string;
  ts: number;
  timeoutMs: number;
}

/** Approvals whose "give up after" time has passed: `{ runId, nodeId, waitedMs }`. Pure, for tests. */
export function overdueApprovals(runs: { id: string; waitingFor: string | null }[], now: number): { runId: string; nodeId: string; timeoutMs: number }[] {
  const out: { runId: string; nodeId: string; timeoutMs: number }[] = [];
  for (const r of runs) {
    let entries: WaitingEntry[];
    try {
      entries = r.waitingFor ? (JSON.parse(r.waitingFor) as WaitingEntry[]) : [];
    } catch {
      continue;
    }
    const due = entries.find((w) => w.timeoutMs > 0 && w.ts + w.timeoutMs <= now);
    if (due) out.push({ runId: r.id, nodeId: due.nodeId, timeoutMs: due.timeoutMs });
  }
  return out;
}

/**
 * Rejects every approval that waited longer than its node's timeout, so the run continues on the
 * Rejected output. The deadline comes from the persisted `node.waiting` event, so it holds across
 * restarts. Called by the run manager's periodic sweep.
 */
export async function expireOverdueApprovals(now = Date.now()): Promise<number> {
  const db = await getDatabase();
  let expired = 0;
  for (const { runId, nodeId, timeoutMs } of overdueApprovals(await runsRepo.listWaitingRuns(db), now)) {
    try {
      await answerApproval(runId, nodeId, { approved: false, comment: `No decision within ${Math.round(timeoutMs / 1000)} s: rejected automatically.`, values: {} });
      expired++;
      logger.info("approval timed out", { runId, nodeId, timeoutMs });
    } catch (err) {
      // Answered by a person (or another process) in the meantime: nothing to do.
      logger.debug("approval timeout skipped", { runId, nodeId, err: String(err) });
    }
  }
  return expired;
}
