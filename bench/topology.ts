/**
 * Topology analysis speed: `npx tsx bench/topology.ts`.
 *
 * Generates layered random workflows of 1,000 and 10,000 nodes (~1.5 flow edges per node, a few
 * loops, fixed seed), times `analyzeTopology` without and with observed stats (median of several
 * runs after warm-up), and prints the ratio to the targets of issue 5: 1,000 nodes < 100 ms,
 * 10,000 nodes < 2 s (ratio < 1 meets the target). Also prints whether betweenness was exact or
 * sampled, how close the sample is to exact at 10,000 nodes, and the size of what the worker posts.
 * Prints numbers; never asserts.
 */
import os from "node:os";
import { analyzeTopology } from "@/lib/topology/analyze-topology";
import { aggregateRunStats } from "@/lib/topology/aggregate-stats";
import { buildFlowGraph } from "@/lib/topology/flow-graph";
import { condense } from "@/lib/topology/loops";
import { betweennessCentrality } from "@/lib/topology/betweenness";
import { toTopologyOverlay } from "@/lib/topology/overlay";
import { generateLayeredWorkflow, generateRunRecords } from "@/lib/topology/fixtures/layered-workflow";
import type { TopologyStats } from "@/lib/topology/stats";
import type { WorkflowDocument } from "@/lib/workflow/schema";

const SEED = 42;
const RUNS_OF_STATS = 20;
const cases = [
  { nodes: 1_000, targetMs: 100, warmup: 10, repeats: 21 },
  { nodes: 10_000, targetMs: 2_000, warmup: 2, repeats: 7 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wall-clock and CPU time (user + system of this process) per call, median over `repeats` after `warmup`. */
function time(fn: () => unknown, warmup: number, repeats: number): { median: number; min: number; cpu: number } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { median: median(wall), min: Math.min(...wall), cpu: median(cpu) };
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const pad = (s: string | number, n: number) => String(s).padStart(n);

console.log(
  `topology bench · node ${process.version} · ${os.cpus().length} CPUs · load ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")} · seed ${SEED}`,
);
console.log("wall = wall-clock median; cpu = median CPU time of this process (less sensitive to other load on the machine); ratio = wall median / target");
console.log(
  `${pad("nodes", 6)} ${pad("edges", 6)} ${pad("stats", 9)} ${pad("wall ms", 9)} ${pad("min ms", 8)} ${pad("cpu ms", 8)} ${pad("target ms", 10)} ${pad("ratio", 6)}  betweenness`,
);

const built: { doc: WorkflowDocument; stats: TopologyStats }[] = [];
for (const c of cases) {
  const doc = generateLayeredWorkflow({ nodes: c.nodes, edgesPerNode: 1.5, seed: SEED });
  const t0 = performance.now();
  const stats = aggregateRunStats(generateRunRecords(doc, RUNS_OF_STATS, SEED));
  const aggregateMs = performance.now() - t0;
  built.push({ doc, stats });
  for (const withStats of [false, true]) {
    const report = analyzeTopology(doc, withStats ? stats : undefined);
    const t = time(() => analyzeTopology(doc, withStats ? stats : undefined), c.warmup, c.repeats);
    const b = report.summary.betweenness;
    const method = b.method === "exact" ? `exact (${b.implementation})` : `sampled (${b.pivots} pivots, ${b.implementation})`;
    console.log(
      `${pad(c.nodes, 6)} ${pad(doc.edges.length, 6)} ${pad(withStats ? `${RUNS_OF_STATS} runs` : "none", 9)} ${pad(fmt(t.median), 9)} ${pad(fmt(t.min), 8)} ${pad(fmt(t.cpu), 8)} ${pad(c.targetMs, 10)} ${pad(fmt(t.median / c.targetMs, 2), 6)}  ${method}`,
    );
  }
  console.log(
    `${pad("", 6)} aggregating ${RUNS_OF_STATS} runs of records (${(c.nodes * RUNS_OF_STATS).toLocaleString("en")}+ records) took ${fmt(aggregateMs)} ms (not part of the analysis)`,
  );
}

// What the worker posts back: the overlay is what the canvas asks for by default.
for (const { doc, stats } of built) {
  const report = analyzeTopology(doc, stats);
  const overlay = toTopologyOverlay(report);
  const t = time(() => toTopologyOverlay(report), 2, 5);
  console.log(
    `${pad(doc.nodes.length, 6)} nodes: full report ${fmt(JSON.stringify(report).length / 1e6, 2)} MB JSON, overlay ${fmt(JSON.stringify(overlay).length / 1e3, 0)} kB (built in ${fmt(t.median)} ms); top bottleneck: ${report.bottlenecks[0]?.label ?? "-"} (${report.bottlenecks[0]?.score ?? 0}) "${report.bottlenecks[0]?.headline ?? ""}"`,
  );
}

// Sampled betweenness against exact at 10,000 nodes (exact here by our float64 Brandes over every node).
{
  const { doc } = built[built.length - 1];
  const graph = buildFlowGraph(doc);
  const cond = condense(graph);
  const sampled = betweennessCentrality(graph, cond);
  const t0 = performance.now();
  const exact = betweennessCentrality(graph, cond, { exactMaxNodes: Number.POSITIVE_INFINITY });
  const exactMs = performance.now() - t0;
  const n = graph.ids.length;
  const top = (v: Float64Array, k: number) =>
    new Set(
      Array.from({ length: n }, (_, i) => i)
        .sort((a, b) => v[b] - v[a] || a - b)
        .slice(0, k),
    );
  const topExact = top(exact.values, 20);
  const overlap = [...top(sampled.values, 20)].filter((i) => topExact.has(i)).length;
  let maxErr = 0,
    maxExact = 0;
  for (let i = 0; i < n; i++) {
    maxErr = Math.max(maxErr, Math.abs(sampled.values[i] - exact.values[i]));
    maxExact = Math.max(maxExact, exact.values[i]);
  }
  console.log(
    `${pad(n, 6)} nodes: sampled betweenness (${sampled.pivots} pivots) vs exact (${exact.implementation}, ${fmt(exactMs, 0)} ms): top-20 overlap ${overlap}/20, max abs error ${maxErr.toExponential(2)} (max exact value ${maxExact.toExponential(2)})`,
  );
}
