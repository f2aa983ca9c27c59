import { END, START, Send, StateGraph, type BaseCheckpointSaver, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { LRUCache } from "lru-cache";
import { IssueCode, validateWorkflow, type WorkflowDocument, type WorkflowIssue } from "../workflow";
import { EngineError, WorkflowCompileError } from "./errors";
import { createExecutor } from "./executors";
import { adaptiveMapGate, branchFailed, mapItems, type MapSlotRelease } from "./executors/parallel-map";
import { auraConfigurable, createNodeFunction } from "./node-function";
import { deriveRecursionLimit, flowPortsOf, planWorkflow, type Plan, type Scope } from "./plan";
import { runContext, Semaphore } from "./run-context";
import type { EngineServices } from "./services";
import { withoutPins } from "./pinned";
import { chainNodeName, fusableChains, fusedChainNode } from "./fused-chain";
import { buildStateAnnotation, INTERNAL, publicState, reducerFor, type JoinEntry } from "./state";

// The graph is built from data, so node names are runtime strings (see the LangGraph note).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- LangGraph's state, update and node types depend on data only known at run time
type AnyGraph = StateGraph<any, any, any, string>;
/** A compiled LangGraph graph of a workflow (invoke / stream / getState). */
export type CompiledGraph = ReturnType<AnyGraph["compile"]>;

export interface CompiledWorkflow {
  readonly doc: WorkflowDocument;
  readonly plan: Plan;
  /** Steps LangGraph allows a run (derived from the graph: node count, ×100 passes with loops). */
  readonly recursionLimit: number;
  /** Run-level task concurrency (the largest Parallel map cap), if the workflow fans out. */
  readonly maxConcurrency?: number;
  /** Non-blocking issues validateWorkflow reported (unreachable nodes, no Output). */
  readonly warnings: WorkflowIssue[];
  /** The document node ids a LangGraph node runs when it is a fused chain (fused-chain.ts), in order; else undefined. */
  fusedNodeIds(graphNode: string): readonly string[] | undefined;
  /**
   * The LangGraph graph using `checkpointer` (compiled once per checkpointer instance). Without one it
   * runs in memory, or, invoked inside another graph's node, borrows that graph's checkpointer.
   */
  graph(checkpointer?: BaseCheckpointSaver): CompiledGraph;
}

/**
 * LangGraph node names: "@<id>" for document nodes (a node id may also be a state field, which
 * LangGraph forbids for node names; ':' is reserved there, so it becomes '~', which ids never contain)
 * and "each@<mapId>" for the helper that runs one map item.
 */
export const graphNodeName = (id: string) => `@${id.replace(/:/g, "~")}`;
const branchNodeName = (mapId: string) => `each${graphNodeName(mapId)}`;
/** The document node id of a LangGraph node name, or undefined for helper nodes. */
export const documentNodeId = (name: string) => (name.startsWith("@") ? name.slice(1).replace(/~/g, ":") : undefined);

/** Per-map concurrency cap, shared by every branch of one map in one run (and one enclosing item). */
function mapSemaphore(lg: LangGraphRunnableConfig, mapId: string, cap: number): Semaphore | undefined {
  const { runId, scope, itemIndex } = auraConfigurable(lg);
  const run = runContext(runId);
  if (!run) return undefined;
  const key = `${(scope ?? []).join("/")}|${itemIndex ?? ""}|${mapId}`;
  let s = run.semaphores.get(key);
  if (!s) run.semaphores.set(key, (s = new Semaphore(cap)));
  return s;
}

/** Runs one map item through a body: its final state. */
type BodyRunner = (input: Record<string, unknown>, lg: LangGraphRunnableConfig) => Promise<Record<string, unknown>>;

/**
 * A body that is a plain chain (one entry, every node with one output to at most one next node, no
 * maps, joins, approvals or sub-workflows) runs its wrapped nodes in sequence, applying updates with the
 * same reducers: same events, retries and timeouts, without a nested LangGraph run per item (which
 * costs a few milliseconds each and dominates a 1,000-item fan-out).
 */
function linearChain(plan: Plan, scope: Scope): string[] | undefined {
  if (scope.entries.length !== 1) return undefined;
  const chain: string[] = [];
  const inScope = new Set(scope.nodeIds);
  for (let id: string | undefined = scope.entries[0]; id !== undefined;) {
    const node = plan.nodes.get(id)!;
    if (chain.includes(id) || ["parallel-map", "join", "human-approval", "sub-workflow"].includes(node.kind)) return undefined;
    const ports = flowPortsOf(node);
    if (ports.length > 1) return undefined;
    chain.push(id);
    const next: string[] = (plan.out.get(id)?.get(ports[0] ?? "") ?? []).filter((t) => inScope.has(t));
    if (next.length > 1) return undefined;
    id = next[0];
  }
  return chain.length === scope.nodeIds.length ? chain : undefined;
}

function inlineBody(plan: Plan, scope: Scope, chain: string[], services: EngineServices): BodyRunner {
  const fns = chain.map((id) =>
    createNodeFunction(plan.nodes.get(id)!, plan, createExecutor(plan.nodes.get(id)!, plan, executorServices(services)), services, scope.closingJoin),
  );
  const reduce = reducerFor(plan);
  return async (input, lg) => {
    let state: Record<string, unknown> = { ...input };
    for (const fn of fns) {
      if (lg.signal?.aborted) throw lg.signal.reason;
      const update = await fn(state, lg);
      state = { ...state };
      for (const [k, v] of Object.entries(update)) state[k] = reduce(k)(state[k], v);
    }
    return state;
  };
}

function buildScope(
  plan: Plan,
  scope: Scope,
  services: EngineServices,
  annotation: ReturnType<typeof buildStateAnnotation>,
  bodies: Map<string, BodyRunner>,
  chains: string[][] = [],
): AnyGraph {
  const graph = new StateGraph(annotation) as unknown as AnyGraph;
  const inScope = new Set(scope.nodeIds);
  // A fused chain is one LangGraph node under its head's chain name; edges reach only its head.
  const chainOf = new Map(chains.flatMap((chain) => chain.map((id) => [id, chain] as const)));
  const nameOf = (id: string) => (chainOf.has(id) ? chainNodeName(chainOf.get(id)![0]) : graphNodeName(id));
  const wrapped = (id: string) =>
    createNodeFunction(plan.nodes.get(id)!, plan, createExecutor(plan.nodes.get(id)!, plan, executorServices(services)), services, scope.closingJoin);
  for (const chain of chains) graph.addNode(chainNodeName(chain[0]), fusedChainNode(plan, chain.map(wrapped), chain));

  for (const id of scope.nodeIds) {
    const node = plan.nodes.get(id)!;
    if (chainOf.has(id)) continue;
    graph.addNode(graphNodeName(id), wrapped(id), node.kind === "join" ? { defer: true } : undefined);

    if (node.kind === "parallel-map") {
      const body = plan.maps.get(id)!;
      const runBody = bodies.get(id)!;
      const cfg = plan.configs.get(id)!;
      const cap = Number(cfg.maxConcurrency ?? 10);
      const closing = body.closingJoin;
      graph.addNode(branchNodeName(id), async (arg: Record<string, unknown>, lg: LangGraphRunnableConfig) => {
        const index = arg.__index as number;
        // "adaptive" maps: an AIMD gate fed by each item's latency and outcome (executors/parallel-map.ts).
        const release: MapSlotRelease | undefined = await (adaptiveMapGate(lg, id, cfg) ?? mapSemaphore(lg, id, cap))?.acquire();
        let failed = true;
        try {
          setMaxListeners(0, lg.signal!);
          const final = await runBody(arg.__input as Record<string, unknown>, { ...lg, configurable: { ...lg.configurable, aura_item: index } });
          failed = branchFailed(arg.__input as Record<string, unknown>, final);
          if (!closing) return {};
          const fed = ((final[INTERNAL.joins] ?? {}) as Record<string, JoinEntry[]>)[closing] ?? [];
          const value = fed.length === 0 ? null : fed.length === 1 ? fed[0].value : fed.map((e) => e.value);
          return { [INTERNAL.joins]: { [closing]: [{ from: id, value, index }] } };
        } finally {
          release?.(failed);
        }
      });
    }
  }

  for (const entry of scope.entries) graph.addEdge(START, nameOf(entry));

  for (const id of scope.nodeIds) {
    const node = plan.nodes.get(id)!;
    const chain = chainOf.get(id);
    // Inside a chain the hand-over is the chain's own; only its last node's edges leave it.
    if (chain && chain.at(-1) !== id) continue;
    const byPort = plan.out.get(id) ?? new Map<string, string[]>();
    const targetsOf = (port: string) => (byPort.get(port) ?? []).filter((t) => inScope.has(t)).map(nameOf);

    if (node.kind === "parallel-map") {
      const body = plan.maps.get(id)!;
      const cfg = plan.configs.get(id)!;
      const itemName = typeof cfg.itemName === "string" ? cfg.itemName : "item";
      const closing = body.closingJoin && inScope.has(body.closingJoin) ? graphNodeName(body.closingJoin) : undefined;
      const errorTargets = targetsOf("error");
      const ends = [branchNodeName(id), ...(closing ? [closing] : []), ...errorTargets, END];
      graph.addConditionalEdges(
        graphNodeName(id),
        (state: Record<string, unknown>) => {
          if ((state[INTERNAL.ports] as Record<string, string> | undefined)?.[id] === "error") return errorTargets.length ? errorTargets : END;
          const items = mapItems(state, String(cfg.itemsFrom));
          if (!items.length) return closing ?? END;
          // The branch sees the state without the list itself (1,000 items × a 1,000-item list would be quadratic).
          const shared = publicState(state);
          delete shared[String(cfg.itemsFrom).split(/[.[]/)[0]];
          return items.map((item, index) => new Send(branchNodeName(id), { __index: index, __input: { ...shared, [itemName]: item } }));
        },
        ends,
      );
      graph.addEdge(branchNodeName(id), closing ?? END);
      continue;
    }

    const ports = flowPortsOf(node);
    if (ports.length <= 1) {
      const targets = ports.length ? targetsOf(ports[0]) : [];
      for (const t of targets) graph.addEdge(nameOf(id), t);
      continue;
    }
    const all = [...new Set(ports.flatMap(targetsOf))];
    graph.addConditionalEdges(
      graphNodeName(id),
      (state: Record<string, unknown>) => {
        const port = (state[INTERNAL.ports] as Record<string, string> | undefined)?.[id];
        const targets = port ? targetsOf(port) : [];
        return targets.length ? targets : END;
      },
      [...all, END],
    );
  }
  return graph;
}

function compileUncached(doc: WorkflowDocument, services: EngineServices): CompiledWorkflow {
  const validation = validateWorkflow(doc);
  const errors = validation.filter((i) => i.severity === "error");
  if (errors.length) throw new WorkflowCompileError(errors);
  const { plan, issues } = planWorkflow(doc);
  if (!plan) throw new WorkflowCompileError(issues);

  const annotation = buildStateAnnotation(plan);
  const bodies = new Map<string, BodyRunner>();
  const chains = fusableChains(plan);
  const chainByName = new Map(chains.map((chain) => [chainNodeName(chain[0]), chain]));
  let builder: AnyGraph;
  try {
    // Bodies innermost first, so a body's graph exists before the scope that maps over it.
    const order: Scope[] = [];
    const visit = (scope: Scope) => {
      for (const id of scope.nodeIds) if (plan.maps.has(id)) visit(plan.maps.get(id)!);
      order.push(scope);
    };
    visit(plan.root);
    for (const scope of order) {
      if (scope === plan.root) continue;
      const chain = linearChain(plan, scope);
      if (chain) {
        bodies.set(scope.id, inlineBody(plan, scope, chain, services));
        continue;
      }
      const needsCheckpoints = scope.nodeIds.some((id) => ["human-approval", "sub-workflow"].includes(plan.nodes.get(id)!.kind));
      // Item branches are not checkpointed one by one (1,000 items would mean thousands of writes);
      // a finished branch is still saved as its map task's write, so a resumed run skips it.
      const sub: CompiledGraph = buildScope(plan, scope, services, annotation, bodies).compile(needsCheckpoints ? {} : { checkpointer: false });
      bodies.set(scope.id, async (input, lg) => (await sub.invoke(input, lg)) as Record<string, unknown>);
    }
    builder = buildScope(plan, plan.root, services, annotation, bodies, chains);
  } catch (err) {
    if (err instanceof EngineError) {
      throw new WorkflowCompileError([{ code: IssueCode.CONFIG_INVALID, severity: "error", message: err.message, path: ["nodes"] }]);
    }
    throw err;
  }

  const graphs = new WeakMap<object, CompiledGraph>();
  let inMemory: CompiledGraph | undefined;
  const caps = [...plan.maps.keys()].map((id) => Number(plan.configs.get(id)!.maxConcurrency ?? 10));
  return {
    doc,
    plan,
    recursionLimit: deriveRecursionLimit(plan),
    maxConcurrency: caps.length ? Math.max(...caps) : undefined,
    warnings: validation.filter((i) => i.severity !== "error"),
    fusedNodeIds: (name) => chainByName.get(name),
    graph(checkpointer) {
      if (!checkpointer) return (inMemory ??= builder.compile());
      let g = graphs.get(checkpointer);
      if (!g) graphs.set(checkpointer, (g = builder.compile({ checkpointer })));
      return g;
    },
  };
}

const forExecutors = new WeakMap<EngineServices, EngineServices>();
/**
 * The host's services plus compileSubWorkflow (compiling with the host's services, so a child shares
 * their cache): how the Sub-workflow executor reaches the compiler without importing it (a cycle).
 */
function executorServices(services: EngineServices): EngineServices {
  let s = forExecutors.get(services);
  if (!s) forExecutors.set(services, (s = { ...services, compileSubWorkflow: (doc) => compileWorkflow(doc, services) }));
  return s;
}

const byDoc = new WeakMap<EngineServices, WeakMap<WorkflowDocument, CompiledWorkflow>>();
/** Per services instance: the 64 most recently used documents by content hash (equal copies compile once). */
const byHash = new WeakMap<EngineServices, LRUCache<string, CompiledWorkflow>>();
const HASH_CACHE_SIZE = 64;

/** A content hash of a document (what the compile cache is keyed by besides object identity). */
export function documentHash(doc: WorkflowDocument): string {
  return createHash("sha256").update(JSON.stringify(doc)).digest("hex");
}

/**
 * Compiles a workflow document into a LangGraph graph. Refuses a document that does not validate with
 * a WorkflowCompileError carrying validateWorkflow's issues (same codes the editor shows). Pure and
 * cached per services instance, by document object and by content hash.
 * Pinned nodes skip their executor only with `usePinnedData` (otherwise the pins are ignored).
 */
export function compileWorkflow(input: WorkflowDocument, services: EngineServices, options: { usePinnedData?: boolean } = {}): CompiledWorkflow {
  const doc = options.usePinnedData ? input : withoutPins(input);
  let docs = byDoc.get(services);
  if (!docs) byDoc.set(services, (docs = new WeakMap()));
  const hit = docs.get(doc);
  if (hit) return hit;
  let hashes = byHash.get(services);
  if (!hashes) byHash.set(services, (hashes = new LRUCache({ max: HASH_CACHE_SIZE })));
  const hash = documentHash(doc);
  let compiled = hashes.get(hash);
  if (!compiled) {
    compiled = compileUncached(doc, services);
    hashes.set(hash, compiled);
  }
  docs.set(doc, compiled);
  return compiled;
}
