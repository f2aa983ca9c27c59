import {
  buildAdjacency,
  getNodeKind,
  getOutputPorts,
  IssueCode,
  resolveSourceHandle,
  stronglyConnectedComponents,
  type WorkflowDocument,
  type WorkflowIssue,
  type WorkflowNode,
} from "../workflow";

/**
 * The compile plan: what the document means for execution, computed once and shared by the graph
 * builder and the node wrappers. Pure.
 *
 * Scopes: the root scope holds every node reachable from Start. The body of each Parallel map (the
 * nodes after its Each output, up to the first Join) is its own scope, compiled into a subgraph that
 * runs once per item, so the writes of one item never collide with another's. Nested maps nest scopes.
 */
export interface Scope {
  /** "root" or the id of the Parallel map whose body this is. */
  id: string;
  /** Nodes compiled into this scope's graph (nested maps are in, their bodies are not). */
  nodeIds: string[];
  /** Nodes the scope starts at. */
  entries: string[];
  /** For a map body: the Join that collects its items (it lives in the enclosing scope). */
  closingJoin?: string;
}

export interface Plan {
  doc: WorkflowDocument;
  nodes: Map<string, WorkflowNode>;
  /** Configs parsed with their kind's schema (defaults applied). */
  configs: Map<string, Record<string, unknown>>;
  /** Flow targets per node and output port. */
  out: Map<string, Map<string, string[]>>;
  /** Tool nodes wired to each Agent's Tools port. */
  tools: Map<string, string[]>;
  root: Scope;
  /** Map id → its body scope. */
  maps: Map<string, Scope>;
  /** Scope id of each compiled node. */
  scopeOf: Map<string, string>;
  /** Every state field: declared fields, Start fields, node output keys, map item names, Set fields targets. */
  stateKeys: string[];
  hasCycles: boolean;
}

/** Kinds whose node writes its value to `outputKey || node id`. */
const WRITES_VALUE = new Set([
  "agent",
  "model-router",
  "http-request",
  "js-transform",
  "template",
  "json-extract",
  "sentiment",
  "human-approval",
  "join",
  "sub-workflow",
  "memory-store",
  "memory-retrieve",
]);

/** The state field a node's result goes to, or undefined when the kind writes none. */
export function outputKeyOf(node: WorkflowNode): string | undefined {
  if (!WRITES_VALUE.has(node.kind)) return undefined;
  const key = node.config.outputKey;
  return typeof key === "string" && key ? key : node.id;
}

/** Ports a node can leave by at run time (its kind's flow outputs, plus `error` when failures are routed). */
export function flowPortsOf(node: WorkflowNode): string[] {
  return getOutputPorts(node.kind, node.config, node.policy)
    .filter((p) => p.type === "flow")
    .map((p) => p.id);
}

function issue(node: WorkflowNode, index: number, message: string): WorkflowIssue {
  return { code: IssueCode.CONFIG_INVALID, severity: "error", message, path: ["nodes", index], nodeId: node.id };
}

/** Builds the plan of a document that passed validateWorkflow; returns engine-only issues instead when it cannot run. */
export function planWorkflow(doc: WorkflowDocument): { plan?: Plan; issues: WorkflowIssue[] } {
  const issues: WorkflowIssue[] = [];
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const configs = new Map<string, Record<string, unknown>>();
  for (const n of doc.nodes) {
    const parsed = getNodeKind(n.kind)?.configSchema.safeParse(n.config);
    configs.set(n.id, parsed?.success ? parsed.data : n.config);
  }

  const out = new Map<string, Map<string, string[]>>();
  const tools = new Map<string, string[]>();
  for (const e of doc.edges) {
    const source = nodes.get(e.source);
    if (!source || !nodes.has(e.target)) continue;
    const handle = resolveSourceHandle(source, e);
    const port = getOutputPorts(source.kind, source.config, source.policy).find((p) => p.id === handle);
    if (!port) continue;
    if (port.type === "tools") {
      tools.set(source.id, [...(tools.get(source.id) ?? []), e.target]);
      continue;
    }
    const byPort = out.get(source.id) ?? new Map<string, string[]>();
    const list = byPort.get(port.id) ?? [];
    if (!list.includes(e.target)) list.push(e.target);
    byPort.set(port.id, list);
    out.set(source.id, byPort);
  }
  const successors = (id: string) => [...(out.get(id)?.values() ?? [])].flat();

  const scopeOf = new Map<string, string>();
  const maps = new Map<string, Scope>();
  const isJoin = (id: string) => nodes.get(id)?.kind === "join";
  const isMap = (id: string) => nodes.get(id)?.kind === "parallel-map";

  /**
   * Collects one scope breadth first from its entries.
   * 1. A map body stops at the first Join it reaches: that Join closes the map (a second one is an error).
   * 2. A nested Parallel map is collected recursively; the scan continues after its closing Join.
   * 3. A node already owned by another scope is an error (a body can only be entered through its map).
   */
  const collect = (id: string, entries: string[], isBody: boolean, stack: string[]): Scope => {
    const scope: Scope = { id, nodeIds: [], entries };
    const seen = new Set<string>();
    const queue = [...entries];
    const visit = (n: string) => {
      if (seen.has(n)) return;
      seen.add(n);
      const owner = scopeOf.get(n);
      if (owner !== undefined && owner !== id) {
        issues.push(
          issue(
            nodes.get(n)!,
            index.get(n)!,
            `"${nodes.get(n)!.label}" is inside the Parallel map "${nodes.get(owner)?.label ?? owner}" and must not be reached from outside it; route other paths to its Join instead.`,
          ),
        );
        return;
      }
      scopeOf.set(n, id);
      scope.nodeIds.push(n);
      if (isMap(n)) {
        if (stack.includes(n)) {
          issues.push(
            issue(
              nodes.get(n)!,
              index.get(n)!,
              `Parallel map "${nodes.get(n)!.label}" is inside its own body; close the body with a Join before looping back.`,
            ),
          );
          return;
        }
        const body = collect(n, out.get(n)?.get("each") ?? [], true, [...stack, n]);
        maps.set(n, body);
        for (const next of out.get(n)?.get("error") ?? []) queue.push(next);
        // The inner map's Join belongs to this scope as an ordinary node (not as this body's closing Join).
        if (body.closingJoin) visit(body.closingJoin);
        return;
      }
      queue.push(...successors(n));
    };
    while (queue.length) {
      const n = queue.shift()!;
      if (isBody && isJoin(n) && !seen.has(n)) {
        if (scope.closingJoin === undefined) {
          scope.closingJoin = n;
          continue;
        }
        if (scope.closingJoin !== n) {
          const map = nodes.get(id)!;
          issues.push(
            issue(
              map,
              index.get(id)!,
              `The body of Parallel map "${map.label}" reaches two Joins ("${nodes.get(scope.closingJoin)!.label}" and "${nodes.get(n)!.label}"); lead every item branch into one Join.`,
            ),
          );
        }
        continue;
      }
      visit(n);
    }
    return scope;
  };

  const start = doc.nodes.find((n) => n.kind === "start");
  const root = collect("root", start ? [start.id] : [], false, []);

  const keys = new Set<string>(doc.settings.stateFields.map((f) => f.name));
  for (const n of doc.nodes) {
    if (n.kind === "start") for (const f of (configs.get(n.id)!.fields as { name: string }[]) ?? []) keys.add(f.name);
    if (n.kind === "parallel-map") {
      const itemName = configs.get(n.id)!.itemName;
      keys.add(typeof itemName === "string" ? itemName : "item");
    }
    if (n.kind === "set-fields") for (const a of (configs.get(n.id)!.assignments as { field: string }[]) ?? []) keys.add(a.field);
    const key = outputKeyOf(n);
    if (key) keys.add(key);
  }
  keys.add("error");

  const adj = buildAdjacency(
    nodes.keys(),
    [...out].flatMap(([source, byPort]) => [...byPort.values()].flat().map((target) => ({ source, target }))),
  );
  const hasCycles = stronglyConnectedComponents(adj).some((c) => c.length > 1 || (adj.get(c[0]) ?? []).includes(c[0]));

  if (issues.length) return { issues };
  return { plan: { doc, nodes, configs, out, tools, root, maps, scopeOf, stateKeys: [...keys], hasCycles }, issues };
}

/**
 * LangGraph's step budget for a run: an acyclic graph needs at most one step per node (plus a few for
 * deferred joins); a graph with loops gets 100 passes per node (at least 1,000 steps), after which the
 * run fails with RECURSION_LIMIT instead of looping forever.
 */
export function deriveRecursionLimit(plan: Plan): number {
  const n = plan.doc.nodes.length + plan.maps.size;
  return plan.hasCycles ? Math.max(1000, n * 100) : n + 10;
}
