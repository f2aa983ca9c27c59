import type { WorkflowDocument, WorkflowEdge } from "@/lib/workflow/schema";
import { keysWritten } from "../data-dependencies";
import { edgePort, flowOut, freshId, freshLabel, named, newNode } from "./doc-edit";
import { FixRefusalCode, refuse, type FixResult } from "./fix-types";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NO_ERROR_ROUTE_KINDS = new Set(["start", "output", "join", "router", "human-approval"]);

/**
 * ADD_ERROR_ROUTE: the node's failures take an `error` output (On error: route) into a new fallback
 * step, a Template that writes a short note under the node's own output key, so the steps after it
 * still find a value, and then continues where the node would have (same targets). The run goes on
 * instead of failing. Refused when errors are already routed somewhere.
 */
export function addErrorRoute(doc: WorkflowDocument, nodeId: string): FixResult {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return refuse(FixRefusalCode.NODE_MISSING, `Node "${nodeId}" is no longer in the workflow; re-run the analysis.`);
  if (NO_ERROR_ROUTE_KINDS.has(node.kind)) return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(node)} is a ${node.kind}; it has no failures to route.`);
  const out = flowOut(doc, node.id);
  if (node.policy?.onError === "route" && out.some((e) => edgePort(doc, e) === "error"))
    return refuse(FixRefusalCode.ALREADY_APPLIED, `${named(node)} already routes its errors to a fallback branch.`);
  const next = out.filter((e) => edgePort(doc, e) !== "error");

  const key = [...keysWritten(node)][0] ?? node.id;
  const fallbackId = freshId(doc, `${node.id}-fallback`);
  const fallback = newNode(
    "template",
    fallbackId,
    freshLabel(doc, `Fallback for ${node.label || node.id}`),
    { x: node.position.x, y: node.position.y + 160 },
    {
      template: `${node.label || node.id} failed ({{error.code}}: {{error.message}}); continuing without its result.`,
      outputKey: IDENTIFIER.test(key) ? key : "",
    },
  );
  const taken = new Set<string>([fallbackId]);
  const edge = (source: string, target: string, sourceHandle?: string, label?: string): WorkflowEdge => {
    const id = freshId(doc, `e-${source}-${target}${sourceHandle ? `-${sourceHandle}` : ""}`, taken);
    taken.add(id);
    return { id, source, target, ...(sourceHandle ? { sourceHandle } : {}), ...(label ? { label } : {}) };
  };
  const added: WorkflowEdge[] = [edge(node.id, fallbackId, "error", "on error"), ...[...new Set(next.map((e) => e.target))].map((t) => edge(fallbackId, t))];
  // Edges that relied on "the first output" keep leaving from it: name the port now that there are two.
  const firstPort = next.length ? edgePort(doc, next[0]) : undefined;
  const edges = doc.edges.map((e) => (e.source === node.id && !e.sourceHandle && firstPort && next.includes(e) ? { ...e, sourceHandle: firstPort } : e));
  return {
    ok: true,
    doc: {
      ...doc,
      nodes: [...doc.nodes.map((n) => (n.id === node.id ? { ...n, policy: { ...n.policy, onError: "route" as const } } : n)), fallback],
      edges: [...edges, ...added],
    },
    title: `Route errors of ${named(node)} to a fallback step`,
    details: [
      `${named(node)}: On error → route (a failure no longer ends the run).`,
      `New step "${fallback.label}" writes a note about the failure${fallback.config.outputKey ? ` to "${key}", where ${named(node)} writes its result` : ""}.`,
      next.length
        ? `The fallback continues to ${[...new Set(next.map((e) => `"${doc.nodes.find((n) => n.id === e.target)?.label ?? e.target}"`))].join(", ")}.`
        : "The fallback ends the branch.",
    ],
    changes: { addedNodeIds: [fallbackId], addedEdgeIds: added.map((e) => e.id), removedEdgeIds: [], changedNodeIds: [node.id] },
  };
}
