import type { RunEvent } from "@/lib/contracts/events";

export interface RunHistory {
  /** How much of its run timeout the run has used (see summarizeRunHistory). */
  usedMs: number;
  /** Tokens and cost of every node that finished, over all segments. */
  tokens: { input: number; output: number };
  costUsd: number;
  /**
   * Top-level nodes the last segment started and never closed (no finished, failed, skipped or
   * waiting event): its process died while they ran. The engine tells which of them did finish (their
   * writes were saved) and says so, since their own node.finished was lost with the process.
   */
  cutOff: CutOffNode[];
}

/** A node execution cut off with its process (see RunHistory.cutOff). */
export type CutOffNode = { nodeId: string; kind: string; attempt: number; startedTs: number };

/**
 * What a run that continues now (after a crash, an approval or a resume) has already used, from its
 * persisted events in seq order: the part of its run timeout it used, and the totals its Run row must
 * show (a segment cut off by a crash never reported its own).
 *
 * The timeout is wall-clock time since the run was last started by a user (a new run, or a resume
 * after it failed or was cancelled), less the time it sat parked waiting for an approval. Time a
 * crashed server was down counts: the events cannot tell when a long node was cut off, and a
 * limit that a crash could extend would not be one.
 */
export function summarizeRunHistory(events: readonly RunEvent[], now: number): RunHistory {
  const history: RunHistory = { usedMs: 0, tokens: { input: 0, output: 0 }, costUsd: 0, cutOff: [] };
  const open = new Map<string, CutOffNode>();
  let since: number | null = null;
  let parkedMs = 0;
  let segmentWaited = false;
  let lastTs = 0;
  for (const e of events) {
    if (e.type === "run.started") {
      // The previous segment stopped at an approval: from its last event until now it was parked.
      if (segmentWaited) parkedMs += Math.max(0, e.ts - lastTs);
      segmentWaited = false;
      since ??= e.ts;
      open.clear();
    }
    // Top-level executions only (a retry goes on inside the same task: still open).
    if (e.type === "node.started" && !e.scope?.length && !e.calledBy)
      open.set(e.nodeId, { nodeId: e.nodeId, kind: e.kind, attempt: e.attempt, startedTs: e.ts });
    if ((e.type === "node.finished" || e.type === "node.failed" || e.type === "node.skipped" || e.type === "node.waiting") && !e.scope?.length && !e.calledBy) {
      open.delete(e.nodeId);
    }
    if (e.type === "node.waiting") segmentWaited = true;
    if (e.type === "node.finished") {
      history.tokens.input += e.tokens?.input ?? 0;
      history.tokens.output += e.tokens?.output ?? 0;
      history.costUsd += e.costUsd ?? 0;
    }
    if (e.type === "run.failed" || e.type === "run.cancelled") {
      // A user's resume after this starts with a whole run timeout again.
      since = null;
      parkedMs = 0;
      segmentWaited = false;
      open.clear();
    }
    if (e.type !== "run.queued") lastTs = e.ts;
  }
  if (segmentWaited) parkedMs += Math.max(0, now - lastTs);
  if (since !== null) history.usedMs = Math.max(0, now - since - parkedMs);
  history.costUsd = Math.round(history.costUsd * 1e6) / 1e6;
  history.cutOff = [...open.values()];
  return history;
}
