import "server-only";
import { Overwrite, type BaseCheckpointSaver, type StateSnapshot } from "@langchain/langgraph";
import { closeCheckpointer, compileWorkflow, createDefaultServices, type CompiledWorkflow, type EngineServices } from "@/lib/engine";
import { documentNodeId } from "@/lib/engine/compile-workflow";
import type { Checkpoint, CheckpointList, ForkBody, ForkLink } from "@/lib/contracts/time-travel-api";
import { publishRunEvents } from "@/lib/realtime/registry";
import type { Database } from "@/lib/db/client";
import { getDatabase } from "@/lib/db/database";
import { currentWorkspaceId } from "../request-scope";
import * as runsRepo from "@/lib/db/runs";
import { appendRunEvents } from "@/lib/db/run-events";
import { createCheckpointer } from "@/lib/engine/checkpointer";
import { AppError, ErrorCode, notFound } from "../errors";
import { assertHistoryNotCompacted } from "../retention/compacted";
import { CHECKPOINT_SCHEMA, checkpointTarget } from "./checkpoint-tables";
import { getRunManager } from "./manager";
import { runUsesPinnedData } from "./pinned-data";
import { newRunId } from "./service";
import { audited } from "../audit";
import type { AuditActor } from "@/lib/contracts/audit-api";

// Time travel over a run's LangGraph checkpoints: read the history of its thread, and fork a new run
// from one checkpoint (optionally with edited state). Read on the main thread through a short-lived
// checkpointer on the app database; execution of the fork happens in the worker pool like any run.
//
// A fork runs on its own thread "fork:<checkpointId>:<runId>": the source checkpoint is copied there
// with the same checkpoint id, so the worker simply continues that thread.

const services: EngineServices = createDefaultServices({ models: { env: {} } });

const FORK_THREAD = /^fork:([^:]+):/;
/** The checkpoint a fork started from, read from its thread id. */
export const forkedCheckpointId = (threadId: string): string | null => FORK_THREAD.exec(threadId)?.[1] ?? null;

async function requireRun(db: Database, id: string): Promise<runsRepo.RunRow> {
  const r = await runsRepo.findRun(db, id);
  if (!r || r.workspaceId !== currentWorkspaceId()) throw notFound(`Run "${id}"`);
  return r;
}

/** Opens a checkpointer on the app database for one use, then closes it (no connections left behind). */
async function withCheckpointer<T>(db: Database, fn: (saver: BaseCheckpointSaver) => Promise<T>): Promise<T> {
  const saver = await createCheckpointer(checkpointTarget(db), { postgresSchema: CHECKPOINT_SCHEMA });
  try {
    return await fn(saver);
  } finally {
    await closeCheckpointer(saver).catch(() => {});
  }
}

async function compiledFor(db: Database, r: runsRepo.RunRow): Promise<CompiledWorkflow> {
  const doc = await getRunManager().document(db, r.workflowId, r.workflowVersion);
  return compileWorkflow(doc, services);
}

/** Document node ids of LangGraph node names ("@a" → "a", map item helper "each@m" → "m", a fused chain → its nodes). */
function docIds(compiled: CompiledWorkflow, names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of names) {
    const fused = compiled.fusedNodeIds(n);
    if (fused) for (const id of fused) out.add(id);
    const id = documentNodeId(n.startsWith("each@") ? n.slice(4) : n);
    if (id !== undefined) out.add(id);
  }
  return [...out];
}

const publicValues = (values: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (values && typeof values === "object") for (const [k, v] of Object.entries(values)) if (!k.startsWith("__") && v !== undefined) out[k] = v;
  return out;
};
const checkpointIdOf = (s: StateSnapshot) => (s.config?.configurable?.checkpoint_id as string | undefined) ?? "";

async function history(
  compiled: CompiledWorkflow,
  saver: BaseCheckpointSaver,
  threadId: string,
  limit: number,
): Promise<{ snapshots: StateSnapshot[]; truncated: boolean }> {
  const graph = compiled.graph(saver);
  const snapshots: StateSnapshot[] = [];
  let truncated = false;
  for await (const s of graph.getStateHistory({ configurable: { thread_id: threadId } }, { limit: limit + 1 })) {
    if (snapshots.length === limit) {
      truncated = true;
      break;
    }
    snapshots.push(s);
  }
  return { snapshots: snapshots.reverse(), truncated };
}

function toCheckpoints(compiled: CompiledWorkflow, snapshots: StateSnapshot[]): Checkpoint[] {
  const byId = new Map(snapshots.map((s) => [checkpointIdOf(s), s]));
  return snapshots.map((s) => {
    const parentId = (s.parentConfig?.configurable?.checkpoint_id as string | undefined) ?? null;
    const parent = parentId ? byId.get(parentId) : undefined;
    const meta = (s.metadata ?? {}) as Record<string, unknown>;
    const ran = parent ? docIds(compiled, parent.next) : Array.isArray(meta.aura_ran) ? (meta.aura_ran as string[]) : [];
    return {
      id: checkpointIdOf(s),
      parentId,
      step: typeof meta.step === "number" ? meta.step : -1,
      source: typeof meta.source === "string" ? meta.source : "loop",
      createdAt: s.createdAt ?? new Date(0).toISOString(),
      ran,
      next: docIds(compiled, s.next),
      interrupts: s.tasks.flatMap((t) => (t.interrupts ?? []).map((i) => (i.value as { nodeId?: string } | undefined)?.nodeId)).filter((x): x is string => !!x),
      values: publicValues(s.values),
    };
  });
}

async function forksOf(db: Database, runId: string): Promise<ForkLink[]> {
  const rows = await runsRepo.listForks(db, runId);
  return rows.map((r) => ({ runId: r.id, status: r.status, createdAt: r.createdAt.toISOString(), checkpointId: forkedCheckpointId(r.threadId) }));
}

/**
 * The run's checkpoint history, oldest first (at most `limit`, the newest kept): per checkpoint its
 * step, the nodes that just ran, the nodes that run next, pending approvals and the public state.
 * Also the fork links: the run it was forked from and the runs forked from it.
 */
export async function listCheckpoints(runId: string, limit = 500): Promise<CheckpointList> {
  const db = await getDatabase();
  const r = await requireRun(db, runId);
  assertHistoryNotCompacted(r);
  const compiled = await compiledFor(db, r);
  const { snapshots, truncated } = await withCheckpointer(db, (saver) => history(compiled, saver, r.threadId, limit));
  return {
    runId,
    threadId: r.threadId,
    checkpoints: toCheckpoints(compiled, snapshots),
    truncated,
    forkedFrom: r.trigger === "fork" && r.parentRunId ? { runId: r.parentRunId, checkpointId: forkedCheckpointId(r.threadId) } : null,
    forks: await forksOf(db, runId),
  };
}

const conflict = (message: string) => new AppError(ErrorCode.RUN_STATE_CONFLICT, message);

/**
 * Starts a new run (trigger "fork", parentRunId = the run) from one of the run's checkpoints: the
 * checkpoint is copied to the fork's own thread, `state` (if any) replaces those fields through
 * LangGraph's updateState (as the node that produced the checkpoint, reducers bypassed), and the
 * worker continues the thread from there. The source run is left untouched.
 */
export async function forkRun(runId: string, body: ForkBody, actor?: AuditActor | null): Promise<{ runId: string; status: "queued" }> {
  const db = await getDatabase();
  const r = await requireRun(db, runId);
  if (r.status === "queued" || r.status === "running") {
    throw conflict(`Run "${runId}" is ${r.status}; fork it once it has stopped (or cancel it first).`);
  }
  assertHistoryNotCompacted(r);
  const compiled = await compiledFor(db, r);
  const edits = body.state ?? {};
  const known = new Set(compiled.plan.stateKeys);
  const unknown = Object.keys(edits).filter((k) => k.startsWith("__") || !known.has(k));
  if (unknown.length) {
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      `Unknown state field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; edit only fields of the workflow's state (${[...known].join(", ")}).`,
      {
        issues: unknown.map((k) => ({ path: `$.state.${k}`, code: "STATE_FIELD_UNKNOWN", message: `"${k}" is not a state field of this workflow.` })),
      },
    );
  }

  // In-process: this manager's queue; queue mode: the shared queue.
  const manager = getRunManager().queueOwner();
  const forkId = newRunId();
  const threadId = `fork:${body.checkpointId}:${forkId}`;

  await withCheckpointer(db, async (saver) => {
    const tuple = await saver.getTuple({ configurable: { thread_id: r.threadId, checkpoint_ns: "", checkpoint_id: body.checkpointId } });
    if (!tuple || tuple.checkpoint.id !== body.checkpointId) throw notFound(`Checkpoint "${body.checkpointId}" of run "${runId}"`);
    // Which nodes produced this checkpoint: its parent's next tasks (kept in the copy's metadata,
    // because the parent is not part of the fork's thread).
    let ranNames: string[] = [];
    const parentId = tuple.parentConfig?.configurable?.checkpoint_id as string | undefined;
    if (parentId) {
      const parent = await compiled.graph(saver).getState({ configurable: { thread_id: r.threadId, checkpoint_ns: "", checkpoint_id: parentId } });
      ranNames = [...parent.next];
    }
    const metadata = {
      ...tuple.metadata,
      source: "fork",
      aura_ran: docIds(compiled, ranNames),
      aura_forked_from: { runId, checkpointId: body.checkpointId },
    } as typeof tuple.metadata & Record<string, unknown>;
    // Pending writes are not copied: like LangGraph's replay from an old checkpoint, the fork
    // re-executes the tasks that follow it (a waiting approval asks again).
    await saver.put({ configurable: { thread_id: threadId, checkpoint_ns: "" } }, tuple.checkpoint, metadata, tuple.checkpoint.channel_versions);

    if (Object.keys(edits).length) {
      const asNode = ranNames.find((n) => n.startsWith("@") || compiled.fusedNodeIds(n)) ?? ranNames[0];
      if (!asNode) throw conflict(`State can only be edited at a checkpoint after a node ran (step ≥ 0); pick a later checkpoint or fork without edits.`);
      const values = Object.fromEntries(Object.entries(edits).map(([k, v]) => [k, new Overwrite(v)]));
      try {
        await compiled.graph(saver).updateState({ configurable: { thread_id: threadId } }, values, asNode);
      } catch (err) {
        throw conflict(`The edited state could not be applied at this checkpoint: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });

  const run = await runsRepo.createRun(db, {
    id: forkId,
    workspaceId: r.workspaceId,
    workflowId: r.workflowId,
    workflowVersion: r.workflowVersion,
    trigger: "fork",
    threadId,
    input: r.input,
    parentRunId: r.id,
    lease: { owner: manager.owner, expiresAt: manager.leaseExpiry() },
  });
  const pinned = (await runUsesPinnedData(db, r.id)) ? { usePinnedData: true } : {};
  publishRunEvents(await appendRunEvents(db, forkId, [{ type: "run.queued", runId: forkId, ts: Date.now(), position: 0, ...pinned }]));
  await manager.enqueue(run);
  return audited(r.workspaceId, "run.started", actor, { type: "run", id: forkId }, { runId: forkId, status: "queued" as const }, () => ({
    workflowId: r.workflowId,
    trigger: "fork",
    parentRunId: r.id,
    checkpointId: body.checkpointId,
    editedFields: Object.keys(edits),
  }));
}
