/**
 * The live run overlay: what the canvas shows of one run (node statuses, attempts, durations, errors,
 * approvals, streamed tokens). A pure reducer from RunEvents (in seq order) to overlay state; the
 * editor store applies it once per animation frame (`applyRunEvents`), and nodes read their own entry
 * through per-node selectors. An entry keeps its object identity until an event touches that node,
 * so a frame with events for ten nodes re-renders ten nodes.
 */
import type { RunEvent } from "@/lib/contracts/events";
import type { NodeLive, RunOverlay } from "./run-overlay-types";

// The state types and the per-node/per-edge reads have files of their own; importers keep using this module.
export * from "./run-overlay-types";
export * from "./run-overlay-selectors";

export const TEXT_LIMIT = 20_000;
const EMPTY_NODES: ReadonlyMap<string, NodeLive> = new Map();
const EMPTY_TEXT: ReadonlyMap<string, string> = new Map();

/** The overlay of no run. */
export const IDLE_OVERLAY: RunOverlay = Object.freeze({
  runId: null,
  status: "idle",
  lastSeq: -1,
  applied: 0,
  duplicates: 0,
  gaps: 0,
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  tokens: { input: 0, output: 0 },
  costUsd: 0,
  nodes: EMPTY_NODES,
  text: EMPTY_TEXT,
});

/** A fresh overlay for a run about to be watched (no events yet). */
export function watchOverlay(runId: string | null): RunOverlay {
  return runId ? { ...IDLE_OVERLAY, runId, status: "queued" } : IDLE_OVERLAY;
}

const fresh = (ts: number): NodeLive => ({ status: "running", attempt: 1, runs: 0, active: 0, startedAt: ts, finishedAt: null, durationMs: null });

/**
 * Applies events (ascending seq) to an overlay. Events of another run, and seqs already applied, are
 * ignored (counted as duplicates). Returns the same object when nothing changed.
 */
export function reduceRunEvents(overlay: RunOverlay, events: readonly RunEvent[]): RunOverlay {
  if (!events.length) return overlay;
  let o = null as RunOverlay | null;
  let nodes = null as Map<string, NodeLive> | null;
  let text = null as Map<string, string> | null;
  /** Copies of nodes made in this batch (mutable until the batch ends). */
  const touched = new Set<string>();
  let duplicates = 0;

  const run = (): RunOverlay => (o ??= { ...overlay });
  const node = (id: string, ts: number): NodeLive => {
    nodes ??= new Map(overlay.nodes);
    let n = nodes.get(id);
    if (!touched.has(id)) {
      n = n ? { ...n } : fresh(ts);
      nodes.set(id, n);
      touched.add(id);
    }
    return n!;
  };
  /**
   * A run continues (resumed) with executions still open: the process executing them stopped (killed,
   * crashed, drained) and they run again from the last checkpoint. Without this the re-run's
   * node.started would stack on the lost one and the node would stay "running" after the run ended.
   * A node whose only executions were cut off waits again (no entry: "queued"); one with finished
   * executions (map items) keeps them and counts only those.
   */
  const forgetCutOff = (ts: number) => {
    for (const [id, cur] of nodes ?? overlay.nodes) {
      if (cur.active === 0) continue;
      if (cur.runs <= cur.active) {
        nodes ??= new Map(overlay.nodes);
        nodes.delete(id);
        touched.delete(id);
        continue;
      }
      const n = node(id, ts);
      n.runs -= n.active;
      n.active = 0;
    }
  };

  for (const e of events) {
    if (overlay.runId && e.runId !== overlay.runId) continue;
    const last = o ? o.lastSeq : overlay.lastSeq;
    if (e.seq <= last) {
      duplicates++;
      continue;
    }
    const r = run();
    if (e.seq > last + 1) r.gaps++;
    r.lastSeq = e.seq;
    r.applied++;
    if (!r.runId) r.runId = e.runId;

    switch (e.type) {
      case "run.queued":
        r.status = "queued";
        r.error = undefined;
        r.finishedAt = null;
        break;
      case "run.started":
        r.status = "running";
        r.startedAt ??= e.ts;
        r.finishedAt = null;
        r.error = undefined;
        if (e.resumed) forgetCutOff(e.ts);
        break;
      case "run.finished":
        r.status = "succeeded";
        r.finishedAt = e.ts;
        r.durationMs = e.durationMs;
        r.result = e.result;
        r.resultFrom = e.resultFrom;
        r.tokens = { input: r.tokens.input + e.tokens.input, output: r.tokens.output + e.tokens.output };
        r.costUsd = r.costUsd + e.costUsd;
        break;
      case "run.failed":
        r.status = "failed";
        r.finishedAt = e.ts;
        r.durationMs = e.durationMs;
        r.error = { ...e.error, ...(e.nodeId ? { nodeId: e.nodeId } : {}) };
        break;
      case "run.cancelled":
        r.status = "cancelled";
        r.finishedAt = e.ts;
        r.durationMs = e.durationMs;
        // Nodes cut off mid-execution are no longer running.
        for (const [id, cur] of nodes ?? overlay.nodes) {
          if (cur.status !== "running" && cur.status !== "retrying") continue;
          const n = node(id, e.ts);
          n.status = "failed";
          n.active = 0;
          n.finishedAt = e.ts;
          n.error ??= { code: "RUN_CANCELLED", message: e.reason ?? "The run was cancelled." };
        }
        break;
      case "node.started": {
        if (e.scope?.length) break;
        const n = node(e.nodeId, e.ts);
        if (n.active === 0) n.startedAt = e.ts;
        n.status = "running";
        n.attempt = e.attempt;
        n.runs++;
        n.active++;
        n.finishedAt = null;
        n.error = undefined;
        n.handled = undefined;
        n.nextAttempt = undefined;
        n.retryDelayMs = undefined;
        n.waiting = undefined;
        n.skipReason = undefined;
        n.pinned = e.pinned === true || undefined;
        break;
      }
      case "node.finished": {
        if (e.scope?.length) break;
        const n = node(e.nodeId, e.ts);
        n.active = Math.max(0, n.active - 1);
        n.attempt = e.attempt;
        n.durationMs = e.durationMs;
        if (n.active === 0) {
          n.status = n.status === "failed" && e.itemIndex !== undefined ? "failed" : "succeeded";
          n.finishedAt = e.ts;
        }
        if (e.port !== undefined) n.port = e.port;
        if (e.tokens) n.tokens = { input: (n.tokens?.input ?? 0) + e.tokens.input, output: (n.tokens?.output ?? 0) + e.tokens.output };
        if (e.costUsd !== undefined) n.costUsd = (n.costUsd ?? 0) + e.costUsd;
        if (e.model) n.model = e.model;
        break;
      }
      case "node.failed": {
        if (e.scope?.length) break;
        const n = node(e.nodeId, e.ts);
        n.active = Math.max(0, n.active - 1);
        n.attempt = e.attempt;
        n.durationMs = e.durationMs;
        n.error = e.error;
        n.handled = e.handled;
        if (e.handled) n.port = "error";
        n.status = "failed";
        if (n.active === 0) n.finishedAt = e.ts;
        break;
      }
      case "node.retrying": {
        if (e.scope?.length) break;
        const n = node(e.nodeId, e.ts);
        n.active = Math.max(0, n.active - 1);
        n.status = "retrying";
        n.attempt = e.attempt;
        n.nextAttempt = e.nextAttempt;
        n.retryDelayMs = e.delayMs;
        n.error = e.error;
        // The failed attempt's streamed text is not the answer: the next attempt streams its own.
        if (overlay.text.has(e.nodeId) || text?.has(e.nodeId)) {
          text ??= new Map(overlay.text);
          text.delete(e.nodeId);
        }
        break;
      }
      case "node.skipped": {
        if (e.scope?.length) break;
        const n = node(e.nodeId, e.ts);
        if (n.runs === 0) {
          n.status = "skipped";
          n.startedAt = null;
          n.skipReason = e.reason;
        }
        break;
      }
      case "node.waiting": {
        r.status = "waiting";
        if (e.scope?.length) break;
        const n = node(e.nodeId, e.ts);
        n.active = Math.max(0, n.active - 1);
        n.status = "waiting";
        n.waiting = {
          ...(e.interruptId ? { interruptId: e.interruptId } : {}),
          instructions: e.instructions,
          editableFields: e.editableFields,
          values: e.values,
          timeoutMs: e.timeoutMs,
          since: e.ts,
        };
        break;
      }
      case "node.throttled": {
        if (e.scope?.length) break;
        const n = node(e.nodeId, e.ts);
        if (e.phase === "waiting") n.throttled = { provider: e.provider, limit: e.limit, position: e.position, etaMs: e.etaMs, since: e.ts };
        else delete n.throttled;
        break;
      }
      case "token": {
        const id = e.scope?.[0] ?? e.nodeId;
        text ??= new Map(overlay.text);
        const prev = text.get(id) ?? "";
        const next = prev + e.text;
        text.set(id, next.length > TEXT_LIMIT ? next.slice(next.length - TEXT_LIMIT) : next);
        break;
      }
      case "state.update": {
        const n = node(e.nodeId, e.ts);
        n.output = e.values;
        break;
      }
      default:
        break;
    }
  }
  if (!o && !duplicates) return overlay;
  const r = o ?? { ...overlay };
  r.duplicates += duplicates;
  if (nodes) r.nodes = nodes;
  if (text) r.text = text;
  return r;
}
