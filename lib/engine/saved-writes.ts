import type { BaseCheckpointSaver } from "@langchain/langgraph";

/**
 * "This node finished" may be said only once LangGraph has durably saved what the node wrote. A node
 * function returns before its task's writes are stored (the runner stores them right after, with
 * `putWrites`); a process killed in between would run the node again when the run continues, and the
 * node would finish twice. So a node's closing events are held by task id until the checkpointer says
 * that task's writes are saved (`signalSavedWrites`), then released in order.
 */

/** Marks a checkpointer whose putWrites reports saved task ids (see signalSavedWrites). */
const SIGNALS = Symbol.for("aura.signalsSavedWrites");

/** task id → the release of the events held for it (one process-wide map: task ids are unique). */
const held = new Map<string, () => void>();

/** Makes `saver` release the events held for a task once that task's writes are saved. Returns `saver`. */
export function signalSavedWrites<S extends BaseCheckpointSaver>(saver: S): S {
  const marked = saver as S & { [SIGNALS]?: true };
  if (marked[SIGNALS]) return saver;
  const putWrites = saver.putWrites.bind(saver);
  saver.putWrites = async (config, writes, taskId) => {
    await putWrites(config, writes, taskId);
    const release = held.get(taskId);
    if (release) {
      held.delete(taskId);
      release();
    }
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
  held.set(taskId, release);
}

/** Releases at once what is held for these task ids (the run ends: nothing may stay unsaid). */
export function releaseHeld(taskIds: Iterable<string>): void {
  for (const id of taskIds) {
    const release = held.get(id);
    if (!release) continue;
    held.delete(id);
    release();
  }
}
