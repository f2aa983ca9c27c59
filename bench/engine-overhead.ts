/**
 * Engine overhead: the same 100-node chain (each node appends "." to a string field) run through
 * our compiled workflow (runWorkflow: wrappers, events, state updates) and through hand-written
 * LangGraph code (graph.stream with "updates"). Prints both timings and the ratio (target ≤ 1.2).
 * Run: npx tsx bench/engine-overhead.ts [nodes] [runs]
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { collectRun, compileWorkflow, createDefaultServices } from "../lib/engine";
import { buildWorkflow, type NodeSpec } from "../lib/engine/testing";

const N = Number(process.argv[2] ?? 100);
const RUNS = Number(process.argv[3] ?? 30);

const nodes: NodeSpec[] = [["start", "start", { fields: [{ name: "v" }] }]];
const edges: string[] = [];
for (let i = 0; i < N; i++) {
  nodes.push([`n${i}`, "template", { template: "{{v}}.", outputKey: "v" }]);
  edges.push(`${i === 0 ? "start" : `n${i - 1}`}->n${i}`);
}
nodes.push(["out", "output", { value: "{{v}}" }]);
edges.push(`n${N - 1}->out`);
const compiled = compileWorkflow(buildWorkflow(nodes, edges), createDefaultServices());

const State = Annotation.Root({ v: Annotation<string>({ reducer: (_, b) => b, default: () => "" }), result: Annotation<string>() });
const g = new StateGraph(State) as unknown as StateGraph<typeof State.spec, typeof State.State, typeof State.Update, string>;
g.addNode("start", async (s: typeof State.State) => ({ v: s.v }));
for (let i = 0; i < N; i++) g.addNode(`n${i}`, async (s: typeof State.State) => ({ v: `${s.v}.` }));
g.addNode("out", async (s: typeof State.State) => ({ result: s.v }));
g.addEdge(START, "start");
for (let i = 0; i < N; i++) g.addEdge(i === 0 ? "start" : `n${i - 1}`, `n${i}`);
g.addEdge(`n${N - 1}`, "out");
g.addEdge("out", END);
const handWritten = g.compile();

async function ours(i: number) {
  const { outcome } = await collectRun(compiled, { runId: `bench-${i}`, input: { v: "x" }, recursionLimit: N + 20 });
  if (outcome.result !== `x${".".repeat(N)}`) throw new Error(`unexpected result ${JSON.stringify(outcome)}`);
}
async function theirs() {
  let last: unknown;
  for await (const chunk of await handWritten.stream({ v: "x" }, { streamMode: "updates", recursionLimit: N + 20 })) last = chunk;
  if ((last as { out: { result: string } }).out.result !== `x${".".repeat(N)}`) throw new Error("unexpected result");
}

async function time(fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < 5; i++) {
  await ours(-i - 1);
  await theirs();
}
// Interleave the two so machine load affects both alike.
const a: number[] = [];
const b: number[] = [];
for (let round = 0; round < 3; round++) {
  a.push(...(await time(ours)));
  b.push(...(await time(theirs)));
}
const ma = median(a);
const mb = median(b);
console.log(`engine-overhead: ${N}-node chain, ${a.length} runs each (median)`);
console.log(`  compiled workflow (runWorkflow): ${ma.toFixed(1)} ms  (${((ma / (N + 2)) * 1000).toFixed(0)} µs/node)`);
console.log(`  hand-written LangGraph:          ${mb.toFixed(1)} ms  (${((mb / (N + 2)) * 1000).toFixed(0)} µs/node)`);
console.log(`  ratio: ${(ma / mb).toFixed(2)} (target ≤ 1.2)`);
