import { EngineError, EngineErrorCode, isControlFlow, toEventError } from "../errors";
import { auraConfigurable } from "../node-function";
import { INTERNAL } from "../state";
import { startFields } from "./start";
import type { ExecutorFor } from "./types";

export const MAX_SUB_WORKFLOW_DEPTH = 8;

/**
 * Sub-workflow: loads the workflow through services.loadWorkflow, compiles it (cached) and runs it as a
 * nested LangGraph graph with this task's config, so it shares the run's checkpointer (its approvals
 * pause the parent) and its node events carry this node in their `scope`. Input: the state values of
 * the child's Start fields. Result: the child's Output.
 */
export const subWorkflow: ExecutorFor<"sub-workflow"> = (_node, _plan, services) => async (ctx) => {
  const { scope, depth } = auraConfigurable(ctx.lg);
  if (depth >= MAX_SUB_WORKFLOW_DEPTH)
    throw new EngineError(
      EngineErrorCode.SUB_WORKFLOW_TOO_DEEP,
      `Sub-workflows are nested more than ${MAX_SUB_WORKFLOW_DEPTH} deep (does "${ctx.config.workflowId}" call itself?).`,
    );
  if (!services.loadWorkflow)
    throw new EngineError(EngineErrorCode.SUB_WORKFLOW_NOT_FOUND, "This engine has no way to load sub-workflows (services.loadWorkflow is not set).");
  const doc = await services.loadWorkflow(ctx.config.workflowId, ctx.config.version).catch((err: unknown) => {
    throw new EngineError(
      EngineErrorCode.SUB_WORKFLOW_LOAD_FAILED,
      `Could not load workflow "${ctx.config.workflowId}": ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  });
  if (!doc)
    throw new EngineError(
      EngineErrorCode.SUB_WORKFLOW_NOT_FOUND,
      `Workflow "${ctx.config.workflowId}"${ctx.config.version ? ` version ${ctx.config.version}` : ""} was not found.`,
    );
  if (!services.compileSubWorkflow)
    throw new EngineError(
      EngineErrorCode.SUB_WORKFLOW_FAILED,
      "Sub-workflows run only in a workflow compiled by compileWorkflow (services.compileSubWorkflow is not set).",
    );
  const child = services.compileSubWorkflow(doc);
  const input = Object.fromEntries(
    startFields(doc)
      .map((f): [string, unknown] => [f.name, ctx.state[f.name]])
      .filter(([, v]) => v !== undefined),
  );
  try {
    const final = (await child.graph().invoke(input, {
      ...ctx.lg,
      signal: ctx.signal,
      recursionLimit: Math.max(ctx.lg.recursionLimit ?? 25, child.recursionLimit),
      configurable: { ...ctx.lg.configurable, aura_scope: [...(scope ?? []), ctx.node.id], aura_depth: depth + 1 },
    })) as Record<string, unknown>;
    const out = final[INTERNAL.output] as { value: unknown } | undefined;
    return { value: out?.value ?? null, detail: { workflowId: ctx.config.workflowId, workflowName: doc.name } };
  } catch (err) {
    if (isControlFlow(err) || ctx.signal.aborted) throw err;
    const e = toEventError(err);
    const where = (err as { nodeId?: string }).nodeId;
    throw new EngineError(EngineErrorCode.SUB_WORKFLOW_FAILED, `Sub-workflow "${doc.name}" failed${where ? ` at "${where}"` : ""}: ${e.code}: ${e.message}`);
  }
};
