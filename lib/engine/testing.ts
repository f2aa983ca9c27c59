import { CURRENT_SCHEMA_VERSION, WorkflowDocumentSchema, type NodePolicy, type WorkflowDocument, type WorkflowDocumentInput } from "../workflow";

/** A node for `buildWorkflow`: [id, kind, config?, policy?]. */
export type NodeSpec = [string, string, Record<string, unknown>?, Partial<NodePolicy>?];
/** An edge for `buildWorkflow`: "a->b" or "a->b:port". */
export type EdgeSpec = string;

/**
 * A compact way to write workflow documents in tests, benches and examples:
 * `buildWorkflow([["start","start",{fields:[…]}], ["t","template",{template:"{{x}}"}]], ["start->t"])`.
 */
export function buildWorkflow(nodes: NodeSpec[], edges: EdgeSpec[], settings: WorkflowDocumentInput["settings"] = {}, name = "test"): WorkflowDocument {
  return WorkflowDocumentSchema.parse({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name,
    nodes: nodes.map(([id, kind, config, policy], i) => ({
      id,
      kind,
      label: id,
      position: { x: 0, y: i * 100 },
      config: config ?? {},
      ...(policy ? { policy } : {}),
    })),
    edges: edges.map((spec, i) => {
      const m = /^([^>]+)->([^:]+)(?::(.+))?$/.exec(spec);
      if (!m) throw new Error(`Bad edge "${spec}"`);
      return { id: `e${i}`, source: m[1].trim(), target: m[2].trim(), ...(m[3] ? { sourceHandle: m[3].trim() } : {}) };
    }),
    settings,
  });
}
