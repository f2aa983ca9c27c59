import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
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

/** How many sandboxed calls run at once per process (AURA_SANDBOX_WORKERS, default 2); the rest wait. */
function maxWorkers(): number {
  const n = Number(process.env.AURA_SANDBOX_WORKERS);
  return Number.isInteger(n) && n > 0 ? n : 2;
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
  /** The last 'error' of the thread (ERR_WORKER_OUT_OF_MEMORY when its V8 heap limit was hit). */
  lastError?: Error;
  ready: Promise<void>;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

const slots = new Set<Slot>();
const waiting: (() => void)[] = [];
let nextId = 1;

function spawn(): Slot {
  const a = loadAssets();
  // The V8 heap of the thread only holds the state and result as JSON text; the code's own heap is the
  // WebAssembly memory, capped per call. This limit is a backstop for huge states and results.
  const worker = new Worker(SANDBOX_WORKER_SOURCE, {
    eval: true,
    workerData: a,
    resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 32 },
  });
  worker.unref(); // a pool thread never keeps the process (CLI, tests) alive
  const slot: Slot = {
    worker,
    busy: false,
    ready: new Promise((resolve, reject) => {
      worker.once("message", () => resolve());
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
  void slot.worker.terminate();
  wakeWaiting();
}

/** Wakes every waiting call; each checks again for a free thread (a cancelled waiter just leaves). */
function wakeWaiting() {
  for (const wake of waiting.splice(0)) wake();
}

function release(slot: Slot) {
  slot.busy = false;
  clearTimeout(slot.idleTimer);
  slot.idleTimer = setTimeout(() => !slot.busy && retire(slot), IDLE_MS);
  slot.idleTimer.unref();
  wakeWaiting();
}

async function acquire(signal?: AbortSignal): Promise<Slot> {
  for (;;) {
    signal?.throwIfAborted();
    const free = [...slots].find((s) => !s.busy);
    const slot = free ?? (slots.size < maxWorkers() ? spawn() : undefined);
    if (slot) {
      slot.busy = true;
      clearTimeout(slot.idleTimer);
      try {
        await slot.ready;
        return slot;
      } catch {
        continue; // the thread failed to start: retire() removed it; try again with a fresh one
      }
    }
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      signal?.addEventListener("abort", () => resolve(), { once: true });
    });
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
        slot.worker.off("message", onMessage);
        slot.worker.off("exit", onExit);
        limits.signal?.removeEventListener("abort", onAbort);
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
      const onAbort = () => {
        cleanup();
        // Rethrow the run's own abort reason as is: the node wrapper tells cancel from timeout by it.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(limits.signal?.reason ?? new Error("aborted"));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new EngineError(EngineErrorCode.JS_TIMEOUT, `The code ran longer than its ${limits.timeoutMs} ms limit (the sandbox was stopped).`));
      }, limits.timeoutMs + SANDBOX_GRACE_MS);
      slot.worker.on("message", onMessage);
      slot.worker.once("exit", onExit);
      limits.signal?.addEventListener("abort", onAbort, { once: true });
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
  await Promise.all([...slots].map((s) => (slots.delete(s), clearTimeout(s.idleTimer), s.worker.terminate())));
}
