import "server-only";
import type { Database } from "@/lib/db/client";
import * as runsRepo from "@/lib/db/runs";
import { logger } from "@/lib/server/observability/logger";
import { answerWaitingRun } from "./approvals";
import type { RunQueueOwner } from "./requeue";

/** Approvals whose "give up after" time has passed: `{ runId, nodeId, timeoutMs }`. Pure, for tests. */
export function overdueApprovals(
  runs: { id: string; waitingFor: readonly { nodeId: string; ts: number; timeoutMs: number }[] }[],
  now: number,
): { runId: string; nodeId: string; timeoutMs: number }[] {
  const out: { runId: string; nodeId: string; timeoutMs: number }[] = [];
  for (const r of runs) {
    const due = r.waitingFor.find((w) => w.timeoutMs > 0 && w.ts + w.timeoutMs <= now);
    if (due) out.push({ runId: r.id, nodeId: due.nodeId, timeoutMs: due.timeoutMs });
  }
  return out;
}

/**
 * Rejects every approval that waited longer than its node's timeout, so the run continues on the
 * Rejected output (queued with `owner`). The deadline comes from the persisted `node.waiting` event,
 * so it holds across restarts. Called by the run manager's periodic sweep.
 */
export async function expireOverdueApprovals(owner: RunQueueOwner, db: Database, now: number): Promise<number> {
  let expired = 0;
  for (const { runId, nodeId, timeoutMs } of overdueApprovals(await runsRepo.listWaitingRuns(db), now)) {
    try {
      const r = await runsRepo.findRun(db, runId);
      if (!r) continue;
      await answerWaitingRun(db, owner, r, nodeId, {
        approved: false,
        comment: `No decision within ${Math.round(timeoutMs / 1000)} s: rejected automatically.`,
        values: {},
      });
      expired++;
      logger.info("approval timed out", { runId, nodeId, timeoutMs });
    } catch (err) {
      // Answered by a person (or another process) in the meantime: nothing to do.
      logger.debug("approval timeout skipped", { runId, nodeId, err: String(err) });
    }
  }
  return expired;
}
