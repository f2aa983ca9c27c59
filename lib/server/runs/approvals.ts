import "server-only";
import type { z } from "zod";
import type { ApprovalBodySchema } from "@/lib/contracts/run-api";
import type { Database } from "@/lib/db/client";
import { lastSeq, listRunEvents } from "@/lib/db/run-events";
import * as runsRepo from "@/lib/db/runs";
import { conflict, requeueRun, type RunQueueOwner } from "./requeue";

/** An answer to a Human approval (the approvals API's body). */
export type ApprovalDecision = z.infer<typeof ApprovalBodySchema>;

/**
 * Answers a waiting run's approval at `nodeId` (and `interruptId`, when several wait there): the
 * decision is stored on the row and the run queued with `owner`; the worker hands it to the node
 * (LangGraph Command resume). RUN_STATE_CONFLICT when the run does not wait there.
 */
export async function answerWaitingRun(db: Database, owner: RunQueueOwner, row: runsRepo.RunRow, nodeId: string, decision: ApprovalDecision): Promise<void> {
  const r = await parkedRow(db, row, nodeId);
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

/** How long an answer waits for a run that is parking at its approval (see parkedRow). */
const PARKING_MS = 3000;

/**
 * A run announces `node.waiting` (and `?wait` answers "waiting_approval") a moment before its row
 * settles to "waiting". An answer sent at once (a script that approves what ?wait just reported, a
 * fast click in the inbox) must not get a 409 for that gap: while the run's latest events show it
 * parking at `nodeId`, wait (bounded) for the row to settle. Any other running run answers at once.
 */
async function parkedRow(db: Database, r: runsRepo.RunRow, nodeId: string): Promise<runsRepo.RunRow> {
  if (r.status !== "running") return r;
  const recent = await listRunEvents(db, r.id, (await lastSeq(db, r.id)) - 20, 20);
  const sinceStart = recent.slice(recent.findLastIndex((e) => e.type === "run.started") + 1);
  if (!sinceStart.some((e) => e.type === "node.waiting" && e.nodeId === nodeId)) return r;
  for (const deadline = Date.now() + PARKING_MS; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = await runsRepo.findRun(db, r.id);
    if (!now || now.status !== "running") return now ?? r;
  }
  return r;
}
