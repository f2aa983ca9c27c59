import type { RunEvent } from "../../contracts/events";
import type { NodeState } from "@/lib/contracts/run-api";

/**
 * Per-node states from a run's events, in order: the latest event of a node wins (a resumed node
 * that failed before and then finished is "succeeded"). Events inside sub-workflows (`scope`) are left
 * out; Parallel map items fold into their node (runs counts them).
 */
export function deriveNodeStates(events: readonly RunEvent[]): Record<string, NodeState> {
  const nodes: Record<string, NodeState> = {};
  for (const e of events) {
    if (
      e.type !== "node.started" &&
      e.type !== "node.finished" &&
      e.type !== "node.failed" &&
      e.type !== "node.retrying" &&
      e.type !== "node.skipped" &&
      e.type !== "node.waiting"
    )
      continue;
    if (e.scope?.length) continue;
    const n = (nodes[e.nodeId] ??= { status: "running", kind: e.kind, attempts: 0, runs: 0, startedAt: null, finishedAt: null, durationMs: null });
    switch (e.type) {
      case "node.started":
        n.status = "running";
        n.runs++;
        n.attempts = Math.max(n.attempts, e.attempt);
        n.startedAt ??= e.ts;
        n.finishedAt = null;
        delete n.error;
        break;
      case "node.finished":
        n.status = "succeeded";
        n.attempts = Math.max(n.attempts, e.attempt);
        n.finishedAt = e.ts;
        n.durationMs = e.durationMs;
        if (e.port) n.port = e.port;
        delete n.error;
        break;
      case "node.failed":
        n.status = e.handled ? "succeeded" : "failed";
        n.finishedAt = e.ts;
        n.durationMs = e.durationMs;
        n.error = e.error;
        if (e.handled) n.port = "error";
        break;
      case "node.retrying":
        n.status = "retrying";
        n.error = e.error;
        break;
      case "node.skipped":
        n.status = "skipped";
        break;
      case "node.waiting":
        n.status = "waiting";
        break;
    }
  }
  return nodes;
}
