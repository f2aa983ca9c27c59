import "server-only";
import type { Database } from "@/lib/db/client";
import * as runsRepo from "@/lib/db/runs";
import type { RunRow } from "@/lib/db/runs";
import { AppError, ErrorCode } from "../errors";
import { recordRunEvents } from "./record-events";

/**
 * What the process that just created a run knows of it, so its start needs no reads: the row as
 * inserted, the seq its next event gets, and whether it uses pinned data (its run.queued event).
 */
export interface FreshRun {
  row: RunRow;
  nextSeq: number;
  usePinnedData: boolean;
}

/** What queueing a run again needs of the process that will execute it (the run manager). */
export interface RunQueueOwner {
  readonly owner: string;
  leaseExpiry(): Date;
  /** Queues the run; `fresh`: it was just created here (a hint the owner may use, or ignore: the shared queue). */
  enqueue(run: { id: string; workflowId: string; workflowVersion: number }, fresh?: FreshRun): Promise<void>;
}

/** RUN_STATE_CONFLICT: the run's status does not allow this, or it changed meanwhile. */
export const conflict = (message: string) => new AppError(ErrorCode.RUN_STATE_CONFLICT, message);

/**
 * Puts a stopped run (failed, cancelled, waiting) back in the queue of `owner`: takes its lease, sets
 * it "queued" only if its status is still one of `from` (with `data`), records run.queued, enqueues it.
 */
export async function requeueRun(
  db: Database,
  owner: RunQueueOwner,
  r: runsRepo.RunRow,
  from: runsRepo.RunStatus[],
  data: runsRepo.RunUpdate = {},
): Promise<void> {
  if (!(await runsRepo.takeLease(db, r.id, owner.owner, owner.leaseExpiry())))
    throw conflict(`Run "${r.id}" is being handled by another server; try again shortly.`);
  const ok = await runsRepo.updateRun(db, r.id, { status: "queued", finishedAt: null, errorCode: null, errorMessage: null, failedNodeId: null, ...data }, from);
  if (!ok) {
    await runsRepo.releaseLease(db, r.id, owner.owner);
    throw conflict(`Run "${r.id}" changed meanwhile; read it again.`);
  }
  await recordRunEvents(db, r.id, [{ type: "run.queued", runId: r.id, ts: Date.now(), position: 0 }]);
  await owner.enqueue(r);
}
