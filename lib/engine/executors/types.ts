import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { NodeConfigOf, NodeKindName, WorkflowNode } from "../../workflow";
import type { EngineEvent } from "../../contracts/events";
import type { EngineServices } from "../services";
import type { Plan } from "../plan";

/** What a node's executor gets for one attempt. */
export interface ExecContext<C = Record<string, unknown>> {
  node: WorkflowNode;
  /** The node's config, parsed with its kind's schema (defaults applied). */
  config: C;
  /** The run state the node sees (in a map body: the item's branch state). */
  state: Record<string, unknown>;
  /** Aborts on cancel, run timeout and the node's own timeout. */
  signal: AbortSignal;
  attempt: number;
  runId: string;
  services: EngineServices;
  plan: Plan;
  /** LangGraph's config of this task (for interrupt and nested graphs). */
  lg: LangGraphRunnableConfig;
  /** Emits an event about this node (run id, node id, scope and time are filled in). */
  emit: (event: NodeEventInput) => void;
  /** Emits an event about another node (a tool an Agent called). */
  emitRaw: (event: EngineEvent) => void;
  /** Fields every node event of this task carries. */
  where: { scope?: string[]; itemIndex?: number };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NodeEventInput = DistributiveOmit<Extract<EngineEvent, { nodeId: string; kind: string }>, "runId" | "ts" | "nodeId" | "kind">;

export interface ExecResult {
  /** The node's result: written to its output key, fed to Joins, returned to calling Agents. */
  value?: unknown;
  /** Output port to continue on (default: the kind's first flow output). */
  port?: string;
  /** Extra state writes. */
  writes?: Record<string, unknown>;
  detail?: Record<string, unknown>;
  tokens?: { input: number; output: number };
  costUsd?: number;
  model?: string;
}

export type Executor<C = Record<string, unknown>> = (ctx: ExecContext<C>) => Promise<ExecResult> | ExecResult;

/** Prepares a node's executor at compile time (parse expressions, find tools, …); throws EngineError for config it cannot run. */
export type ExecutorFactory<C = Record<string, unknown>> = (node: WorkflowNode, plan: Plan, services: EngineServices) => Executor<C>;

/** The executor factory of kind K: its config type is the kind's parsed config schema. */
export type ExecutorFor<K extends NodeKindName> = ExecutorFactory<NodeConfigOf<K>>;
