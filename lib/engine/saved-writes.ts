import type { BaseCheckpointSaver } from "@langchain/langgraph";

/**
 * "This node finished" may be said only once LangGraph has durably saved what the node wrote. A node
 * function returns before its task's writes are stored (the runner stores them right after, with
 * `putWrites`); a process killed in between would run the node again when the run continues, and the
 * node would finish twice. So a node's closing events are held by task id until the checkpointer says
 * that task's writes are saved (`signalSavedWrites`), then released in order.
 */

/**
 * The other direction: what the run said before a task's writes are saved must be stored first.
 * Events travel to the database apart from checkpoints (the executing process batches them), so
 * without this a process killed after LangGraph saved a task's writes but before the task's
 * node.started (and everything before it) was stored left a continued run that never runs that node
 * again and never said it ran: a gap in its story (bench/queue.ts --faults found 1–6 such runs in
 * 1,000). The process that executes runs sets this hook (run-worker.ts: its events are written by
 * the main thread); null = nothing to wait for (events are stored as they come, or not at all).
 */
let beforeSave: (() => Promise<void>) | null = null;

/** Sets what putWrites waits for first (this thread's runs' events stored); null: nothing. */
export function beforeSavingWrites(hook: (() => Promise<void>) | null): void {
  beforeSave = hook;
}

/** Marks a checkpointer whose putWrites reports saved task ids (see signalSavedWrites). */
const SIGNALS = Symbol.for("aura.signalsSavedWrites");

/** task id → the releases of the events held for it (one process-wide map; a list, never overwritten). */
const held = new Map<string, (() => void)[]>();

const releaseTask = (taskId: string) => {
  const releases = held.get(taskId);
  if (!releases) return;
  held.delete(taskId);
  for (const release of releases) release();
};

/** Makes `saver` release the events held for a task once that task's writes are saved. Returns `saver`. */
export function signalSavedWrites<S extends BaseCheckpointSaver>(saver: S): S {
  const marked = saver as S & { [SIGNALS]?: true };
  if (marked[SIGNALS]) return saver;
  const putWrites = saver.putWrites.bind(saver);
  saver.putWrites = async (config, writes, taskId) => {
    if (beforeSave) await beforeSave();
    await putWrites(config, writes, taskId);
    releaseTask(taskId);
  };
  marked[SIGNALS] = true;
  return saver;
}

/** True when events of this task can wait for its saved writes: its graph's checkpointer signals them. */
export function canHoldUntilSaved(checkpointer: unknown, taskId: unknown): taskId is string {
  return typeof taskId === "string" && !!checkpointer && typeof checkpointer === "object" && (checkpointer as { [SIGNALS]?: true })[SIGNALS] === true;
}

/** Holds `release` until the writes of `taskId` are saved. */
export function holdUntilSaved(taskId: string, release: () => void): void {
  const releases = held.get(taskId);
  if (releases) releases.push(release);
  else held.set(taskId, [release]);
}

/** Releases at once what is held for these task ids (the run ends: nothing may stay unsaid). */
export function releaseHeld(taskIds: Iterable<string>): void {
  for (const id of taskIds) releaseTask(id);
}
