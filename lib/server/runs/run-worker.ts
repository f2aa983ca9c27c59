/**
 * A run worker (worker_threads): executes runs with the engine, off the server's main event loop.
 * Checkpoints go to the app's database (same SQLite file / PostgreSQL URL); events stream back to the
 * main thread, which persists them (seq) and publishes them. Memory and sub-workflow lookups are asked
 * of the main thread (the only one with a Prisma client). Bundled as dist/run-worker.js.
 */
import { readlinkSync } from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { closeCheckpointer, compileWorkflow, createCheckpointer, EngineError, runWorkflow, type EngineServices, type RunOptions } from "../../engine";
import { beforeSavingWrites } from "../../engine/saved-writes";
import type { EngineEvent } from "../../contracts/events";
import type { FromWorker, JobOutcome, RpcMethod, RpcMethods, RpcRequest, RunJob, ToWorker } from "./protocol";
import { RunErrorCode } from "./run-error-codes";

const port = parentPort;
if (!port) throw new Error("run-worker.ts must run in a worker thread.");

/**
 * Runs yield the CPU to the server's main thread: with as many busy workers as cores, the main
 * thread (HTTP, Socket.IO, persisting events) otherwise waits for a time slice. bench/runs.ts, 200
 * concurrent runs on 2 cores: main-loop delay p99 14-16 ms and max ~150 ms at nice 10, against
 * 19-21 ms and ~290 ms at the same priority, and more runs/s (the main thread feeds the workers
 * sooner). Linux only (a thread's id from /proc/thread-self; setpriority on a tid is per thread);
 * elsewhere the worker keeps the process's priority.
 */
function lowerThreadPriority() {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 10);
  } catch {
    // Not Linux, or not permitted: same priority as the main thread.
  }
}
lowerThreadPriority();
const send = (m: FromWorker) => port.postMessage(m);

// ── RPC to the main thread ──────────────────────────────────────────────────────────────────────
let rpcId = 0;
const pendingRpc = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
/** Calls a service of the main thread; the answer's type is the method's (protocol.ts RpcMethods). */
function rpc<M extends RpcMethod>(method: M, workspaceId: string, args: RpcMethods[M]["args"]): Promise<RpcMethods[M]["value"]> {
  const id = ++rpcId;
  return new Promise((resolve, reject) => {
    // The answer to `id` carries method M's value (answerWorkerRpc); TypeScript cannot tie a generic
    // M to its member of the RpcRequest union, hence the two assertions here and nowhere else.
    pendingRpc.set(id, { resolve: resolve as (v: unknown) => void, reject });
    send({ type: "rpc", id, method, workspaceId, args } as RpcRequest);
  });
}

/** One services object per workspace (the engine's compile cache is per services instance). */
const servicesByWorkspace = new Map<string, EngineServices>();
function servicesFor(workspaceId: string): EngineServices {
  let s = servicesByWorkspace.get(workspaceId);
  if (!s) {
    // Breakers and rate limits live on the main thread (shared by all workers): asked by RPC.
    const resilience: EngineServices["resilience"] = {
      admit: (request) => rpc("resilience.admit", workspaceId, [request]),
      wait: (ticket) => rpc("resilience.wait", workspaceId, [ticket]),
      settle: (ticket, outcome, detail) => rpc("resilience.settle", workspaceId, [ticket, outcome, detail]),
    };
    s = {
      resilience,
      memory: {
        store: (namespace, content, tags) => rpc("memory.store", workspaceId, [namespace, content, tags]),
        search: (namespace, query, topK) => rpc("memory.search", workspaceId, [namespace, query, topK]),
      },
      loadWorkflow: (workflowId, version) => rpc("loadWorkflow", workspaceId, [workflowId, version]),
      credentials: { resolve: (credentialId) => rpc("credentials.resolve", workspaceId, [credentialId]) },
      models: { env: process.env, resilience },
    };
    servicesByWorkspace.set(workspaceId, s);
  }
  return s;
}

const checkpointers = new Map<string, Promise<BaseCheckpointSaver>>();
function checkpointerFor(target: string, postgresSchema?: string): Promise<BaseCheckpointSaver> {
  let c = checkpointers.get(target);
  if (!c) {
    c = createCheckpointer(target, postgresSchema ? { postgresSchema } : {});
    checkpointers.set(target, c);
    c.catch(() => checkpointers.delete(target));
  }
  return c;
}

// ── Event batching: one message per run per turn of the worker's event loop ─────────────────────
const buffers = new Map<string, EngineEvent[]>();
let flushScheduled = false;
/** Tasks about to save their writes, waiting for the next persist request (one per turn for all of them). */
let persistWaiters: (() => void)[] = [];
/** Persist requests sent, by id: who waits for the answer. */
const persisting = new Map<number, (() => void)[]>();
let persistId = 0;
function flush() {
  flushScheduled = false;
  for (const [runId, events] of buffers) send({ type: "events", runId, events });
  buffers.clear();
  // After the events (messages arrive in order): the main thread stores everything before this request.
  if (persistWaiters.length) {
    persisting.set(++persistId, persistWaiters);
    persistWaiters = [];
    send({ type: "persist", id: persistId });
  }
}
function scheduleFlush() {
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}
function push(runId: string, event: EngineEvent) {
  let b = buffers.get(runId);
  if (!b) buffers.set(runId, (b = []));
  b.push(event);
  scheduleFlush();
}
// A task's writes are saved only once the events said before them are stored (lib/engine/saved-writes.ts).
beforeSavingWrites(() => new Promise<void>((resolve) => (persistWaiters.push(resolve), scheduleFlush())));
const answerPersisted = (id: number) => {
  for (const resolve of persisting.get(id) ?? []) resolve();
  persisting.delete(id);
};

const running = new Map<string, AbortController>();

async function execute(job: RunJob): Promise<JobOutcome> {
  const ac = new AbortController();
  running.set(job.runId, ac);
  try {
    const checkpointer = await checkpointerFor(job.checkpointTarget, job.checkpointSchema);
    const compiled = compileWorkflow(job.doc, servicesFor(job.workspaceId), { usePinnedData: job.usePinnedData === true });
    const config = { configurable: { thread_id: job.threadId } };
    // Start fresh when the thread has no checkpoint yet; otherwise continue it (after a crash, a failure
    // or a cancel only unfinished nodes run), answering a waiting approval when there is a decision.
    const snapshot = await compiled.graph(checkpointer).getState(config);
    const hasCheckpoint = !!snapshot.config?.configurable?.checkpoint_id;
    const interrupts = snapshot.tasks.flatMap((t) => t.interrupts ?? []);
    let mode: JobOutcome["mode"] = "start";
    const options: RunOptions = {
      runId: job.runId,
      threadId: job.threadId,
      checkpointer,
      signal: ac.signal,
      durability: "sync",
      ...(job.usedMs ? { usedMs: job.usedMs } : {}),
      ...(job.cutOff ? { cutOff: job.cutOff } : {}),
    };
    if (!hasCheckpoint) options.input = job.input;
    else if (job.decision && interrupts.length) {
      mode = "resume";
      options.resume = job.decision;
    } else {
      mode = "continue";
      options.input = null;
    }
    const it = runWorkflow(compiled, options);
    for (;;) {
      const next = await it.next();
      if (next.done) return { ...next.value, mode };
      push(job.runId, next.value);
    }
  } catch (err) {
    // An engine error keeps its code (a document that does not compile); anything else is the worker's.
    const code = err instanceof EngineError ? err.code : RunErrorCode.WORKER_ERROR;
    return { status: "failed", error: { code, message: err instanceof Error ? err.message : String(err) } };
  } finally {
    running.delete(job.runId);
  }
}

port.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "run":
      void execute(m.job).then((outcome) => {
        flush();
        send({ type: "done", runId: m.job.runId, outcome });
      });
      break;
    case "cancel":
      running.get(m.runId)?.abort(m.reason);
      break;
    case "rpc-result": {
      const p = pendingRpc.get(m.id);
      pendingRpc.delete(m.id);
      if (!p) break;
      if (m.ok) p.resolve(m.value);
      else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      break;
    }
    case "persisted":
      answerPersisted(m.id);
      break;
    case "shutdown":
      void (async () => {
        // Nothing will answer a persist request any more: let the tasks waiting for one go on.
        for (const id of [...persisting.keys()]) answerPersisted(id);
        for (const ac of running.values()) ac.abort("worker shutdown");
        for (const c of checkpointers.values()) await c.then(closeCheckpointer).catch(() => {});
        send({ type: "closed" });
      })();
      break;
  }
});
send({ type: "ready" });
