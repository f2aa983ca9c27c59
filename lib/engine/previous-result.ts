import { outputKeyOf, type Plan } from "./plan";

/** What an Output with an empty value returns: the value and the node that produced it. */
export interface PreviousResult {
  /** The node whose result this is; undefined when no step before the Output produced anything. */
  from?: string;
  value: unknown;
}

/** Flow predecessors of `nodeId`, in document edge order. */
function predecessorsOf(plan: Plan, nodeId: string): string[] {
  const preds: string[] = [];
  for (const [source, byPort] of plan.out) {
    for (const targets of byPort.values()) if (targets.includes(nodeId) && !preds.includes(source)) preds.push(source);
  }
  return preds;
}

/**
 * The result of the step that led to `nodeId` (an Output with an empty value), walking back over the
 * flow edges, nearest first:
 * - a node that writes a value and has one in the state (it ran) is the answer;
 * - Start is the answer with the run input (its one field's value, or the object of its fields);
 * - nodes that write nothing (Router, Delay, …) or did not run (a branch not taken) are walked past.
 * Pure: the state is the one the Output sees.
 */
export function previousResult(plan: Plan, nodeId: string, state: Record<string, unknown>): PreviousResult {
  const seen = new Set<string>([nodeId]);
  const queue = predecessorsOf(plan, nodeId);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = plan.nodes.get(id);
    if (!node) continue;
    if (node.kind === "start") {
      const fields = ((plan.configs.get(id)?.fields as { name: string }[] | undefined) ?? []).map((f) => f.name);
      const value = fields.length === 1 ? state[fields[0]] : Object.fromEntries(fields.filter((f) => state[f] !== undefined).map((f) => [f, state[f]]));
      return { from: id, value: value ?? null };
    }
    const key = outputKeyOf(node);
    if (key && state[key] !== undefined) return { from: id, value: state[key] };
    queue.push(...predecessorsOf(plan, id));
  }
  return { value: null };
}
