import "server-only";
import type { z } from "zod";
import type { ApprovalBodySchema } from "@/lib/contracts/run-api";
import type { Database } from "@/lib/db/client";
import type * as runsRepo from "@/lib/db/runs";
import { conflict, requeueRun, type RunQueueOwner } from "./requeue";

/** An answer to a Human approval (the approvals API's body). */
export type ApprovalDecision = z.infer<typeof ApprovalBodySchema>;

/**
 * Answers a waiting run's approval at `nodeId` (and `interruptId`, when several wait there): the
 * decision is stored on the row and the run queued with `owner`; the worker hands it to the node
 * (LangGraph Command resume). RUN_STATE_CONFLICT when the run does not wait there.
 */
export async function answerWaitingRun(db: Database, owner: RunQueueOwner, r: runsRepo.RunRow, nodeId: string, decision: ApprovalDecision): Promise<void> {
  if (r.status !== "waiting") throw conflict(`Run "${r.id}" is ${r.status}, not waiting for an approval.`);
  const waiting = r.waitingFor ?? [];
  if (!waiting.some((w) => w.nodeId === nodeId)) {
    throw conflict(`Run "${r.id}" is not waiting at "${nodeId}"${waiting.length ? `; it waits at ${waiting.map((w) => `"${w.nodeId}"`).join(", ")}` : ""}.`);
  }
  if (decision.interruptId && !waiting.some((w) => w.nodeId === nodeId && w.interruptId === decision.interruptId)) {
    throw conflict(`Run "${r.id}" has no approval "${decision.interruptId}" waiting at "${nodeId}" (answered already?).`);
  }
  await requeueRun(db, owner, r, ["waiting"], { pendingDecision: { ...decision, nodeId }, waitingFor: null });
}
