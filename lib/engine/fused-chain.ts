import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { Overwrite } from "@langchain/langgraph";
import { auraConfigurable } from "./node-function";
import { flowPortsOf, type Plan } from "./plan";
import { runContext, type RunContext } from "./run-context";
import { canHoldUntilSaved } from "./saved-writes";
import type { EngineEvent } from "../contracts/events";
import { publicState, reducerFor, reducers } from "./state";

/**
 * Kinds whose executor is a pure function of the state: no I/O, no approval, no nested graph, one
 * flow output. Running one of them again after a crash gives the same writes, which is what lets a
 * chain of them share one LangGraph step (and one checkpoint) instead of one step each.
 */
const FUSABLE_KINDS = new Set(["start", "set-fields", "js-transform", "template", "json-extract", "output"]);

/** The LangGraph node name of a fused chain: its first node's id behind "chain@" (never a document node name, which starts with "@"). */
export const chainNodeName = (headId: string) => `chain@${headId.replace(/:/g, "~")}`;

/**
 * Maximal chains (≥ 2 nodes) of the root scope that can run as one LangGraph node: every node is of a
 * fusable kind with at most one flow port, each links to exactly one next node, and that next node has
 * no other way in (no other incoming edge, not an entry). A chain then runs exactly as its nodes did one
 * step after another: the same inputs, writes, events and order; only the checkpoints between them go.
 * None when the workflow asks for a checkpoint after each step (settings.checkpointEachStep, for time travel).
 * Pure: the plan in, node id lists out (in run order).
 */
export function fusableChains(plan: Plan): string[][] {
  if (plan.doc.settings.checkpointEachStep) return [];
  const root = new Set(plan.root.nodeIds);
  const incoming = new Map<string, number>();
  for (const byPort of plan.out.values()) for (const targets of byPort.values()) for (const t of targets) incoming.set(t, (incoming.get(t) ?? 0) + 1);
  for (const e of plan.root.entries) incoming.set(e, (incoming.get(e) ?? 0) + 1);
  const fusable = (id: string) => {
    const node = plan.nodes.get(id);
    return !!node && root.has(id) && FUSABLE_KINDS.has(node.kind) && flowPortsOf(node).length <= 1;
  };
  /** The node `id` hands over to inside a chain, if any. */
  const link = (id: string): string | undefined => {
    if (!fusable(id)) return undefined;
    const targets = [...(plan.out.get(id)?.values() ?? [])].flat();
    const next = targets.length === 1 ? targets[0] : undefined;
    return next !== undefined && next !== id && fusable(next) && incoming.get(next) === 1 ? next : undefined;
  };
  const linked = new Set<string>();
  for (const id of plan.root.nodeIds) {
    const next = link(id);
    if (next !== undefined) linked.add(next);
  }
  const chains: string[][] = [];
  for (const head of plan.root.nodeIds) {
    if (linked.has(head) || link(head) === undefined) continue;
    const chain = [head];
    for (let next = link(head); next !== undefined && !chain.includes(next); next = link(next)) chain.push(next);
    chains.push(chain);
  }
  return chains;
}

type NodeFunction = (state: Record<string, unknown>, lg: LangGraphRunnableConfig) => Promise<Record<string, unknown>>;

/**
 * Collects the events of a chain's nodes in the order they are said. The first node's node.started
 * goes out at once (the chain is running); everything after it waits with the chain's closing events:
 * a node of the chain may only be said to have finished once the chain's writes are saved (a crash
 * before that runs the whole chain again), and holding the later nodes' starts too keeps the events in
 * the order a step-by-step run says them (a finishes before b starts).
 */
function chainCollector(run: RunContext): RunContext & { held: EngineEvent[] } {
  const held: EngineEvent[] = [];
  let first = true;
  return {
    held,
    emit(e) {
      if (first && e.type === "node.started") run.emit(e);
      else held.push(e);
      first = false;
    },
    emitWhenSaved: (_taskId, events) => void held.push(...events),
    semaphores: run.semaphores,
    secrets: run.secrets,
  };
}

/**
 * One LangGraph node that runs a chain's wrapped node functions in order. Each node sees the state its
 * predecessor left (updates applied with the state's reducers), and each one's public writes are said as
 * a state.update after its node.finished, as when every node was a LangGraph step. The task returns the
 * writes of the whole chain folded per field, which LangGraph's reducers then apply to the state the
 * chain started from: that equals applying them one by one for replace and append fields and for
 * merges of objects; a merge field that goes from a non-object to an object within the chain is
 * written as an Overwrite of its final value instead.
 * A chain that fails says what its nodes said (the run stops there); continued, it runs from its first node.
 */
export function fusedChainNode(plan: Plan, fns: NodeFunction[], ids: string[]): NodeFunction {
  const reduce = reducerFor(plan);
  return async (input, lg) => {
    const { runId, depth, scope } = auraConfigurable(lg);
    const lgc = (lg.configurable ?? {}) as Record<string, unknown>;
    const run = runContext(runId);
    const collector = run && chainCollector(run);
    const memberLg = collector ? { ...lg, configurable: { ...lgc, aura_sink: collector } } : lg;
    // State updates are events of the run's own steps only (a sub-workflow's inner steps never said them).
    const says = !!run && depth === 0 && !scope;
    let state: Record<string, unknown> = input;
    const combined: Record<string, unknown> = {};
    const overwrite = new Set<string>();
    try {
      for (let i = 0; i < fns.length; i++) {
        if (lg.signal?.aborted) throw lg.signal.reason;
        const update = await fns[i](state, memberLg);
        state = { ...state };
        for (const [k, v] of Object.entries(update)) {
          const r = reduce(k);
          if (r === reducers.merge && k in combined && !isObject(state[k]) && isObject(v)) overwrite.add(k);
          state[k] = r(state[k], v);
          combined[k] = k in combined ? r(combined[k], v) : v;
        }
        if (says) {
          const values = publicState(update);
          if (Object.keys(values).length) collector!.held.push({ type: "state.update", runId, ts: Date.now(), nodeId: ids[i], values });
        }
      }
    } catch (err) {
      for (const e of collector?.held ?? []) run!.emit(e);
      throw err;
    }
    if (collector?.held.length) {
      const taskId = lgc.__pregel_task_id;
      if (says && canHoldUntilSaved(lgc.__pregel_checkpointer, taskId)) run.emitWhenSaved(taskId, collector.held);
      else for (const e of collector.held) run!.emit(e);
    }
    for (const k of overwrite) combined[k] = new Overwrite(state[k]);
    return combined;
  };
}

const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
