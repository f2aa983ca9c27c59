import { getNodeKind } from "./catalog";

/** True when a label is what the editor gives a new node: the kind's name, maybe numbered ("Agent 2"), or nothing. */
function isDefaultLabel(label: string, kindLabel: string): boolean {
  const l = label.trim();
  return l === "" || l === kindLabel || new RegExp(`^${kindLabel.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\d+$`).test(l);
}

/**
 * The name a node card shows above its kind: the node's own label, or — while the label is still the
 * default ("Agent", "Agent 2") — its role, so an Agent whose Role is "Researcher" reads "Researcher",
 * not "Agent / Agent". Shared display rule for the canvas and anything else naming nodes.
 */
export function nodeDisplayName(node: { kind: string; label: string; config: Record<string, unknown> }): string {
  const kindLabel = getNodeKind(node.kind)?.label ?? node.kind;
  if (!isDefaultLabel(node.label, kindLabel)) return node.label;
  const role = typeof node.config.role === "string" ? node.config.role.trim() : "";
  return role || node.label.trim() || kindLabel;
}
