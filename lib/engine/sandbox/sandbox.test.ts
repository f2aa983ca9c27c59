import { afterAll, describe, expect, it } from "vitest";
import { closeSandboxPool, runSandboxed, sandboxThreadCount, SANDBOX_GRACE_MS } from "./sandbox-pool";
import { EngineError } from "../errors";

afterAll(() => closeSandboxPool());

/** Runs code with a 1 s / 32 MB limit; resolves to the result or the error code, with the wall time. */
async function attempt(code: string, state: Record<string, unknown> = {}, limits = { timeoutMs: 1000, memoryLimitMb: 32 }) {
  const t = Date.now();
  try {
    const { value } = await runSandboxed(code, state, limits);
    return { ok: true as const, value, ms: Date.now() - t };
  } catch (err) {
    return { ok: false as const, code: err instanceof EngineError ? err.code : `THROWN:${(err as Error).message}`, ms: Date.now() - t };
  }
}

// Generous for a loaded 2-core machine: a 1 s limit must end well before 5 s.
const BOUND_MS = 5000;

/** Code that must fail with a specific code, within the time bound, whatever it does. */
// A memory bomb may hit its time limit first on a loaded machine (QuickJS builds a 1 MB string one
// character at a time): either way it ends in time with a specific code.
const MEM = ["JS_MEMORY", "JS_TIMEOUT"];
const RESOURCE_BOMBS: [name: string, code: string, expected: string | string[]][] = [
  ["memory bomb: 1 MB strings in a loop (issue 12)", 'let a=[]; while(true) a.push("x".repeat(1e6))', MEM],
  ["memory bomb: small objects", "const a=[]; for(;;) a.push({x:1})", MEM],
  ["memory bomb: one huge array", "return Array(1e8).fill(0).length", "JS_MEMORY"],
  ["memory bomb: one huge string", 'return "x".repeat(3e8).length', "JS_MEMORY"],
  ["memory bomb: doubling string", 'let s="x"; while(true) s+=s', "JS_ERROR"],
  ["memory bomb: typed arrays", "const a=[]; for(;;) a.push(new Uint8Array(1e6)); ", MEM],
  ["memory bomb: Map entries", "const m=new Map(); for(let i=0;;i++) m.set(i, 'v'+i)", MEM],
  ["infinite loop", "while(true){}", "JS_TIMEOUT"],
  ["infinite for(;;) with work", "let x=0; for(;;) x=(x*31+7)%1e9", "JS_TIMEOUT"],
  ["deep recursion", "function f(){return f()+1}; return f()", "JS_STACK_OVERFLOW"],
  ["mutual recursion", "const a=()=>b()+1, b=()=>a()+1; return a()", "JS_STACK_OVERFLOW"],
  ["never-resolving promise", "return new Promise(()=>{})", "JS_ERROR"],
  ["async infinite loop", "return (async()=>{ while(true){} })()", "JS_TIMEOUT"],
  ["microtask ping-pong forever", "const go=()=>Promise.resolve().then(go); go(); return new Promise(()=>{})", MEM],
  ["catastrophic regex backtracking", 'return /(a+)+$/.test("a".repeat(40)+"b")', "JS_TIMEOUT"],
  ["comparator that never returns", "return [1,2,3].sort(()=>{while(true){}})", "JS_TIMEOUT"],
  ["getter loop inside JSON.stringify of the result", "return { get x() { while(true){} } }", "JS_TIMEOUT"],
  ["toJSON that throws", "return { toJSON() { throw new Error('no') } }", "JS_ERROR"],
  ["cyclic result", "const a={}; a.a=a; return a", "JS_ERROR"],
  ["BigInt result", "return 1n", "JS_ERROR"],
  ["syntax error", "return ((", "JS_ERROR"],
  ["dynamic import", 'return import("fs")', "JS_ERROR"],
  // Which limit it meets first depends on the machine's speed: either ends it in time with its own code.
  [
    "huge native split/reverse (stopped by its memory cap or the hard deadline)",
    'const a = "ab".repeat(5e7); return a.split("").reverse().join("").length',
    MEM,
  ],
  ["huge JSON.stringify", 'return JSON.stringify(Array(1e7).fill("abc")).length', MEM],
];

describe("sandbox: every call ends within its limit plus a grace, with a specific code", () => {
  it.each(RESOURCE_BOMBS)("%s", async (_name, code, expected) => {
    const r = await attempt(code, {}, { timeoutMs: 1000, memoryLimitMb: expected === "JS_TIMEOUT" && /huge/.test(_name) ? 512 : 32 });
    expect([expected].flat()).toContain(r.ok ? "succeeded" : r.code);
    expect(r.ms).toBeLessThan(BOUND_MS);
  });
});

/** Code that tries to reach the host: each must read as the expected (harmless) value. */
const ESCAPES: [name: string, code: string, expected: unknown][] = [
  ["process", "return typeof process", "undefined"],
  ["require", "return typeof require", "undefined"],
  ["module / exports", "return typeof module + typeof exports", "undefinedundefined"],
  ["fetch / XMLHttpRequest", "return typeof fetch + typeof XMLHttpRequest", "undefinedundefined"],
  ["timers", "return typeof setTimeout + typeof setInterval + typeof setImmediate", "undefinedundefinedundefined"],
  ["QuickJS std/os modules", "return typeof std + typeof os + typeof scriptArgs", "undefinedundefinedundefined"],
  ["WebAssembly", "return typeof WebAssembly", "undefined"],
  ["globalThis.process", "return typeof globalThis.process", "undefined"],
  ["Function constructor chain", 'return ({}).constructor.constructor("return typeof process")()', "undefined"],
  [
    "Function('return this') sees only the sandbox global",
    'return Object.keys(Function("return this")()).filter(k => !k.startsWith("__aura")).sort().join(",")',
    "console",
  ],
  ["toString.constructor", 'return toString.constructor("return typeof require")()', "undefined"],
  ["async function constructor", 'return (async function(){}).constructor("return typeof process")().then(x => x)', "undefined"],
  ["generator constructor", 'return (function*(){}).constructor("yield typeof process")().next().value', "undefined"],
  ["state is a copy, not a host object", "return state.o.constructor === Object && state.o.constructor.constructor('return typeof process')()", "undefined"],
  ["sloppy this is undefined (strict mode)", "return typeof this", "undefined"],
  ["eval is the sandbox's own", 'return eval("typeof process")', "undefined"],
  ["Error.prepareStackTrace (a V8 hook) is inert", "Error.prepareStackTrace = () => 1; return typeof new Error('x').stack", "string"],
];

describe("sandbox: no path to the host", () => {
  it.each(ESCAPES)("%s", async (_name, code, expected) => {
    const r = await attempt(code, { o: { a: 1 } });
    expect(r.ok ? r.value : r.code).toEqual(expected);
  });

  it("prototype pollution inside the sandbox does not reach the host or the next call", async () => {
    const polluted = await attempt(
      "Object.prototype.polluted = 'yes'; Array.prototype.map = null; state.__proto__.x = 1; JSON.parse = () => 'hijack'; return ({}).polluted",
    );
    expect(polluted).toMatchObject({ ok: true, value: "yes" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof [].map).toBe("function");
    expect(JSON.parse("1")).toBe(1);
    // A fresh runtime per call: the next call sees clean prototypes.
    expect(await attempt("return [typeof ({}).polluted, typeof [].map, JSON.parse('2')]")).toMatchObject({ value: ["undefined", "function", 2] });
  });

  it("a state with hostile keys round-trips as data", async () => {
    const state = JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": 1}, "s": "x"}') as Record<string, unknown>;
    const r = await attempt("return [state.admin === undefined, Object.keys(state).sort().join(',')]", state);
    expect(r).toMatchObject({ ok: true, value: [true, "__proto__,constructor,s"] });
  });
});

describe("sandbox: threads and memory", () => {
  it("the memory bomb of issue 12 ends fast and its memory comes back", async () => {
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 3; i++) {
      const r = await attempt('let a=[]; while(true) a.push("x".repeat(1e6))', {}, { timeoutMs: 4000, memoryLimitMb: 64 });
      expect(r.ok ? "succeeded" : r.code).toBe("JS_MEMORY");
      expect(r.ms).toBeLessThan(4000 + SANDBOX_GRACE_MS + 1000);
    }
    // Before: the process grew by about 2 GB and kept it. Now each call's heap is capped at its limit
    // (+16 MB), and a thread that grew is replaced after the call.
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
    expect(sandboxThreadCount()).toBeLessThanOrEqual(2);
  });

  it("stuck calls never hold a thread longer than limit + grace; the pool keeps serving", async () => {
    const stuck = 'const a = "ab".repeat(5e7); return a.split("").reverse().join("").length'; // native work QuickJS cannot interrupt
    const t = Date.now();
    const results = await Promise.all([
      attempt(stuck, {}, { timeoutMs: 200, memoryLimitMb: 512 }),
      attempt(stuck, {}, { timeoutMs: 200, memoryLimitMb: 512 }),
      attempt(stuck, {}, { timeoutMs: 200, memoryLimitMb: 512 }),
      attempt("return state.n * 2", { n: 21 }),
    ]);
    expect(results.slice(0, 3).map((r) => (r.ok ? "ok" : r.code))).toEqual(["JS_TIMEOUT", "JS_TIMEOUT", "JS_TIMEOUT"]);
    expect(results[3]).toMatchObject({ ok: true, value: 42 });
    // Two threads: the third stuck call and the normal one wait for a free thread at most one limit + grace.
    expect(Date.now() - t).toBeLessThan(2 * (200 + SANDBOX_GRACE_MS) + BOUND_MS);
    expect(sandboxThreadCount()).toBeLessThanOrEqual(2);
  });

  it("a state larger than the memory limit fails with JS_MEMORY, and the next call works", async () => {
    const r = await attempt("return state.s.length", { s: "x".repeat(40e6) }, { timeoutMs: 1000, memoryLimitMb: 8 });
    expect(r.ok ? "succeeded" : r.code).toBe("JS_MEMORY");
    expect(await attempt("return 1", {}, { timeoutMs: 1000, memoryLimitMb: 8 })).toMatchObject({ ok: true, value: 1 });
  });

  it("a cancelled run stops its sandboxed call at once", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled")), 100);
    const t = Date.now();
    await expect(runSandboxed("while(true){}", {}, { timeoutMs: 10_000, memoryLimitMb: 32, signal: controller.signal })).rejects.toThrow("cancelled");
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("normal transforms stay fast and keep returning values and logs", async () => {
    await attempt("return 1");
    const t = Date.now();
    for (let i = 0; i < 50; i++) expect((await runSandboxed("return state.a + 1", { a: i }, { timeoutMs: 1000, memoryLimitMb: 32 })).value).toBe(i + 1);
    expect(Date.now() - t).toBeLessThan(BOUND_MS);
    expect(await runSandboxed("console.log('hi', {a:1}); return Promise.resolve(41).then(x => x + 1)", {}, { timeoutMs: 500, memoryLimitMb: 16 })).toEqual({
      value: 42,
      logs: ['hi {"a":1}'],
    });
    expect((await runSandboxed("return undefined", {}, { timeoutMs: 500, memoryLimitMb: 16 })).value).toBeNull();
  });
});
