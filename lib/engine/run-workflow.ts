import { setMaxListeners } from "node:events";
import { Command, type BaseCheckpointSaver } from "@langchain/langgraph";
import type { EngineEvent } from "../contracts/events";
import { documentNodeId, type CompiledWorkflow } from "./compile-workflow";
import { EngineError, EngineErrorCode, toEventError } from "./errors";
import type { ApprovalDecision, ApprovalRequest } from "./executors/human-approval";
import { checkRunInput } from "./executors/start";
import { SecretSet } from "./redact";
import { chainNodeName } from "./fused-chain";
import { EventQueue, registerRun, type RunContext } from "./run-context";
import { holdUntilSaved, releaseHeld } from "./saved-writes";
import { INTERNAL, publicState } from "./state";
import { installLightRunContext } from "./light-run-context";

// Nothing traces our runs: LangChain's per-call context need not build a LangSmith RunTree each time.
installLightRunContext();

export interface RunOptions {
  runId: string;
  /** LangGraph thread (default: the run id). One thread never runs twice at once in this process. */
  threadId?: string;
  /**
   * Run input for a new run. `null` (or omitted, with a checkpointer and no `resume`) continues the
   * thread from its last checkpoint: after a crash or a failure only unfinished nodes run.
   */
  input?: Record<string, unknown> | null;
  /** Answer to a waiting Human approval; `nodeId` picks one when several wait. */
  resume?: ApprovalDecision & { nodeId?: string; interruptId?: string };
  checkpointer?: BaseCheckpointSaver;
  /** Cancels the run (it stays resumable with a checkpointer). */
  signal?: AbortSignal;
  /** Default: the workflow's settings.runTimeoutMs. */
  runTimeoutMs?: number;
  /** Of that limit, what the run already used before this call (a continued run); default 0. */
  usedMs?: number;
  /** Default: derived from the graph (CompiledWorkflow.recursionLimit). */
  recursionLimit?: number;
  /**
   * A continued run: top-level nodes its previous segment started and never closed, because the
   * process executing it died. Those whose writes LangGraph saved will not run again; their
   * node.finished was lost with the process, so the run says it now (see recoveredFinishes).
   */
  cutOff?: { nodeId: string; kind: string; attempt: number; startedTs: number }[];
  /** When checkpoints are written: "sync" (default, safest), "async" (faster) or "exit". */
  durability?: "sync" | "async" | "exit";
}

/** How a run stopped: the generator's return value, mirroring its last event. */
export interface RunOutcome {
  status: "succeeded" | "failed" | "cancelled" | "waiting";
  result?: unknown;
  error?: { code: EngineErrorCode; message: string; nodeId?: string };
  /** The approvals the run waits for (status "waiting"). */
  waitingFor?: { nodeId: string; interruptId: string }[];
}

const activeThreads = new Set<string>();

/**
 * Interrupts of the current step that already have their answer. The state keeps listing every
 * interrupt of a step until the whole step is done, so with approvals in a Parallel map's branches
 * (one per item) those answered earlier must be skipped, or the next answer goes to an item that has
 * one and the item still waiting asks again. LangGraph stores an answer as a pending write on the
 * "__resume__" channel, keyed by the interrupt's id (the channel name is internal to LangGraph).
 */
async function answeredInterrupts(checkpointer: BaseCheckpointSaver, threadId: string): Promise<Set<string>> {
  const tuple = await checkpointer.getTuple({ configurable: { thread_id: threadId } });
  return new Set((tuple?.pendingWrites ?? []).filter(([, channel]) => channel === "__resume__").map(([id]) => id));
}

type Unstamped<T extends EngineEvent["type"]> = Omit<Extract<EngineEvent, { type: T }>, "runId" | "ts">;
type RecoveredEvent = Unstamped<"node.started"> | Unstamped<"node.finished">;

/**
 * Of the nodes a dead process left open (`cutOff`), those that did finish: their task is not among
 * the ones LangGraph will run next, or it is and its writes were saved (the saved-writes hold let
 * node.finished out only after them, so a kill in between loses the event, never the work). Each gets
 * the node.finished it never sent, marked recovered; emitted before run.started, it closes the
 * execution the previous segment opened. A node that will run again says nothing: its re-run does.
 * A fused chain said only its head's node.started before its writes were saved (its members' events
 * wait for them, fused-chain.ts): a finished chain's other members get their node.started and
 * node.finished here, in chain order, or the run's story would never say they ran.
 */
async function recoveredFinishes(
  compiled: CompiledWorkflow,
  graph: ReturnType<CompiledWorkflow["graph"]>,
  checkpointer: BaseCheckpointSaver,
  threadId: string,
  cutOff: NonNullable<RunOptions["cutOff"]>,
): Promise<RecoveredEvent[]> {
  const config = { configurable: { thread_id: threadId } };
  const [snapshot, tuple] = await Promise.all([graph.getState(config), checkpointer.getTuple(config)]);
  const saved = new Set((tuple?.pendingWrites ?? []).filter(([, channel]) => !channel.startsWith("__")).map(([taskId]) => taskId));
  // A Parallel map's branches run as tasks of their own ("each@id"): one pending keeps the map open.
  const rerun = new Set<string | undefined>(
    snapshot.tasks
      .filter((t) => !saved.has(t.id))
      .flatMap((t): readonly (string | undefined)[] => compiled.fusedNodeIds(t.name) ?? [documentNodeId(t.name.replace(/^each(?=@)/, ""))]),
  );
  const detail = { recovered: "its process stopped after the node finished; the finish was recorded on continuing" };
  const kindOf = new Map(compiled.doc.nodes.map((n) => [n.id, n.kind]));
  return cutOff
    .filter((n) => !rerun.has(n.nodeId))
    .flatMap((n): RecoveredEvent[] => [
      { type: "node.finished", nodeId: n.nodeId, kind: n.kind, attempt: n.attempt, durationMs: 0, detail },
      ...(compiled.fusedNodeIds(chainNodeName(n.nodeId)) ?? []).slice(1).flatMap((id): RecoveredEvent[] => [
        { type: "node.started", nodeId: id, kind: kindOf.get(id) ?? "unknown", attempt: 1 },
        { type: "node.finished", nodeId: id, kind: kindOf.get(id) ?? "unknown", attempt: 1, durationMs: 0, detail },
      ]),
    ]);
}

/**
 * Runs (or continues) a compiled workflow and yields its events: run.started, node
 * started/finished/failed/retrying/skipped/waiting with attempts and durations, token chunks and state
 * updates, then run.finished / run.failed / run.cancelled — or, when a Human approval pauses it, the
 * node.waiting events are the last ones (the generator returns status "waiting").
 * Uses graph.stream with the "updates" mode; node events come from the node wrappers through the run
 * context, so map bodies and sub-workflows report too. Breaking out of the loop cancels the run.
 */
export async function* runWorkflow(compiled: CompiledWorkflow, options: RunOptions): AsyncGenerator<EngineEvent, RunOutcome> {
  const { runId } = options;
  const threadId = options.threadId ?? runId;
  const started = Date.now();
  const ev = <T extends EngineEvent["type"]>(type: T, fields: Omit<Extract<EngineEvent, { type: T }>, "type" | "runId" | "ts">) =>
    ({ type, runId, ts: Date.now(), ...fields }) as unknown as EngineEvent;

  const continuing = options.resume !== undefined || options.input == null;
  if (!continuing) {
    const problems = checkRunInput(compiled.doc, options.input);
    if (problems.length) {
      const error = {
        code: EngineErrorCode.INPUT_INVALID,
        message: `The run input does not match the Start fields: ${problems.map((p) => p.message).join(" ")}`,
      };
      yield ev("run.failed", { error, durationMs: 0 });
      return { status: "failed", error };
    }
  } else if (!options.checkpointer) {
    const error = { code: EngineErrorCode.NO_CHECKPOINTER, message: "Continuing or resuming a run needs the checkpointer it ran with." };
    yield ev("run.failed", { error, durationMs: 0 });
    return { status: "failed", error };
  }
  if (activeThreads.has(threadId)) {
    throw new EngineError(EngineErrorCode.THREAD_BUSY, `Thread "${threadId}" is already running in this process; wait for it or cancel it first.`);
  }
  activeThreads.add(threadId);

  const graph = compiled.graph(options.checkpointer);
  const internal = new AbortController();
  const timeoutMs = options.runTimeoutMs ?? compiled.doc.settings.runTimeoutMs;
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs - (options.usedMs ?? 0)));
  const signal = AbortSignal.any([internal.signal, timeout, ...(options.signal ? [options.signal] : [])]);
  setMaxListeners(0, signal);
  const queue = new EventQueue<EngineEvent>();
  const totals = { input: 0, output: 0, cost: 0 };
  const ctx: RunContext = {
    emit(e) {
      if (e.type === "node.finished") {
        totals.input += e.tokens?.input ?? 0;
        totals.output += e.tokens?.output ?? 0;
        totals.cost += e.costUsd ?? 0;
      }
      queue.push(e);
    },
    emitWhenSaved(taskId, events) {
      const nodeId = (events[0] as { nodeId?: string }).nodeId;
      heldTasks.add(taskId);
      if (nodeId) heldByNode.set(nodeId, events);
      holdUntilSaved(taskId, () => {
        heldTasks.delete(taskId);
        if (nodeId && heldByNode.get(nodeId) === events) heldByNode.delete(nodeId);
        for (const e of events) ctx.emit(e);
      });
    },
    semaphores: new Map(),
    secrets: new SecretSet(),
  };
  // Tasks whose closing events wait for their saved writes; whatever still waits when the run stops is said then.
  const heldTasks = new Set<string>();
  // A held node's state.update joins its held events, so it still follows the node's node.finished.
  const heldByNode = new Map<string, EngineEvent[]>();
  const releaseAll = () => releaseHeld([...heldTasks]);
  /** Emits `event` right after the closing events of top-level node `nodeId` (with them when they wait for saved writes). */
  const emitAfterNode = (nodeId: string, event: EngineEvent) => {
    const held = heldByNode.get(nodeId);
    if (held) held.push(event);
    else queue.push(event);
  };
  const unregister = registerRun(runId, ctx);
  const config = {
    configurable: { thread_id: threadId, aura_run_id: runId, aura_depth: 0 },
    recursionLimit: options.recursionLimit ?? compiled.recursionLimit,
    maxConcurrency: compiled.maxConcurrency,
    durability: options.durability ?? "sync",
    signal,
  };
  let outcome: RunOutcome = { status: "failed" };

  const drive = async () => {
    try {
      let input: Record<string, unknown> | Command | null = options.input ?? null;
      if (options.resume !== undefined) {
        const { nodeId, interruptId, ...decision } = options.resume;
        const snapshot = await graph.getState({ configurable: { thread_id: threadId } });
        const answered = await answeredInterrupts(options.checkpointer!, threadId);
        const pending = snapshot.tasks.flatMap((t) => t.interrupts ?? []).filter((i) => !i.id || !answered.has(i.id));
        if (!pending.length) throw new EngineError(EngineErrorCode.NOTHING_TO_RESUME, "The run is not waiting for an approval.");
        const target = interruptId
          ? pending.find((i) => i.id === interruptId)
          : nodeId
            ? pending.find((i) => (i.value as ApprovalRequest | undefined)?.nodeId === nodeId)
            : pending[0];
        if (!target)
          throw new EngineError(
            EngineErrorCode.NOTHING_TO_RESUME,
            interruptId ? `The approval "${interruptId}" is not waiting (answered already?).` : `The run is not waiting for an approval at "${nodeId}".`,
          );
        // Addressed by interrupt id whenever there is one: a plain resume value does not reach an
        // interrupt inside a Parallel map branch (a Send task), which would then wait again.
        // An escalating Agent's approval gets its evidence back, so it does not run its levels again.
        const evidence = (target.value as ApprovalRequest | undefined)?.escalation;
        const answer = evidence ? { ...decision, escalation: evidence } : decision;
        input = new Command({ resume: target.id ? { [target.id]: answer } : answer });
      } else if (continuing) {
        const snapshot = await graph.getState({ configurable: { thread_id: threadId } });
        if (!snapshot.config?.configurable?.checkpoint_id)
          throw new EngineError(EngineErrorCode.NOTHING_TO_RESUME, `Thread "${threadId}" has no checkpoint to continue from.`);
      }
      if (continuing && options.cutOff?.length) {
        for (const e of await recoveredFinishes(compiled, graph, options.checkpointer!, threadId, options.cutOff)) queue.push({ ...e, runId, ts: Date.now() });
      }
      queue.push(ev("run.started", { workflowName: compiled.doc.name, resumed: continuing, ...(continuing ? {} : { input: options.input }) }));

      let output: { value: unknown; from?: string } | undefined;
      let outputsSeen = 0;
      const waiting: { nodeId: string; interruptId: string }[] = [];
      const stream = await graph.stream(input, { ...config, streamMode: "updates" });
      for await (const chunk of stream as AsyncIterable<Record<string, unknown>>) {
        for (const [name, update] of Object.entries(chunk)) {
          if (name === "__interrupt__") {
            for (const i of update as { id?: string; value?: ApprovalRequest }[]) {
              const r = i.value;
              if (!r || r.type !== "approval") continue;
              waiting.push({ nodeId: r.nodeId, interruptId: i.id ?? "" });
              queue.push(
                ev("node.waiting", {
                  nodeId: r.nodeId,
                  kind: r.kind,
                  ...(r.scope ? { scope: r.scope } : {}),
                  ...(r.itemIndex !== undefined ? { itemIndex: r.itemIndex } : {}),
                  ...(i.id ? { interruptId: i.id } : {}),
                  instructions: r.instructions,
                  editableFields: r.editableFields,
                  values: r.values,
                  timeoutMs: r.timeoutMs,
                  ...(r.escalation ? { escalation: r.escalation } : {}),
                }),
              );
            }
            continue;
          }
          const nodeId = documentNodeId(name);
          const fused = compiled.fusedNodeIds(name);
          if ((nodeId === undefined && !fused) || !update || typeof update !== "object") continue;
          const u = update as Record<string, unknown>;
          if (u[INTERNAL.output]) {
            output = u[INTERNAL.output] as { value: unknown; from?: string };
            outputsSeen++;
          }
          // A fused chain said each of its nodes' state updates itself (fused-chain.ts).
          if (fused) continue;
          const values = publicState(u);
          if (Object.keys(values).length) emitAfterNode(nodeId!, ev("state.update", { nodeId: nodeId!, values }));
        }
      }
      releaseAll();
      if (waiting.length) {
        outcome = { status: "waiting", waitingFor: waiting };
        return;
      }
      // The stored result is the one to answer with when this segment saw no Output run (it ran before
      // a crash or an approval) or several (parallel branches: the state's reducer order decides). One
      // Output seen is the stored value already: no read of the checkpoint (a query per run).
      if (options.checkpointer && outputsSeen !== 1) {
        const snapshot = await graph.getState({ configurable: { thread_id: threadId } });
        const stored = (snapshot.values as Record<string, unknown> | undefined)?.[INTERNAL.output] as { value: unknown; from?: string } | undefined;
        if (stored) output = stored;
      }
      outcome = { status: "succeeded", result: output?.value ?? null };
      queue.push(
        ev("run.finished", {
          result: outcome.result,
          ...(output?.from ? { resultFrom: output.from } : {}),
          durationMs: Date.now() - started,
          tokens: { input: totals.input, output: totals.output },
          costUsd: Math.round(totals.cost * 1e6) / 1e6,
        }),
      );
    } catch (err) {
      releaseAll();
      const durationMs = Date.now() - started;
      if (options.signal?.aborted || internal.signal.aborted) {
        outcome = { status: "cancelled" };
        const reason: unknown = options.signal?.reason;
        queue.push(
          ev("run.cancelled", { durationMs, ...(reason instanceof Error ? { reason: reason.message } : typeof reason === "string" ? { reason } : {}) }),
        );
      } else {
        const error = timeout.aborted
          ? { code: EngineErrorCode.RUN_TIMEOUT, message: `The run took longer than its ${timeoutMs} ms limit.` }
          : toEventError(err);
        const nodeId = (err as { nodeId?: string }).nodeId;
        outcome = { status: "failed", error: { ...error, ...(nodeId ? { nodeId } : {}) } };
        queue.push(ev("run.failed", { error, durationMs, ...(nodeId ? { nodeId } : {}) }));
      }
    } finally {
      releaseAll();
      queue.close();
    }
  };

  const driving = drive();
  try {
    // The one exit of everything a run produces: events, result and errors leave with every secret
    // value of the credentials it used masked (nodes redact their own outputs too, see http-request).
    for await (const e of queue) yield ctx.secrets.redact(e);
    await driving;
    return ctx.secrets.redact(outcome);
  } finally {
    // The consumer stopped early (break / return): cancel the graph and wait for it to settle.
    internal.abort(new EngineError(EngineErrorCode.RUN_CANCELLED, "The event consumer stopped."));
    await driving.catch(() => {});
    unregister();
    activeThreads.delete(threadId);
  }
}

/** Runs to the end and collects the events and the outcome (tests, CLI, simple callers). */
export async function collectRun(compiled: CompiledWorkflow, options: RunOptions): Promise<{ events: EngineEvent[]; outcome: RunOutcome }> {
  const events: EngineEvent[] = [];
  const it = runWorkflow(compiled, options);
  for (;;) {
    const next = await it.next();
    if (next.done) return { events, outcome: next.value };
    events.push(next.value);
  }
}
