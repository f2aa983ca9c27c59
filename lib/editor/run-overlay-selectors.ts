/** Reads of a run overlay: what a node and an edge show on the canvas. Pure. */
import type { WorkflowEdge } from "@/lib/workflow";
import type { LiveNodeStatus, LiveRunStatus, RunOverlay } from "./run-overlay-types";

/** True while the run can still change (nodes not reached yet show as queued). */
export const isRunLive = (status: LiveRunStatus) => status === "queued" || status === "running" || status === "waiting";

/** What a node shows: its own state, or "queued" while the run has not reached it yet. */
export function nodeStatus(overlay: RunOverlay, id: string): LiveNodeStatus | undefined {
  const n = overlay.nodes.get(id);
  if (n) return n.status;
  return overlay.runId && isRunLive(overlay.status) ? "queued" : undefined;
}

export type EdgeRunState = "active" | "taken";

/**
 * The edge's part in the run: "taken" when its source finished on the edge's port and its target was
 * reached; "active" while that target is still executing (animated on the canvas).
 */
export function edgeRunState(overlay: Pick<RunOverlay, "nodes">, edge: Pick<WorkflowEdge, "source" | "target" | "sourceHandle">): EdgeRunState | undefined {
  const src = overlay.nodes.get(edge.source);
  const dst = overlay.nodes.get(edge.target);
  if (!src || !dst || dst.status === "skipped") return undefined;
  if (src.status !== "succeeded" && !(src.status === "failed" && src.handled)) return undefined;
  const handle = edge.sourceHandle ?? undefined;
  if (handle && src.port && handle !== src.port) return undefined;
  if (src.handled && handle !== "error") return undefined;
  return dst.status === "running" || dst.status === "retrying" || dst.status === "waiting" ? "active" : "taken";
}

/** Every edge's run state at once (for one style sheet per frame instead of one render per edge). */
export function edgeRunStates(
  overlay: Pick<RunOverlay, "nodes">,
  edges: readonly Pick<WorkflowEdge, "id" | "source" | "target" | "sourceHandle">[],
): Map<string, EdgeRunState> {
  const out = new Map<string, EdgeRunState>();
  if (!overlay.nodes.size) return out;
  for (const e of edges) {
    const s = edgeRunState(overlay, e);
    if (s) out.set(e.id, s);
  }
  return out;
}
