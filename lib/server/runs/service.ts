import "server-only";
import { customAlphabet } from "nanoid";
import { compileWorkflow, createDefaultServices, checkRunInput, WorkflowCompileError, type EngineServices } from "@/lib/engine";
import type { RunEvent } from "@/lib/contracts/events";
import type { Database } from "@/lib/db/client";
import { getDatabase } from "@/lib/db/database";
import { currentWorkspaceId } from "../request-scope";
import * as runsRepo from "@/lib/db/runs";
import { lastSeq, listRunEvents, listRunStory } from "@/lib/db/run-events";
import * as workflowsRepo from "@/lib/db/workflows";
import { AppError, ErrorCode, notFound, toApiIssues } from "../errors";
import { answerWaitingRun, type ApprovalDecision } from "./approvals";
import { getRunManager } from "./manager";
import { deriveNodeStates } from "./node-states";
import { runUsesPinnedData } from "./pinned-data";
import { recordRunEvents as record } from "./record-events";
import { conflict, requeueRun } from "./requeue";
import type { RunDetail, RunSummary } from "@/lib/contracts/run-api";
import type { AuditActor } from "@/lib/contracts/audit-api";
import { audited, toAuditInsert } from "../audit";
import { publishRunEvents } from "@/lib/realtime/registry";
import { cancelOnWorker } from "../queue/cancel-run";

// Use-cases of the runs API. Route handlers check request shapes and call these; these own the rules
// (which status allows what) and throw AppError with stable codes.

const newId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 14);
export const newRunId = () => `run_${newId()}`;
const workspaceId = currentWorkspaceId;

/** Services used only to compile (validate) documents on the main thread; execution happens in workers. */
const validationServices: EngineServices = createDefaultServices({ models: { env: {} } });

async function requireWorkflow(db: Database, id: string) {
  const w = await workflowsRepo.findWorkflow(db, id);
  if (!w || w.workspaceId !== workspaceId()) throw notFound(`Workflow "${id}"`);
  return w;
}

async function requireRun(db: Database, id: string): Promise<runsRepo.RunRow> {
  const r = await runsRepo.findRun(db, id);
  if (!r || r.workspaceId !== workspaceId()) throw notFound(`Run "${id}"`);
  return r;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toSummary(r: runsRepo.RunRow): RunSummary {
  return {
    id: r.id,
    workflowId: r.workflowId,
    workflowVersion: r.workflowVersion,
    status: r.status as RunSummary["status"],
    trigger: r.trigger as RunSummary["trigger"],
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? "", nodeId: r.failedNodeId } : null,
    tokens: { input: r.tokensInput, output: r.tokensOutput },
    costUsd: r.costUsd,
    attempt: r.attempt,
    parentRunId: r.parentRunId,
    retriedByRunId: r.retriedByRunId,
  };
}

/**
 * Starts a run of a workflow's current version: checks the document compiles (WORKFLOW_INVALID with
 * the editor's issue codes) and the input matches the Start fields (INPUT_INVALID), inserts the Run
 * (queued, leased by this process), records run.queued, and queues it behind the workflow's
 * maxConcurrentRuns. Returns at once; the run executes in a worker thread.
 */
export async function startRun(
  workflowId: string,
  input: unknown,
  trigger: runsRepo.RunTrigger,
  options: { usePinnedData?: boolean; actor?: AuditActor | null } = {},
): Promise<{ runId: string; status: "queued"; position: number }> {
  const db = await getDatabase();
  const w = await requireWorkflow(db, workflowId);
  const manager = getRunManager();
  const doc = await manager.document(db, w.id, w.currentVersion);
  try {
    compileWorkflow(doc, validationServices);
  } catch (err) {
    if (err instanceof WorkflowCompileError) throw new AppError(ErrorCode.WORKFLOW_INVALID, err.message, { issues: toApiIssues(err.issues) });
    throw err;
  }
  const problems = checkRunInput(doc, input);
  if (problems.length) {
    throw new AppError(ErrorCode.INPUT_INVALID, `The run input does not match the Start fields: ${problems.map((p) => p.message).join(" ")}`, {
      issues: problems.map((p) => ({ path: p.field ? `$.input.${p.field}` : "$.input", code: "INPUT_INVALID", message: p.message })),
    });
  }
  const runId = newRunId();
  // In-process: this manager's queue; queue mode: the shared queue (the "queue" lease, a job on Redis).
  const queue = manager.queueOwner();
  const position = manager.queuedAhead(w.id, doc.settings.maxConcurrentRuns);
  // A new run has no events yet: run.queued is seq 0. Its row, that event and the audit entry of the
  // start are one write transaction (on SQLite each write of the main thread may wait for the workers').
  const pinned = options.usePinnedData ? { usePinnedData: true } : {};
  const audit = toAuditInsert({
    workspaceId: w.workspaceId,
    action: "run.started",
    actor: options.actor,
    target: { type: "run", id: runId },
    detail: { workflowId: w.id, version: w.currentVersion, trigger },
  });
  const { row: run, events: queued } = await runsRepo.createRunRecorded(
    db,
    {
      id: runId,
      workspaceId: w.workspaceId,
      workflowId: w.id,
      workflowVersion: w.currentVersion,
      trigger,
      threadId: runId,
      // checkRunInput accepted it, so it is an object.
      input: isObject(input) ? input : {},
      lease: { owner: queue.owner, expiresAt: queue.leaseExpiry() },
    },
    [{ type: "run.queued", runId, ts: Date.now(), position, ...pinned }],
    audit,
  );
  publishRunEvents(queued);
  // Created here just now: the manager starts it without reading the row or its events again.
  await queue.enqueue(run, { row: run, nextSeq: queued.length, usePinnedData: options.usePinnedData === true });
  return { runId, status: "queued", position };
}

/** A run with per-node states derived from its events. */
export async function getRun(id: string): Promise<RunDetail> {
  const db = await getDatabase();
  const r = await requireRun(db, id);
  const events = await listRunStory(db, id);
  const last = await lastSeq(db, id);
  return {
    ...toSummary(r),
    input: r.input,
    result: r.result,
    waitingFor: r.status === "waiting" ? (r.waitingFor ?? []) : [],
    nodes: deriveNodeStates(events),
    lastSeq: last,
  };
}

/** Events with seq > after, ascending (replay for a browser that reconnects). */
export async function listEvents(id: string, after: number, limit: number): Promise<{ events: RunEvent[]; lastSeq: number; hasMore: boolean }> {
  const db = await getDatabase();
  await requireRun(db, id);
  const page = await listRunEvents(db, id, after, limit + 1);
  const hasMore = page.length > limit;
  const events = hasMore ? page.slice(0, limit) : page;
  return { events, lastSeq: events.length ? events[events.length - 1].seq : after, hasMore };
}

function encodeCursor(r: runsRepo.RunRow): string {
  return Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString("base64url");
}
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at);
  if (!id || Number.isNaN(createdAt.getTime())) throw new AppError(ErrorCode.BAD_REQUEST, "The cursor is not valid; use nextCursor from the previous page.");
  return { createdAt, id };
}

export interface ListRunsInput {
  workflowId?: string;
  status?: runsRepo.RunStatus[];
  trigger?: runsRepo.RunTrigger[];
  from?: Date;
  to?: Date;
  /** "run_…": run id prefix; otherwise a case-insensitive substring of workflow names. */
  q?: string;
  cursor?: string;
  limit: number;
  deadLetters?: boolean;
}

/**
 * Runs newest first, paged by (createdAt, id) (keyset pagination: every page is an index range, as
 * fast at page 1,000 as at page 1); `deadLetters`: failed runs nobody retried.
 */
export async function listRuns(q: ListRunsInput): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
  const db = await getDatabase();
  const text = q.q?.trim();
  let idPrefix: string | undefined;
  let workflowIds: string[] | undefined;
  if (text && /^run_/i.test(text)) idPrefix = text.toLowerCase();
  else if (text) {
    // Workflows are few next to runs: resolve the name search to ids, then filter runs by index.
    const needle = text.toLowerCase();
    const all = await workflowsRepo.listWorkflowNames(db, workspaceId());
    workflowIds = all.filter((w) => w.name.toLowerCase().includes(needle) || w.id.toLowerCase() === needle).map((w) => w.id);
    if (!workflowIds.length) return { runs: [], nextCursor: null };
  }
  const rows = await runsRepo.listRuns(db, {
    workspaceId: workspaceId(),
    workflowId: q.workflowId,
    workflowIds,
    status: q.status,
    trigger: q.trigger,
    from: q.from,
    to: q.to,
    idPrefix,
    deadLetters: q.deadLetters,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit,
  });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { runs: page.map(toSummary), nextCursor: more ? encodeCursor(page[page.length - 1]) : null };
}

/**
 * Cancels a run: a queued or waiting one at once, a running one through its AbortSignal (the engine
 * reports run.cancelled). A cancelled run can be resumed later from its last checkpoint.
 */
export async function cancelRun(id: string, reason = "cancelled by user", actor?: AuditActor | null): Promise<{ runId: string; status: string }> {
  const db = await getDatabase();
  const r = await requireRun(db, id);
  const manager = getRunManager();
  const audit = (result: { runId: string; status: string }) =>
    audited(r.workspaceId, "run.cancelled", actor, { type: "run", id }, result, () => ({ workflowId: r.workflowId, was: r.status, reason }));
  if (r.status === "running" && manager.cancelActive(id, reason)) return audit({ runId: id, status: "cancelling" });
  // Queue mode: a worker process holds the run's live lease; it stops the run when asked (the engine
  // records run.cancelled). A lease that lapsed means its worker is gone: marked below instead.
  if (r.status === "running" && (await cancelOnWorker(r, reason))) return audit({ runId: id, status: "cancelling" });
  if (!["queued", "running", "waiting"].includes(r.status))
    throw conflict(`Run "${id}" is ${r.status}; only queued, running or waiting runs can be cancelled.`);
  manager.dequeue(id, r.workflowId);
  // Not executing here: mark it (an owner in another process sees the mark at its next sweep and stops).
  if (
    !(await runsRepo.updateRun(db, id, { status: "cancelled", finishedAt: new Date(), waitingFor: null, pendingDecision: null }, [
      r.status as runsRepo.RunStatus,
    ]))
  ) {
    throw conflict(`Run "${id}" changed while cancelling; read it again.`);
  }
  if (r.status !== "running") await runsRepo.releaseLease(db, id, manager.queueOwner().owner);
  await record(db, id, [{ type: "run.cancelled", runId: id, ts: Date.now(), durationMs: r.startedAt ? Date.now() - r.startedAt.getTime() : 0, reason }]);
  return audit({ runId: id, status: "cancelled" });
}

/**
 * Resumes a failed or cancelled run on its own thread: from the failed node (or where it stopped),
 * without re-running the nodes that finished.
 */
export async function resumeRun(id: string): Promise<{ runId: string; status: "queued" }> {
  const db = await getDatabase();
  const r = await requireRun(db, id);
  if (r.status !== "failed" && r.status !== "cancelled")
    throw conflict(
      `Run "${id}" is ${r.status}; only failed or cancelled runs can be resumed${r.status === "waiting" ? " (answer its approval instead)" : ""}.`,
    );
  if (r.retriedByRunId) throw conflict(`Run "${id}" was retried as "${r.retriedByRunId}"; resume that run instead.`);
  await requeueRun(db, getRunManager().queueOwner(), r, ["failed", "cancelled"]);
  return { runId: id, status: "queued" };
}

/**
 * Retries a dead letter (a failed run) as a new run (trigger "retry", attempt + 1, parentRunId) that
 * continues the same LangGraph thread from the failed node. The failed run leaves the dead-letter list.
 */
export async function retryRun(id: string, actor?: AuditActor | null): Promise<{ runId: string; status: "queued" }> {
  const db = await getDatabase();
  const r = await requireRun(db, id);
  if (r.status !== "failed" && r.status !== "cancelled") throw conflict(`Run "${id}" is ${r.status}; only failed or cancelled runs can be retried.`);
  if (r.retriedByRunId) throw conflict(`Run "${id}" was already retried as "${r.retriedByRunId}".`);
  const queue = getRunManager().queueOwner();
  const runId = newRunId();
  const child = await runsRepo.createRun(db, {
    id: runId,
    workspaceId: r.workspaceId,
    workflowId: r.workflowId,
    workflowVersion: r.workflowVersion,
    trigger: "retry",
    threadId: r.threadId,
    input: r.input,
    attempt: r.attempt + 1,
    parentRunId: r.id,
    lease: { owner: queue.owner, expiresAt: queue.leaseExpiry() },
  });
  // Claim the parent (one retry per failed run); the thread then belongs to the child.
  if (!(await runsRepo.markRetried(db, r.id, runId))) {
    await runsRepo.deleteRun(db, runId);
    throw conflict(`Run "${id}" was retried or resumed meanwhile.`);
  }
  // The retry continues the parent's thread the way the parent ran: with its pins or without.
  const pinned = (await runUsesPinnedData(db, r.id)) ? { usePinnedData: true } : {};
  await record(db, runId, [{ type: "run.queued", runId, ts: Date.now(), position: 0, ...pinned }]);
  await queue.enqueue(child);
  return audited(r.workspaceId, "run.started", actor, { type: "run", id: runId }, { runId, status: "queued" as const }, () => ({
    workflowId: r.workflowId,
    trigger: "retry",
    parentRunId: r.id,
  }));
}

/** Answers a waiting Human approval; the run continues (LangGraph Command resume) on approved / rejected. */
export async function answerApproval(
  id: string,
  nodeId: string,
  decision: ApprovalDecision,
  actor?: AuditActor | null,
): Promise<{ runId: string; status: "queued" }> {
  const db = await getDatabase();
  const r = await requireRun(db, id);
  await answerWaitingRun(db, getRunManager().queueOwner(), r, nodeId, decision);
  return audited(r.workspaceId, "approval.answered", actor, { type: "run", id }, { runId: id, status: "queued" as const }, () => ({
    nodeId,
    approved: decision.approved,
    interruptId: decision.interruptId,
  }));
}
