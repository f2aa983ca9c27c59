import type { WorkflowDocument, WorkflowEdge } from "@/lib/workflow/schema";
import { flowIn, freshId, freshLabel, named, newNode } from "./doc-edit";
import { FixRefusalCode, refuse, type FixResult } from "./fix-types";

/**
 * ADD_FALLBACK_MODEL / ADD_MODEL_ROUTER: puts a Model router (fallback on) right before an Agent. The
 * agent's model moves into the router as its first candidate and the agent's Model is cleared, so it
 * uses the router's choice: the same model as before until cheaper or backup candidates are added to
 * the router (the preview says so). Every edge into the agent now enters the router. Refused when a
 * Model router already feeds the agent, or when the agent has no model of its own (the server default
 * cannot be named as a candidate).
 */
export function addModelRouter(doc: WorkflowDocument, agentId: string, purpose: "fallback" | "cost"): FixResult {
  const agent = doc.nodes.find((n) => n.id === agentId);
  if (!agent) return refuse(FixRefusalCode.NODE_MISSING, `Node "${agentId}" is no longer in the workflow; re-run the analysis.`);
  if (agent.kind !== "agent")
    return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(agent)} is not an Agent; only agents take their model from a Model router.`);
  const incoming = flowIn(doc, agent.id);
  if (incoming.some((e) => doc.nodes.find((n) => n.id === e.source)?.kind === "model-router"))
    return refuse(FixRefusalCode.ALREADY_APPLIED, `A Model router already chooses the model of ${named(agent)}.`);
  const model = typeof agent.config.model === "string" ? agent.config.model.trim() : "";
  if (!model)
    return refuse(
      FixRefusalCode.NOT_APPLICABLE,
      `${named(agent)} uses the server's default model, which a router cannot name: set its Model (e.g. openai:gpt-4o) first, then apply this fix.`,
    );
  if (incoming.length === 0) return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(agent)} has no incoming step to put a router after.`);

  const routerId = freshId(doc, `${agent.id}-model-router`);
  const router = newNode(
    "model-router",
    routerId,
    freshLabel(doc, `Model router for ${agent.label || agent.id}`),
    { x: agent.position.x, y: agent.position.y - 150 },
    {
      policy: purpose === "cost" ? "cheapest" : "best-quality",
      minQuality: "medium",
      fallback: true,
      candidates: [{ model, costPer1kTokens: 0, latencyMs: 1000, quality: "high" }],
    },
  );
  const linkId = freshId(doc, `e-${routerId}-${agent.id}`, new Set([routerId]));
  const link: WorkflowEdge = { id: linkId, source: routerId, target: agent.id };
  const retargeted = new Set(incoming.map((e) => e.id));
  return {
    ok: true,
    doc: {
      ...doc,
      nodes: [...doc.nodes.map((n) => (n.id === agent.id ? { ...n, config: { ...n.config, model: "" } } : n)), router],
      edges: [...doc.edges.map((e) => (retargeted.has(e.id) ? { ...e, target: routerId } : e)), link],
    },
    title: `Put a Model router before ${named(agent)}`,
    details: [
      `New "${router.label}" (${purpose === "cost" ? "cheapest" : "best quality"} first, fallback on) with ${model} as its candidate.`,
      `${named(agent)}: Model cleared, so it uses the router's choice.`,
      purpose === "cost"
        ? "Add cheaper candidate models to the router: it then picks the cheapest that meets the minimum quality."
        : "Add a backup candidate model to the router: a provider failure then moves to it.",
    ],
    changes: { addedNodeIds: [routerId], addedEdgeIds: [linkId], removedEdgeIds: [], changedNodeIds: [agent.id, ...new Set(incoming.map((e) => e.source))] },
  };
}
