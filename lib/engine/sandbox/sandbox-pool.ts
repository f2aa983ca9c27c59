import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { EngineError, EngineErrorCode } from "../errors";
import { SANDBOX_WORKER_SOURCE } from "./worker-source";

export interface SandboxLimits {
  timeoutMs: number;
  memoryLimitMb: number;
  signal?: AbortSignal;
}

/** What the worker thread answers (see worker-source.ts). */
interface Reply {
  id: number;
  ok: boolean;
  json?: string;
  logs: string[];
  kind?: "timeout" | "memory" | "stack" | "error";
  message?: string;
  wasmBytes: number;
}

/** Time past a call's limit before its thread is terminated: the soft deadline inside QuickJS normally ends it first. */
export const SANDBOX_GRACE_MS = 500;
/** A thread whose WebAssembly heap grew past this is replaced after the call, so the memory goes back to the OS. */
const RETIRE_WASM_BYTES = 64 * 1024 * 1024;
/** Idle threads are ended after this, so an idle server holds no sandbox memory. */
const IDLE_MS = 30_000;

/** How many sandboxed calls run at once per thread that loads this module (each run-worker thread has its own pool; AURA_SANDBOX_WORKERS, default 2); the rest wait. */
function maxWorkers(): number {
  const n = Number(process.env.AURA_SANDBOX_WORKERS);
  return Number.isInteger(n) && n > 0 ? n : 2;
}

/**
 * One "abort" listener per signal, fanning out to the calls that wait on it: a run's signal is shared
 * by every node, and a Parallel map can have dozens of sandboxed calls waiting at once (Node warns past
 * 10 listeners on one signal).
 */
const abortWatchers = new WeakMap<AbortSignal, Set<() => void>>();
function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => {};
  let set = abortWatchers.get(signal);
  if (!set) {
    const callbacks = new Set<() => void>();
    abortWatchers.set(signal, (set = callbacks));
    signal.addEventListener("abort", () => [...callbacks].forEach((cb) => cb()), { once: true });
  }
  set.add(callback);
  return () => set.delete(callback);
}

interface Assets {
  corePath: string;
  variantPath: string;
  wasmModule: WebAssembly.Module;
}

let assets: Assets | undefined;

/** Finds the QuickJS packages (from this file, else from the working directory) and compiles the WebAssembly once. */
function loadAssets(): Assets {
  if (assets) return assets;
  const bases = [import.meta.url, path.join(process.cwd(), "package.json")];
  let lastError: unknown;
  for (const base of bases) {
    try {
      const req = createRequire(base);
      const fromQuickjs = createRequire(req.resolve("quickjs-emscripten"));
      const corePath = fromQuickjs.resolve("quickjs-emscripten-core");
      const variantPath = fromQuickjs.resolve("@jitl/quickjs-wasmfile-release-sync");
      const wasmPath = createRequire(variantPath).resolve("@jitl/quickjs-wasmfile-release-sync/wasm");
      assets = { corePath, variantPath, wasmModule: new WebAssembly.Module(readFileSync(wasmPath)) };
      return assets;
    } catch (err) {
      lastError = err;
    }
  }
  throw new EngineError(EngineErrorCode.JS_SANDBOX_FAILED, `The JavaScript sandbox could not load QuickJS: ${(lastError as Error)?.message}`);
}

interface Slot {
  worker: Worker;
  /** Replies come on their own port so a late timer can still take one that already arrived (receiveMessageOnPort). */
  port: MessagePort;
  /** The last 'error' of the thread (ERR_WORKER_OUT_OF_MEMORY when its V8 heap limit was hit). */
  lastError?: Error;
  ready: Promise<void>;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

const slots = new Set<Slot>();
/** Calls waiting for a thread, first come first served: handed a thread, or undefined to look again. */
const waiting: ((slot: Slot | undefined) => void)[] = [];
let nextId = 1;

function spawn(): Slot {
  const a = loadAssets();
  // The V8 heap of the thread only holds the state and result as JSON text; the code's own heap is the
  // WebAssembly memory, capped per call. This limit is a backstop for huge states and results.
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(SANDBOX_WORKER_SOURCE, {
    eval: true,
    workerData: { ...a, port: port2 },
    transferList: [port2],
    // A small young generation: the thread only parses and stringifies JSON between calls (a 32 MB one stayed resident per thread).
    resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 8 },
  });
  worker.unref(); // a pool thread never keeps the process (CLI, tests) alive
  port1.unref();
  const slot: Slot = {
    worker,
    port: port1,
    busy: false,
    ready: new Promise((resolve, reject) => {
      port1.once("message", () => resolve());
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`sandbox thread exited with code ${code} while starting`)));
    }),
  };
  // Always listen: an 'error' event without a listener would throw in this (the host) thread.
  worker.on("error", (err) => (slot.lastError = err));
  slot.ready.catch(() => retire(slot));
  slots.add(slot);
  return slot;
}

function retire(slot: Slot) {
  if (!slots.delete(slot)) return;
  clearTimeout(slot.idleTimer);
  slot.port.close();
  void slot.worker.terminate();
  waiting.shift()?.(undefined); // a thread fewer: the next waiter may start a new one
}

/** Hands the thread to the next waiting call (it stays busy), or marks it idle. */
function release(slot: Slot) {
  clearTimeout(slot.idleTimer);
  const next = waiting.shift();
  if (next) return next(slot);
  slot.busy = false;
  slot.idleTimer = setTimeout(() => !slot.busy && retire(slot), IDLE_MS);
  slot.idleTimer.unref();
}

async function acquire(signal?: AbortSignal): Promise<Slot> {
  for (;;) {
    signal?.throwIfAborted();
    let slot = [...slots].find((s) => !s.busy) ?? (slots.size < maxWorkers() ? spawn() : undefined);
    if (!slot) {
      slot = await new Promise<Slot | undefined>((resolve) => {
        const take = (handed: Slot | undefined) => {
          stop();
          resolve(handed);
        };
        const stop = onAbort(signal, () => {
          waiting.splice(waiting.indexOf(take) >>> 0, 1); // a cancelled call leaves the line
          resolve(undefined);
        });
        waiting.push(take);
      });
      if (!slot) continue;
    }
    slot.busy = true;
    clearTimeout(slot.idleTimer);
    try {
      await slot.ready;
      return slot;
    } catch {
      continue; // the thread failed to start: retire() removed it; try again with a fresh one
    }
  }
}

/**
 * Runs `code` as the body of `function (state) { … }` in QuickJS (WebAssembly) on a pool thread: no
 * require/process/fs/fetch, only the language and a `console` whose lines are returned; the state goes
 * in and the result comes out as JSON (a returned promise is awaited). Bounds, whatever the code does:
 * the WebAssembly heap is capped at `memoryLimitMb` (plus the engine's fixed base), the call ends at
 * `timeoutMs` inside QuickJS, and a thread that has not answered `SANDBOX_GRACE_MS` later is terminated
 * (its memory goes with it). Failures: JS_TIMEOUT, JS_MEMORY, JS_STACK_OVERFLOW, JS_ERROR, JS_SANDBOX_FAILED.
 */
export async function runSandboxed(code: string, state: Record<string, unknown>, limits: SandboxLimits): Promise<{ value: unknown; logs: string[] }> {
  const stateJson = JSON.stringify(state);
  const slot = await acquire(limits.signal);
  const id = nextId++;
  const job = { id, code, stateJson, timeoutMs: limits.timeoutMs, memoryLimitMb: limits.memoryLimitMb };
  let reply: Reply;
  try {
    reply = await new Promise<Reply>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        slot.port.off("message", onMessage);
        slot.worker.off("exit", onExit);
        stopWatching();
      };
      const onMessage = (m: Reply) => m.id === id && (cleanup(), resolve(m));
      const onExit = (exitCode: number) => {
        cleanup();
        // A thread over its V8 heap limit exits: with huge states or results that is the memory limit.
        const oom = (slot.lastError as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
        reject(
          oom
            ? new EngineError(EngineErrorCode.JS_MEMORY, `The code's state or result is too large for the sandbox (${limits.memoryLimitMb} MB memory limit).`)
            : new EngineError(
                EngineErrorCode.JS_SANDBOX_FAILED,
                `The sandbox thread stopped unexpectedly (exit code ${exitCode}): ${slot.lastError?.message ?? "no error"}.`,
              ),
        );
      };
      const abort = () => {
        cleanup();
        // Rethrow the run's own abort reason as is: the node wrapper tells cancel from timeout by it.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(limits.signal?.reason ?? new Error("aborted"));
      };
      const timer = setTimeout(() => {
        cleanup();
        // A busy host thread runs this timer late: the answer may be waiting already, so take it first.
        const late = receiveMessageOnPort(slot.port)?.message as Reply | undefined;
        if (late?.id === id) return resolve(late);
        reject(new EngineError(EngineErrorCode.JS_TIMEOUT, `The code ran longer than its ${limits.timeoutMs} ms limit (the sandbox was stopped).`));
      }, limits.timeoutMs + SANDBOX_GRACE_MS);
      slot.port.on("message", onMessage);
      slot.worker.once("exit", onExit);
      const stopWatching = onAbort(limits.signal, abort);
      slot.worker.postMessage(job);
    });
  } catch (err) {
    retire(slot); // a stuck, cancelled or crashed thread never serves another call
    throw err;
  }
  if (reply.wasmBytes > RETIRE_WASM_BYTES) retire(slot);
  else release(slot);
  if (reply.ok) return { value: reply.json === undefined ? null : JSON.parse(reply.json), logs: reply.logs };
  throw toError(reply, limits);
}

function toError(reply: Reply, limits: SandboxLimits): EngineError {
  switch (reply.kind) {
    case "timeout":
      return new EngineError(EngineErrorCode.JS_TIMEOUT, `The code ran longer than its ${limits.timeoutMs} ms limit.`);
    case "memory":
      return new EngineError(EngineErrorCode.JS_MEMORY, `The code used more than its ${limits.memoryLimitMb} MB memory limit.`);
    case "stack":
      return new EngineError(EngineErrorCode.JS_STACK_OVERFLOW, `The code recursed too deeply (stack overflow): ${reply.message ?? ""}`.trim());
    default:
      return new EngineError(EngineErrorCode.JS_ERROR, reply.message ?? "The code failed.");
  }
}

/** Threads currently alive (tests check that stuck calls do not leak them). */
export function sandboxThreadCount(): number {
  return slots.size;
}

/** Ends every sandbox thread (tests, shutdown). */
export async function closeSandboxPool(): Promise<void> {
  await Promise.all([...slots].map((s) => (slots.delete(s), clearTimeout(s.idleTimer), s.port.close(), s.worker.terminate())));
}
