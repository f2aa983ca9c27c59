import type { WorkflowNode } from "@/lib/workflow/schema";
import { keysRead, keysWritten } from "./data-dependencies";
import type { FlowGraph } from "./flow-graph";
import type { Condensation } from "./loops";

/** Kinds that are plain steps: they can run side by side when no data flows between them. */
export const PARALLELISABLE_KINDS: ReadonlySet<string> = new Set([
  "agent",
  "http-request",
  "js-transform",
  "template",
  "json-extract",
  "sentiment",
  "memory-retrieve",
  "memory-store",
  "sub-workflow",
]);

export interface ParallelisableGroup {
  /** Consecutive vertices of one chain, in flow order. */
  vertices: number[];
  /** Document indices of the flow edges between them. */
  edgeDocIndices: number[];
  /** Time saved per run by running them side by side: Σ w − max w (ms). */
  savingMs: number;
}

/** Side effects whose order may matter even without a data reference. */
export function sideEffect(node: WorkflowNode): boolean {
  if (node.kind === "memory-store" || node.kind === "sub-workflow") return true;
  return node.kind === "http-request" && typeof node.config.method === "string" && node.config.method !== "GET";
}
/** The memory namespace a Memory store / retrieve node uses. */
export const namespaceOf = (node: WorkflowNode) => (typeof node.config.namespace === "string" ? node.config.namespace : "default");

/**
 * Parallelisable sequences: consecutive nodes of a chain that could run side by side.
 *
 * Definitions:
 * - a chain link is a flow pair u→v where u's only successor is v, v's only predecessor is u, and
 *   neither is in a loop; a chain is a maximal path of links;
 * - v depends on a set of nodes G when v reads (`keysRead`) a state field some node of G writes
 *   (`keysWritten`), or v and a node of G use the same memory namespace and one of them is a Memory
 *   store (one writes what the other reads), or both have side effects whose order may matter (Memory store,
 *   Sub-workflow, an HTTP request other than GET);
 * - a parallelisable group is a run of two or more consecutive chain nodes, all of a plain-step kind
 *   (`PARALLELISABLE_KINDS`: not Start/Output, routers, approvals, maps, joins, delays, model routers),
 *   none depending on an earlier member. Running them side by side (split before, Join after) keeps
 *   the result and saves Σ w − max w per run.
 *
 * 1. Find chain heads (a vertex that is not the target of a link) and walk each chain.
 * 2. Scan each chain greedily: extend the current group with the next node while it is eligible and
 *    does not depend on the group; otherwise close the group (kept when it has two or more members)
 *    and start a new one at that node if it is eligible.
 */
export function parallelisableGroups(graph: FlowGraph, cond: Condensation, weightMs: ArrayLike<number>): ParallelisableGroup[] {
  const n = graph.ids.length;
  const inLoop = (v: number) => cond.cyclic[cond.componentOf[v]];
  const linkNext = new Int32Array(n).fill(-1);
  const isLinkTarget = new Uint8Array(n);
  for (let u = 0; u < n; u++) {
    if (graph.out[u].length !== 1 || graph.selfLoop[u] || inLoop(u)) continue;
    const v = graph.out[u][0];
    if (graph.in[v].length !== 1 || inLoop(v)) continue;
    linkNext[u] = v;
    isLinkTarget[v] = 1;
  }
  const edgeBetween = new Map<number, number[]>();
  for (const { s, t, edges } of graph.pairs)
    if (linkNext[s] === t)
      edgeBetween.set(
        s,
        edges.map((e) => e.docIndex),
      );

  const groups: ParallelisableGroup[] = [];
  const emit = (g: number[]) => {
    if (g.length < 2) return;
    let sum = 0,
      max = 0;
    for (const v of g) {
      sum += weightMs[v];
      max = Math.max(max, weightMs[v]);
    }
    const edgeDocIndices = g
      .slice(0, -1)
      .flatMap((v) => edgeBetween.get(v) ?? [])
      .sort((a, b) => a - b);
    groups.push({ vertices: [...g], edgeDocIndices, savingMs: sum - max });
  };
  // 1. Chains.
  for (let head = 0; head < n; head++) {
    if (isLinkTarget[head] || linkNext[head] === -1) continue;
    // 2. Greedy scan.
    let group: number[] = [];
    let written = new Set<string>();
    let stores = new Set<string>();
    let retrieves = new Set<string>();
    let effects = false;
    const track = (node: WorkflowNode) => {
      if (node.kind === "memory-store") stores.add(namespaceOf(node));
      if (node.kind === "memory-retrieve") retrieves.add(namespaceOf(node));
      effects ||= sideEffect(node);
      for (const k of keysWritten(node)) written.add(k);
    };
    const start = (v: number) => {
      const node = graph.nodes[v];
      group = [];
      written = new Set();
      stores = new Set();
      retrieves = new Set();
      effects = false;
      if (!PARALLELISABLE_KINDS.has(node.kind)) return;
      group.push(v);
      track(node);
    };
    start(head);
    for (let v = linkNext[head]; v !== -1; v = linkNext[v]) {
      const node = graph.nodes[v];
      const eligible = PARALLELISABLE_KINDS.has(node.kind);
      let dependent = !eligible || group.length === 0;
      if (!dependent) {
        for (const k of keysRead(node))
          if (written.has(k)) {
            dependent = true;
            break;
          }
        if (node.kind === "memory-store" && (stores.has(namespaceOf(node)) || retrieves.has(namespaceOf(node)))) dependent = true;
        if (node.kind === "memory-retrieve" && stores.has(namespaceOf(node))) dependent = true;
        if (sideEffect(node) && effects) dependent = true;
      }
      if (dependent) {
        emit(group);
        start(v);
        continue;
      }
      group.push(v);
      track(node);
    }
    emit(group);
  }
  return groups;
}

/**
 * The first member of `nodes` (in order) that depends on an earlier one by the rules of
 * `parallelisableGroups` (reads what an earlier member writes, shares a memory namespace with a
 * store, or both have order-sensitive side effects), or -1 when they may all run side by side.
 */
export function firstDependentMember(nodes: readonly WorkflowNode[]): number {
  const written = new Set<string>();
  const stores = new Set<string>();
  const retrieves = new Set<string>();
  let effects = false;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (i > 0) {
      for (const k of keysRead(node)) if (written.has(k)) return i;
      if (node.kind === "memory-store" && (stores.has(namespaceOf(node)) || retrieves.has(namespaceOf(node)))) return i;
      if (node.kind === "memory-retrieve" && stores.has(namespaceOf(node))) return i;
      if (sideEffect(node) && effects) return i;
    }
    if (node.kind === "memory-store") stores.add(namespaceOf(node));
    if (node.kind === "memory-retrieve") retrieves.add(namespaceOf(node));
    effects ||= sideEffect(node);
    for (const k of keysWritten(node)) written.add(k);
  }
  return -1;
}
