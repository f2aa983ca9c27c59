import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { WorkflowNode } from "../workflow";
import type { EngineEvent } from "../contracts/events";
import { EngineError, EngineErrorCode, isControlFlow, isEngineCodePrefix, isRetryableCode, toEventError } from "./errors";
import type { Executor, ExecContext, ExecResult, NodeEventInput } from "./executors/types";
import { resultFromPin } from "./pinned";
import { flowPortsOf, outputKeyOf, type Plan } from "./plan";
import { sleep, taskRunContext } from "./run-context";
import { canHoldUntilSaved } from "./saved-writes";
import { INTERNAL, type JoinEntry } from "./state";
import type { EngineServices } from "./services";

/** Set on the error that fails a run, so run.failed can name the node. */
export class NodeFailure extends EngineError {
  constructor(
    readonly nodeId: string,
    code: EngineErrorCode,
    message: string,
  ) {
    super(code, message);
    this.name = "NodeFailure";
  }
}

/** Reads the Aura fields of a task's configurable. */
export function auraConfigurable(config: LangGraphRunnableConfig): { runId: string; scope?: string[]; itemIndex?: number; depth: number } {
  const c = (config.configurable ?? {}) as Record<string, unknown>;
  return {
    runId: typeof c.aura_run_id === "string" ? c.aura_run_id : "",
    scope: Array.isArray(c.aura_scope) && c.aura_scope.length ? (c.aura_scope as string[]) : undefined,
    itemIndex: typeof c.aura_item === "number" ? c.aura_item : undefined,
    depth: typeof c.aura_depth === "number" ? c.aura_depth : 0,
  };
}

/**
 * Whether a failure is retried under the policy's `retryOn` list. Empty: the engine decides by code
 * (timeouts, rate limits, 5xx, network; see isRetryableCode). Otherwise an entry that names a code
 * matches the code exactly or as a prefix (`HTTP_5` → HTTP_503); any other entry is a message
 * fragment a person wrote into the document (the schema allows it, e.g. `ECONNRESET`) and matches
 * the message.
 */
export function shouldRetry(error: { code: string; message: string }, retryOn: readonly string[]): boolean {
  if (!retryOn.length) return isRetryableCode(error.code);
  return retryOn.some((r) => (isEngineCodePrefix(r) ? error.code.startsWith(r) : error.message.includes(r)));
}

/**
 * Runs `promise` until it settles, the signal aborts, or `timeoutMs` passes (NODE_TIMEOUT). The
 * executor gets `controller.signal`, which aborts in both cases, so well-behaved work stops too.
 */
async function runAttempt(exec: () => Promise<ExecResult> | ExecResult, controller: AbortController, timeoutMs: number, label: string): Promise<ExecResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new EngineError(EngineErrorCode.NODE_TIMEOUT, `"${label}" took longer than its ${timeoutMs} ms timeout.`);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(exec), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Wraps a node's executor as a LangGraph node function: node events with attempts and durations,
 * the retry policy with backoff, the per-attempt timeout, `onError: "route"` (the `error` port and an
 * `error` state field instead of a failed run), the output key, the chosen port for conditional
 * edges, Join buckets, and node.skipped for the targets of ports not taken.
 */
export function createNodeFunction(node: WorkflowNode, plan: Plan, executor: Executor, services: EngineServices, scopeJoin: string | undefined) {
  const config = plan.configs.get(node.id)!;
  const policy = node.policy;
  const retry = policy?.retry;
  const maxAttempts = retry?.maxAttempts ?? 1;
  const routeErrors = policy?.onError === "route";
  const outputKey = outputKeyOf(node);
  const ports = flowPortsOf(node);
  const defaultPort = ports.find((p) => p !== "error") ?? "out";
  const routing = ports.length > 1;
  const portTargets = plan.out.get(node.id) ?? new Map<string, string[]>();
  // A pinned node never calls its executor: its pinned output flows on, and its events say "pinned".
  const pin = plan.doc.pins?.[node.id];
  const execute = pin ? () => resultFromPin(pin, outputKey) : executor;
  const pinned = pin ? { pinned: true } : {};
  const isJoinTarget = (id: string) => plan.nodes.get(id)?.kind === "join" && (plan.scopeOf.get(id) === plan.scopeOf.get(node.id) || id === scopeJoin);

  return async (state: Record<string, unknown>, lg: LangGraphRunnableConfig): Promise<Record<string, unknown>> => {
    const { runId, scope, itemIndex } = auraConfigurable(lg);
    const run = taskRunContext(lg.configurable ?? {}, runId);
    const emitRaw = (e: EngineEvent) => run?.emit(e);
    const where = { ...(scope ? { scope } : {}), ...(itemIndex !== undefined ? { itemIndex } : {}) };
    const nodeEvent = (e: NodeEventInput) => ({ ...e, runId, ts: Date.now(), nodeId: node.id, kind: node.kind, ...where }) as EngineEvent;
    const emit = (e: NodeEventInput) => {
      if (run) run.emit(nodeEvent(e));
    };
    // The node's closing events (finished, or failed and routed, and the skips that follow) wait until LangGraph
    // has saved this task's writes: said earlier, a crash in between would run the node again (saved-writes.ts).
    const lgc = (lg.configurable ?? {}) as Record<string, unknown>;
    const taskId = lgc.__pregel_task_id;
    // Only the run's own top-level steps: a Parallel map's body runs without checkpoints (its graph never saves
    // writes, so nothing would release them) and re-runs as a whole anyway.
    const topLevel = !scope && auraConfigurable(lg).depth === 0;
    const holding = run && topLevel && canHoldUntilSaved(lgc.__pregel_checkpointer, taskId) ? ([] as EngineEvent[]) : null;
    const closing = (e: EngineEvent) => (holding ? holding.push(e) : emitRaw(e));
    const close = () => {
      if (holding?.length) run!.emitWhenSaved(taskId as string, holding);
    };
    const runSignal = lg.signal ?? new AbortController().signal;
    const started = Date.now();
    let result: ExecResult | undefined;
    let failure: { code: EngineErrorCode; message: string } | undefined;
    let attemptsUsed: number;

    for (let attempt = 1; ; attempt++) {
      attemptsUsed = attempt;
      emit({ type: "node.started", attempt, ...pinned });
      // A per-attempt signal only when the node has a timeout; otherwise the run's signal is enough.
      const controller = policy?.timeoutMs ? new AbortController() : undefined;
      const onAbort = () => controller?.abort(runSignal.reason);
      if (controller) {
        if (runSignal.aborted) controller.abort(runSignal.reason);
        else runSignal.addEventListener("abort", onAbort, { once: true });
      }
      const ctx: ExecContext = { node, config, state, signal: controller?.signal ?? runSignal, attempt, runId, services, plan, lg, emit, emitRaw, where };
      try {
        result = controller ? await runAttempt(() => execute(ctx), controller, policy!.timeoutMs!, node.label || node.id) : await execute(ctx);
        break;
      } catch (err) {
        if (isControlFlow(err) || runSignal.aborted) throw err;
        failure = toEventError(err);
        if (attempt < maxAttempts && shouldRetry(failure, retry?.retryOn ?? [])) {
          const delayMs = Math.round((retry?.initialDelayMs ?? 0) * (retry?.backoffFactor ?? 1) ** (attempt - 1));
          emit({ type: "node.retrying", attempt, nextAttempt: attempt + 1, delayMs, error: failure });
          await sleep(delayMs, runSignal);
          continue;
        }
        const failed: NodeEventInput = { type: "node.failed", attempt, durationMs: Date.now() - started, error: failure, handled: routeErrors };
        if (!routeErrors) {
          emit(failed);
          throw new NodeFailure(node.id, failure.code, `${node.label || node.id}: ${failure.message}`);
        }
        closing(nodeEvent(failed));
        skipOthers("error");
        close();
        return { error: { nodeId: node.id, ...failure }, ...(routing ? { [INTERNAL.ports]: { [node.id]: "error" } } : {}) };
      } finally {
        if (controller) runSignal.removeEventListener("abort", onAbort);
      }
    }

    const port = result.port ?? defaultPort;
    const update: Record<string, unknown> = { ...result.writes };
    if (outputKey && result.value !== undefined) update[outputKey] = result.value;
    if (routing) update[INTERNAL.ports] = { [node.id]: port };
    const joins: Record<string, JoinEntry[]> = {};
    for (const target of portTargets.get(port) ?? []) {
      if (isJoinTarget(target)) joins[target] = [{ from: node.id, value: result.value ?? null }];
    }
    if (Object.keys(joins).length) update[INTERNAL.joins] = joins;
    closing(
      nodeEvent({
        type: "node.finished",
        attempt: attemptsUsed,
        durationMs: Date.now() - started,
        port,
        ...pinned,
        ...(result.tokens ? { tokens: result.tokens } : {}),
        ...(result.costUsd !== undefined ? { costUsd: result.costUsd } : {}),
        ...(result.model ? { model: result.model } : {}),
        ...(result.detail ? { detail: result.detail } : {}),
      }),
    );
    if (routing) skipOthers(port);
    close();
    return update;

    function skipOthers(taken: string) {
      const takenTargets = new Set(portTargets.get(taken) ?? []);
      for (const [p, targets] of portTargets) {
        if (p === taken) continue;
        for (const t of targets) {
          if (takenTargets.has(t) || plan.nodes.get(t)?.kind === "join") continue;
          const target = plan.nodes.get(t)!;
          closing({
            type: "node.skipped",
            runId,
            ts: Date.now(),
            nodeId: t,
            kind: target.kind,
            reason:
              taken === "error" ? `"${node.label || node.id}" failed and took its error output` : `"${node.label || node.id}" took "${taken}", not "${p}"`,
            by: node.id,
            ...where,
          });
        }
      }
    }
  };
}
