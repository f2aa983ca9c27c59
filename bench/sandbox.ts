/**
 * JavaScript sandbox: cost of a normal transform and what a memory bomb does to the host.
 * - normal calls: the pool (lib/engine/sandbox: QuickJS on worker threads, heap capped per call)
 *   against the former design (QuickJS on the calling thread, a runtime per call), sequential and 50
 *   at a time; prints both and the ratio;
 * - the memory bomb of issue 12 (`let a=[]; while(true) a.push("x".repeat(1e6))`, 1 s / 32 MB):
 *   wall time, code, and the process RSS before, right after, and after the pool is closed.
 *   `--old-bomb` also runs it the former way (measured: 11 s and RSS 0.15 → 2.3 GB, kept).
 * Run: npx tsx bench/sandbox.ts [calls]
 */
import { getQuickJS } from "quickjs-emscripten";
import { closeSandboxPool, runSandboxed } from "../lib/engine/sandbox/sandbox-pool";

const CALLS = Number(process.argv[2] ?? 300);
const CODE = "return { n: state.n * 2, s: String(state.s).toUpperCase() };";
const LIMITS = { timeoutMs: 1000, memoryLimitMb: 32 };
const BOMB = 'let a=[]; while(true) a.push("x".repeat(1e6))';
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const QuickJS = await getQuickJS();
/** The former design, reduced to its cost: a fresh runtime per call on this thread, with its limits. */
function formerWay(code: string, state: unknown): unknown {
  const deadline = Date.now() + LIMITS.timeoutMs;
  const runtime = QuickJS.newRuntime({
    memoryLimitBytes: LIMITS.memoryLimitMb << 20,
    maxStackSizeBytes: 512 * 1024,
    interruptHandler: () => Date.now() > deadline,
  });
  const vm = runtime.newContext();
  try {
    const json = vm.newString(JSON.stringify(state));
    vm.setProp(vm.global, "__s", json);
    json.dispose();
    const r = vm.evalCode(`JSON.stringify((function (state) { "use strict";\n${code}\n})(JSON.parse(__s)))`);
    if (r.error) {
      const e: unknown = vm.dump(r.error);
      r.error.dispose();
      throw new Error(JSON.stringify(e));
    }
    const out = vm.dump(r.value) as string;
    r.value.dispose();
    return JSON.parse(out);
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  console.log(`  ${label}: ${ms.toFixed(0)} ms (${((ms / CALLS) * 1000).toFixed(0)} µs/call)`);
  return ms;
}

// Warm both (thread start, WebAssembly tier-up).
for (let i = 0; i < 50; i++) {
  formerWay(CODE, { n: i, s: "w" });
  await runSandboxed(CODE, { n: i, s: "w" }, LIMITS);
}
console.log(`sandbox: ${CALLS} normal transforms`);
const oldSeq = await timed("former (same thread), sequential ", async () => {
  for (let i = 0; i < CALLS; i++) formerWay(CODE, { n: i, s: "x" });
});
const newSeq = await timed("pool (worker threads), sequential", async () => {
  for (let i = 0; i < CALLS; i++) await runSandboxed(CODE, { n: i, s: "x" }, LIMITS);
});
const oldPar = await timed("former, 50 at a time             ", async () => {
  for (let i = 0; i < CALLS; i += 50)
    await Promise.all(Array.from({ length: Math.min(50, CALLS - i) }, (_, j) => Promise.resolve(formerWay(CODE, { n: i + j, s: "x" }))));
});
const newPar = await timed("pool, 50 at a time               ", async () => {
  for (let i = 0; i < CALLS; i += 50)
    await Promise.all(Array.from({ length: Math.min(50, CALLS - i) }, (_, j) => runSandboxed(CODE, { n: i + j, s: "x" }, LIMITS)));
});
console.log(`  ratio pool/former: sequential ${(newSeq / oldSeq).toFixed(2)}, 50 at a time ${(newPar / oldPar).toFixed(2)}`);
console.log("  (the former way ran on the caller's thread: a 1 s transform blocked every other run of that thread for 1 s)");

async function bomb(label: string, run: () => Promise<unknown>) {
  const before = process.memoryUsage().rss;
  const t = performance.now();
  let outcome = "no error";
  try {
    await run();
  } catch (err) {
    outcome = (err as { code?: string }).code ?? (err as Error).message.slice(0, 80);
  }
  const after = process.memoryUsage().rss;
  console.log(`  ${label}: ${(performance.now() - t).toFixed(0)} ms, ${outcome}; RSS ${mb(before)} → ${mb(after)}`);
}

console.log(`memory bomb (${LIMITS.timeoutMs} ms / ${LIMITS.memoryLimitMb} MB): ${BOMB}`);
for (let i = 1; i <= 3; i++) await bomb(`pool, run ${i}`, () => runSandboxed(BOMB, {}, LIMITS));
await closeSandboxPool();
await new Promise((r) => setTimeout(r, 200));
console.log(`  RSS after the pool is closed: ${mb(process.memoryUsage().rss)}`);
if (process.argv.includes("--old-bomb")) await bomb("former way", async () => formerWay(BOMB, {}));
