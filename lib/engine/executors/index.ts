import type { NodeKindName, WorkflowNode } from "../../workflow";
import { EngineError, EngineErrorCode } from "../errors";
import type { Plan } from "../plan";
import type { EngineServices } from "../services";
import { createAgentExecutor } from "./agent";
import { delay } from "./delay";
import { httpRequest } from "./http-request";
import { humanApproval } from "./human-approval";
import { join } from "./join";
import { jsTransform } from "./js-transform";
import { jsonExtract } from "./json-extract";
import { maskingSecrets } from "./mask-secrets";
import { memoryRetrieve, memoryStore } from "./memory-store";
import { modelRouter } from "./model-router";
import { output } from "./output";
import { parallelMap } from "./parallel-map";
import { router } from "./router";
import { sentiment } from "./sentiment";
import { setFields } from "./set-fields";
import { start } from "./start";
import { subWorkflow } from "./sub-workflow";
import { template } from "./template";
import type { Executor, ExecutorFactory, ExecutorFor } from "./types";

/** One executor factory per catalog kind: a kind added to the catalog without one fails to compile. */
export const EXECUTORS: { readonly [K in NodeKindName]: ExecutorFor<K> } = {
  start,
  // An agent's tool calls run other executors: it gets createExecutor (hoisted, read at call time) as a parameter.
  agent: createAgentExecutor(createExecutor),
  "model-router": modelRouter,
  "http-request": httpRequest,
  "js-transform": jsTransform,
  template,
  "json-extract": jsonExtract,
  sentiment,
  delay,
  router,
  "human-approval": humanApproval,
  "parallel-map": parallelMap,
  join,
  "sub-workflow": subWorkflow,
  "memory-store": memoryStore,
  "memory-retrieve": memoryRetrieve,
  "set-fields": setFields,
  output,
};

/** The prepared executor of a node. */
export function createExecutor(node: WorkflowNode, plan: Plan, services: EngineServices): Executor {
  // node.kind is any string here (documents are data); validation reported unknown kinds already.
  const factory = (EXECUTORS as Readonly<Record<string, ExecutorFactory<never>>>)[node.kind] as ExecutorFactory | undefined;
  if (!factory) throw new EngineError(EngineErrorCode.WORKFLOW_INVALID, `No executor for node kind "${node.kind}".`);
  return maskingSecrets(factory(node, plan, services));
}

export type { ExecContext, ExecResult, Executor, ExecutorFactory } from "./types";
