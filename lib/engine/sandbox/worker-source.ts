/**
 * The source of a sandbox worker thread, started with `new Worker(SANDBOX_WORKER_SOURCE, { eval: true })`.
 *
 * Why a string: the engine runs under tsx, vitest, esbuild bundles (dist/run-worker.js) and Next's
 * server bundles; a worker file would need a different path (and a TypeScript loader) in each. Plain
 * CommonJS evaluated from a string needs neither: the parent passes the absolute paths of the QuickJS
 * packages and the compiled WebAssembly module in `workerData`.
 *
 * What it does per job: runs the code in a fresh QuickJS runtime whose WebAssembly memory has a hard
 * maximum (QuickJS's own malloc limit is not enforced under Emscripten: it counts allocations, not
 * bytes, so a loop of 1 MB strings grew the heap to 2 GB), with the soft deadline in QuickJS's
 * interrupt handler. The parent enforces the hard deadline by terminating the thread.
 * Messages: in `{ id, code, stateJson, timeoutMs, memoryLimitMb }`; out `{ id, ok, json?, logs,
 * kind?, message?, wasmBytes }` where kind is "timeout" | "memory" | "stack" | "error".
 */
export const SANDBOX_WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const replies = workerData.port; // replies go here, jobs come on parentPort
const core = require(workerData.corePath);
const variantExports = require(workerData.variantPath);
const variant = variantExports.default || variantExports;
// Emscripten prints its aborts ("Aborted(Assertion failed …)") to stderr; they are reported in the
// reply instead, so the server log is not filled by one user's code.
console.error = () => {};
// WebAssembly memory the QuickJS build needs besides the code's heap (static data, C stack).
const BASE_MB = 16;
let cached = null; // { limitMb, module, memory }: reused while calls end cleanly, within the base size, with the same limit

async function moduleFor(limitMb) {
  if (cached && cached.limitMb === limitMb) return cached;
  cached = null;
  const memory = new WebAssembly.Memory({ initial: BASE_MB * 16, maximum: (BASE_MB + limitMb) * 16 });
  const module = await core.newQuickJSWASMModuleFromVariant(
    core.newVariant(variant, { wasmModule: workerData.wasmModule, wasmMemory: memory }),
  );
  cached = { limitMb, module, memory };
  return cached;
}

function describe(vm, handle) {
  const e = vm.dump(handle);
  if (typeof e === "string") return e;
  if (e && typeof e === "object") return (e.name || "Error") + ": " + (e.message || "");
  return String(e);
}

function runJob(m, job) {
  const deadline = Date.now() + job.timeoutMs;
  let timedOut = false;
  const runtime = m.module.newRuntime({
    memoryLimitBytes: job.memoryLimitMb * 1024 * 1024,
    maxStackSizeBytes: 512 * 1024,
    interruptHandler: () => (timedOut = timedOut || Date.now() > deadline),
  });
  const vm = runtime.newContext();
  const logs = [];
  const handles = [];
  const keep = (h) => (handles.push(h), h);
  // Out of memory shows as "out of memory", or as a thrown null when even the error object could not
  // be allocated; a heap at its maximum says the same.
  const heapFull = () => m.memory.buffer.byteLength >= (BASE_MB + job.memoryLimitMb - 1) * 1024 * 1024;
  const fail = (handle) => {
    const message = describe(vm, handle);
    if (timedOut) return { ok: false, kind: "timeout", message, logs };
    if (/out of memory/i.test(message) || message === "null" || heapFull()) return { ok: false, kind: "memory", message, logs };
    if (/stack overflow/i.test(message)) return { ok: false, kind: "stack", message, logs };
    return { ok: false, kind: "error", message, logs };
  };
  try {
    const consoleObj = keep(vm.newObject());
    const log = keep(vm.newFunction("log", (...args) => {
      if (logs.length >= 100) return;
      logs.push(args.map((a) => { const v = vm.dump(a); return typeof v === "string" ? v : JSON.stringify(v); }).join(" ").slice(0, 2000));
    }));
    for (const name of ["log", "info", "warn", "error"]) vm.setProp(consoleObj, name, log);
    vm.setProp(vm.global, "console", consoleObj);
    vm.setProp(vm.global, "__aura_state_json", keep(vm.newString(job.stateJson)));
    const source = "(function (state) { \\"use strict\\";\\n" + job.code + "\\n})(JSON.parse(__aura_state_json))";
    const result = vm.evalCode(source, "transform.js");
    if (result.error) return fail(keep(result.error));
    let value = keep(result.value);
    // A returned promise settles only through jobs queued inside the VM (there are no timers or I/O).
    let state = vm.getPromiseState(value);
    if (state.type === "pending") {
      const jobs = runtime.executePendingJobs(-1);
      if (jobs.error) return fail(keep(jobs.error));
      // An interrupted job rejects its own promise quietly; the deadline is what ended the wait.
      if (timedOut) return { ok: false, kind: "timeout", message: "interrupted", logs };
      state = vm.getPromiseState(value);
    }
    if (state.type === "pending" && heapFull()) return { ok: false, kind: "memory", message: "out of memory in a promise job", logs };
    if (state.type === "pending")
      return { ok: false, kind: "error", message: "The code returned a promise that never settles (the sandbox has no timers or I/O to wait for).", logs };
    if (state.type === "rejected") return fail(keep(state.error));
    if (!state.notAPromise) value = keep(state.value);
    const stringify = keep(vm.getProp(keep(vm.getProp(vm.global, "JSON")), "stringify"));
    const out = vm.callFunction(stringify, vm.undefined, value);
    if (out.error) return fail(keep(out.error));
    const json = vm.dump(keep(out.value));
    return { ok: true, json: typeof json === "string" ? json : undefined, logs };
  } finally {
    try {
      for (const h of handles.reverse()) if (h.alive) h.dispose();
      vm.dispose();
      runtime.dispose();
    } catch {
      // QuickJS aborts freeing a runtime that still holds objects (jobs left by an interrupted or
      // out-of-memory call): the answer stands, the module is dropped.
      m.broken = true;
    }
  }
}

parentPort.on("message", async (job) => {
  let reply;
  let m;
  try {
    m = await moduleFor(job.memoryLimitMb);
    reply = runJob(m, job);
  } catch (err) {
    // A host-side exception (V8 stack overflow in deep recursion, a WebAssembly trap) can leave the
    // QuickJS heap half-updated: never reuse that module.
    cached = null;
    const message = String((err && err.message) || err);
    const kind = /call stack|stack overflow/i.test(message) ? "stack" : /memory|out of bounds/i.test(message) ? "memory" : "error";
    reply = { ok: false, kind, message, logs: [] };
  }
  reply.id = job.id;
  reply.wasmBytes = m ? m.memory.buffer.byteLength : 0;
  // WebAssembly memory never shrinks: a module whose heap grew is dropped, so every call starts from
  // the base size (and "the heap is at its maximum" means this call filled it).
  if (m && (m.broken || reply.wasmBytes > BASE_MB * 1024 * 1024)) cached = null;
  replies.postMessage(reply);
});
replies.postMessage({ ready: true });
`;
