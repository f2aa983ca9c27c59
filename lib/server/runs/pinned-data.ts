import "server-only";
import type { Database } from "@/lib/db/client";
import { listRunEvents } from "@/lib/db/run-events";
import type { RunEvent } from "@/lib/contracts/events";

/**
 * Whether a run uses the document's pinned outputs. Recorded on the run's first event (run.queued,
 * seq 0) when it was started with `usePinnedData: true`, so a run resumed after a crash, an approval
 * or a failure, and a retry or fork of it, keep the same choice.
 */
export async function runUsesPinnedData(db: Database, runId: string): Promise<boolean> {
  const [first] = await listRunEvents(db, runId, -1, 1);
  return firstEventPinsData(first);
}

/** The same, from the run's first event when the caller read it already (the queue's claim). */
export function firstEventPinsData(first: RunEvent | null | undefined): boolean {
  return first?.type === "run.queued" && first.usePinnedData === true;
}
