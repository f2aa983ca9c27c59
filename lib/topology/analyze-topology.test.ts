import { describe, expect, it } from "vitest";
import { analyzeTopology } from "./analyze-topology";
import { aggregateRunStats } from "./aggregate-stats";
import { TopologyReportSchema, type NodeReport, type TopologyReport } from "./report";
import { TopologyStatsSchema, type TopologyStatsInput } from "./stats";
import { bridgeGraph, chain, diamond, doc, loopWithExit, twoBranches, twoComponents } from "./fixtures/small-graphs";
import { generateLayeredWorkflow, generateRunRecords } from "./fixtures/layered-workflow";

const node = (r: TopologyReport, id: string): NodeReport => r.nodes.find((n) => n.id === id)!;
const texts = (r: TopologyReport, id: string) => node(r, id).reasons.map((x) => x.text);
const codes = (items: { code: string }[]) => items.map((x) => x.code);
const stats = (input: TopologyStatsInput) => TopologyStatsSchema.parse(input);

describe("analyzeTopology: summary on the known graphs", () => {
  const summary = (r: TopologyReport) => {
    const s = r.summary;
    return {
      b0: s.b0,
      b1: s.b1,
      depth: s.depth,
      loops: s.loopCount,
      aps: s.articulationPointCount,
      bridges: s.bridgeCount,
      cp: s.criticalPath.nodeIds,
      cpMs: s.criticalPath.lengthMs,
      fanIn: s.maxFanIn,
      fanOut: s.maxFanOut,
    };
  };

  it("chain", () =>
    expect(summary(analyzeTopology(chain()))).toEqual({
      b0: 1,
      b1: 0,
      depth: 3,
      loops: 0,
      aps: 2,
      bridges: 3,
      cp: ["start", "a", "b", "output"],
      cpMs: 5000,
      fanIn: 1,
      fanOut: 1,
    }));
  it("diamond", () =>
    expect(summary(analyzeTopology(diamond()))).toEqual({
      b0: 1,
      b1: 1,
      depth: 2,
      loops: 0,
      aps: 0,
      bridges: 0,
      cp: ["start", "a", "j"],
      cpMs: 2500,
      fanIn: 2,
      fanOut: 2,
    }));
  it("two branches joined", () =>
    expect(summary(analyzeTopology(twoBranches()))).toEqual({
      b0: 1,
      b1: 1,
      depth: 4,
      loops: 0,
      aps: 1,
      bridges: 1,
      cp: ["start", "a1", "a2", "j", "output"],
      cpMs: 5000,
      fanIn: 2,
      fanOut: 2,
    }));
  it("loop with router exit", () =>
    expect(summary(analyzeTopology(loopWithExit()))).toEqual({
      b0: 1,
      b1: 1,
      depth: 2,
      loops: 1,
      aps: 2,
      bridges: 2,
      cp: ["start", "a", "r", "output"],
      cpMs: 2501,
      fanIn: 2,
      fanOut: 2,
    }));
  it("two components", () =>
    expect(summary(analyzeTopology(twoComponents()))).toEqual({
      b0: 2,
      b1: 0,
      depth: 2,
      loops: 0,
      aps: 1,
      bridges: 3,
      cp: ["start", "a", "output"],
      cpMs: 2500,
      fanIn: 1,
      fanOut: 1,
    }));
  it("bridge graph", () =>
    expect(summary(analyzeTopology(bridgeGraph()))).toEqual({
      b0: 1,
      b1: 2,
      depth: 5,
      loops: 0,
      aps: 2,
      bridges: 1,
      cp: ["start", "a", "b", "c", "d", "e"],
      cpMs: 10_000,
      fanIn: 2,
      fanOut: 2,
    }));

  it("reports counts, the betweenness method and the basis", () => {
    const r = analyzeTopology(loopWithExit());
    expect(r.summary).toMatchObject({ nodeCount: 4, edgeCount: 4, flowNodeCount: 4, flowEdgeCount: 4, toolEdgeCount: 0, basis: "estimated", runs: 0 });
    expect(r.summary.betweenness).toEqual({ method: "exact", implementation: "graphology-metrics", pivots: 4, exactMaxNodes: 1000 });
    expect(r.loops).toEqual([{ nodeIds: ["a", "r"], edgeIds: ["a-r", "r-a-route:again"] }]);
    expect(r.summary.criticalPath.edgeIds).toEqual(["start-a", "a-r", "r-a-route:again", "r-output-default"]);
  });
});

describe("analyzeTopology: structural reasons and suggestions (estimates)", () => {
  it("chain: critical share, single point of failure, crossroads, parallelisable", () => {
    const r = analyzeTopology(chain());
    expect(texts(r, "a")).toEqual([
      "On the critical path: 50% of the run time (2.5 s of 5 s, estimated).",
      'Could run side by side with "B": none reads another\'s output.',
      "A crossroads: many shortest routes between other steps pass through here (betweenness 0.333, the highest in the workflow).",
      "Single point of failure: every route between its sides passes through here; removing it splits the workflow in two (2 steps and 1 step).",
    ]);
    // 1 − (1 − 0.55)(1 − 0.5)(1 − 0.4)(1 − (0.15 + 0.5/3))
    expect(node(r, "a").score).toBeCloseTo(1 - 0.45 * 0.5 * 0.6 * (1 - (0.15 + 0.5 / 3)), 3);
    expect(codes(node(r, "a").suggestions)).toEqual(["ADD_ERROR_ROUTE", "PARALLELISE", "ADD_TIMEOUT"]);
    expect(node(r, "a").suggestions[1]).toEqual({
      code: "PARALLELISE",
      text: 'Run "A" and "B" in parallel (split before them, Join after): none reads another\'s output; saves about 2.5 s per run.',
      nodeIds: ["a", "b"],
    });
    expect(r.parallelisable).toEqual([{ nodeIds: ["a", "b"], edgeIds: ["a-b"], savingMs: 2500 }]);
    expect(node(r, "start")).toMatchObject({ score: 0, reasons: [] });
    expect(node(r, "a").metrics).toMatchObject({
      role: "flow",
      weightMs: 2500,
      weightBasis: "estimated",
      depth: 1,
      fanIn: 1,
      fanOut: 1,
      betweenness: 0.3333,
      onCriticalPath: true,
      criticalShare: 0.5,
      articulationParts: [2, 1],
      loop: null,
      component: 0,
      observed: null,
    });
  });

  it("chain edges: on the critical path and bridges", () => {
    const r = analyzeTopology(chain());
    const e = r.edges.find((x) => x.id === "start-a")!;
    expect(e.reasons.map((x) => [x.code, x.text, x.signal])).toEqual([
      ["CRITICAL_PATH", "On the critical path.", 0.65],
      ["BRIDGE", "Bridge: the only link between 1 step on one side and 3 on the other.", 0.25],
    ]);
    expect(e.score).toBeCloseTo(1 - 0.35 * 0.75, 4);
    expect(e.metrics).toEqual({ role: "flow", onCriticalPath: true, bridgeSides: [1, 3], inLoop: false, taken: null, takenShare: null });
  });

  it("diamond: all branches meet at the join, which waits for the slowest (estimated)", () => {
    const r = analyzeTopology(diamond());
    expect(node(r, "j").reasons.map((x) => [x.code, x.text, x.signal])).toEqual([
      ["JOIN_WAIT", 'Waits about 2.2 s for the slowest branch, "A" (estimated).', 0.8],
      ["JOIN", "All 2 incoming branches meet here.", 0.05],
    ]);
    expect(node(r, "j").suggestions).toEqual([
      { code: "ADD_TIMEOUT", text: 'Add a timeout to "A", the slowest branch this step waits for, or move work off it.', nodeIds: ["a", "j"] },
    ]);
  });

  it("two branches: the join cuts off the output; the long branch could be parallelised", () => {
    const r = analyzeTopology(twoBranches());
    // Signals: wait 0.8, betweenness 0.4 (the highest), cut point 0.15 + 0.5·1/5 = 0.25, join 0.05.
    expect(codes(node(r, "j").reasons)).toEqual(["JOIN_WAIT", "HIGH_BETWEENNESS", "SINGLE_POINT_OF_FAILURE", "JOIN"]);
    expect(texts(r, "j")[0]).toBe('Waits about 2.5 s for the slowest branch, "A2" (estimated).');
    expect(codes(node(r, "a1").suggestions)).toContain("PARALLELISE");
  });

  it("loop: members say they are in a loop; inner edges too", () => {
    const r = analyzeTopology(loopWithExit());
    expect(texts(r, "r")).toContain("Inside a loop of 2 steps (counted once per run until runs show how often it repeats).");
    expect(node(r, "r").metrics.loop).toBe(0);
    expect(r.edges.find((e) => e.id === "r-a-route:again")!.reasons.map((x) => x.text)).toEqual(["On the critical path.", "Inside a loop."]);
  });

  it("a human approval on the critical path without a time limit gets a timeout suggestion", () => {
    const r = analyzeTopology(
      doc(
        [
          ["start", "start"],
          ["ok", "human-approval", { instructions: "ok?", editableFields: [], timeoutMs: 0 }],
          ["output", "output"],
        ],
        [
          ["start", "ok"],
          ["ok", "output", "approved"],
        ],
      ),
    );
    expect(texts(r, "ok")[0]).toBe("On the critical path: 100% of the run time (5 min of 5 min, estimated).");
    expect(node(r, "ok").suggestions.map((s) => s.text)).toContain('Give "OK" a time limit (Give up after), so a run cannot wait for a reviewer forever.');
  });

  it("tools: attached tools are not steps; their edges say so", () => {
    const r = analyzeTopology(
      doc(
        [
          ["start", "start"],
          ["agent", "agent"],
          ["search", "http-request", { url: "https://x.test", outputKey: "" }],
          ["output", "output"],
        ],
        [
          ["start", "agent"],
          ["agent", "search", "tools"],
          ["agent", "output"],
        ],
      ),
    );
    expect(node(r, "search")).toMatchObject({ score: 0, metrics: { role: "tool", depth: null, betweenness: null } });
    expect(texts(r, "search")).toEqual(['Tool of "AGENT": the model calls it; its time counts inside the agent.']);
    expect(r.edges.find((e) => e.id === "agent-search-tools")!.reasons[0].text).toBe(
      'Attaches tool "SEARCH" to agent "AGENT": the model may call it; no run flows along it.',
    );
    // An agent with a tool attached is estimated at two model turns.
    expect(node(r, "agent").metrics.weightMs).toBe(5000);
    expect(r.summary).toMatchObject({ flowNodeCount: 3, toolEdgeCount: 1, toolOnlyNodeCount: 1 });
  });
});

describe("analyzeTopology: observed reasons and suggestions", () => {
  // start → four researchers → join → writer → output, 40 runs.
  const fanIn = () =>
    doc(
      [
        ["start", "start"],
        ["r1", "agent"],
        ["r2", "agent"],
        ["r3", "agent"],
        ["r4", "agent"],
        ["j", "join", { outputKey: "" }],
        [
          "w",
          "agent",
          { role: "Writer", prompt: "{{j}}", model: "", maxSteps: 5, outputKey: "" },
          { policy: { retry: { maxAttempts: 3, initialDelayMs: 500, backoffFactor: 2, retryOn: [] }, onError: "fail" } },
        ],
        ["output", "output"],
      ],
      [
        ["start", "r1"],
        ["start", "r2"],
        ["start", "r3"],
        ["start", "r4"],
        ["r1", "j"],
        ["r2", "j"],
        ["r3", "j"],
        ["r4", "j"],
        ["j", "w"],
        ["w", "output"],
      ],
    );
  const observed = (ms: number, extra: Record<string, unknown> = {}) => ({
    runs: 40,
    executions: 40,
    attempts: 40,
    busyMsPerRun: ms,
    latencyMs: { p50: ms, p95: ms, mean: ms },
    ...extra,
  });
  const s = stats({
    runs: 40,
    nodes: {
      start: observed(0),
      r1: observed(1000),
      r2: observed(2000),
      r3: observed(3000),
      r4: observed(3800),
      j: observed(0, { joinWaitMs: { p50: 3000, p95: 3600, mean: 3200 } }),
      w: observed(6200, { attempts: 50, retries: 10, failures: 6 }),
      output: observed(0),
    },
    runDurationMs: { p50: 10_000, p95: 12_000, mean: 10_500 },
  });

  it("says what the issue promises: critical share, all branches, join wait, failure rate", () => {
    const r = analyzeTopology(fanIn(), s);
    expect(texts(r, "w")).toContain("On the critical path: 62% of the run time (6.2 s of 10 s, observed).");
    expect(texts(r, "w")).toContain("Fails 12% of attempts (6 of 50).");
    expect(texts(r, "w")).toContain("Retried 10 times over 40 executions.");
    expect(texts(r, "j")).toContain("All 4 incoming branches meet here.");
    expect(texts(r, "j")).toContain('Waits 3.2 s on average for the slowest branch ("R4" by observed times).');
    expect(r.summary.basis).toBe("observed");
    expect(r.summary.criticalPath).toMatchObject({ lengthMs: 10_000, nodeIds: ["start", "r4", "j", "w", "output"] });
    expect(node(r, "w").metrics.observed).toEqual({
      runs: 40,
      executionsPerRun: 1,
      p50Ms: 6200,
      p95Ms: 6200,
      failureRate: 0.12,
      failedExecutionRate: 0,
      retriesPerExecution: 0.25,
      joinWaitMs: 0,
      queueWaitMs: 0,
      tokensPerRun: 0,
      costUsdPerRun: 0,
    });
  });

  it("suggests a fallback model for a failing agent (it already retries), not for one behind a fallback router", () => {
    const r = analyzeTopology(fanIn(), s);
    expect(node(r, "w").suggestions.map((x) => x.code)).toEqual(["ADD_FALLBACK_MODEL", "ADD_TIMEOUT"]);
    expect(node(r, "w").suggestions[0].text).toBe(
      'Add a fallback model for "W": put a Model router with fallback before it, so a provider failure moves to the next model.',
    );
    const routed = fanIn();
    routed.nodes.push({
      id: "mr",
      kind: "model-router",
      label: "MR",
      position: { x: 0, y: 0 },
      config: { policy: "cheapest", minQuality: "medium", fallback: true, candidates: [{ model: "offline:simulated" }] },
    });
    routed.edges = routed.edges
      .filter((e) => e.id !== "j-w")
      .concat([
        { id: "j-mr", source: "j", target: "mr" },
        { id: "mr-w", source: "mr", target: "w" },
      ]);
    expect(node(analyzeTopology(routed, s), "w").suggestions.map((x) => x.code)).not.toContain("ADD_FALLBACK_MODEL");
  });

  it("suggests retries when a node fails without a retry policy", () => {
    const r = analyzeTopology(chain(), stats({ runs: 10, nodes: { a: observed(100, { runs: 10, executions: 10, attempts: 10, failures: 1 }) } }));
    expect(node(r, "a").suggestions.find((x) => x.code === "ADD_RETRIES")!.text).toBe(
      'Add retries to "A" (e.g. 3 attempts with backoff): 10% of attempts fail.',
    );
    expect(r.summary.basis).toBe("mixed");
    expect(node(r, "b").metrics.weightBasis).toBe("estimated");
  });

  it("queueing inside a Parallel map branch suggests raising its cap", () => {
    const d = doc(
      [
        ["start", "start"],
        ["map", "parallel-map", { itemsFrom: "items", itemName: "item", maxConcurrency: 4 }],
        ["step", "agent"],
        ["j", "join", { outputKey: "" }],
        ["output", "output"],
      ],
      [
        ["start", "map"],
        ["map", "step", "each"],
        ["step", "j"],
        ["j", "output"],
      ],
    );
    const r = analyzeTopology(d, stats({ runs: 5, nodes: { step: observed(2000, { runs: 5, queueWaitMs: { p50: 1500, p95: 2000, mean: 1500 } }) } }));
    expect(texts(r, "step")).toContain("Queues 1.5 s on average before it starts (concurrency limit).");
    expect(node(r, "step").suggestions.find((x) => x.code === "RAISE_FAN_OUT_CAP")).toEqual({
      code: "RAISE_FAN_OUT_CAP",
      text: 'Raise Max concurrency of "MAP" (now 4): its branch queues 1.5 s on average at "STEP".',
      nodeIds: ["map", "step"],
    });
  });

  it("loops that repeat a lot, edges taken and never taken", () => {
    const d = loopWithExit();
    const r = analyzeTopology(
      d,
      stats({
        runs: 10,
        nodes: { a: observed(300, { runs: 10, executions: 40, attempts: 40 }), r: observed(1, { runs: 10, executions: 40, attempts: 40 }) },
        edges: { "start-a": { taken: 10 }, "a-r": { taken: 40 }, "r-a-route:again": { taken: 30 }, "r-output-default": { taken: 10 } },
      }),
    );
    expect(texts(r, "a")).toContain("Inside a loop of 2 steps; runs 4.0× per run on average.");
    expect(node(r, "a").suggestions.find((x) => x.code === "LIMIT_LOOP")!).toEqual({
      code: "LIMIT_LOOP",
      text: 'The loop repeats 4.0× per run on average: tighten the exit condition of "R" or cap the iterations.',
      nodeIds: ["r"],
    });
    const back = r.edges.find((e) => e.id === "r-a-route:again")!;
    expect(back.metrics).toMatchObject({ taken: 30, takenShare: 0.75, inLoop: true });
    expect(back.reasons.map((x) => x.text)).toContain('Taken in 75% of the executions of "R" (30 of 40).');
    expect(back.reasons.map((x) => x.text)).toContain("Inside a loop; taken 3.0× per run on average.");

    const never = analyzeTopology(
      d,
      stats({ runs: 10, nodes: { r: observed(1, { runs: 10, executions: 10, attempts: 10 }) }, edges: { "r-output-default": { taken: 10 } } }),
    );
    expect(never.edges.find((e) => e.id === "r-a-route:again")!.reasons.map((x) => x.text)).toContain('Never taken in 10 executions of "R".');
  });

  it("stats aggregated from run records feed the analysis", () => {
    const d = chain();
    const records = [1, 2, 3].flatMap((run) => [
      { runId: `r${run}`, nodeId: "a", status: "succeeded" as const, startedAt: 0, finishedAt: 1000, edgesTaken: ["a-b"] },
      {
        runId: `r${run}`,
        nodeId: "b",
        status: run === 3 ? ("failed" as const) : ("succeeded" as const),
        startedAt: 1000,
        finishedAt: 4000,
        edgesTaken: run === 3 ? [] : ["b-output"],
      },
    ]);
    const r = analyzeTopology(d, aggregateRunStats(records));
    expect(r.summary).toMatchObject({ runs: 3, basis: "mixed" });
    expect(texts(r, "b")).toContain("Fails 33% of attempts (1 of 3).");
    expect(texts(r, "b")[0]).toBe("Fails 33% of attempts (1 of 3).");
  });
});

describe("analyzeTopology: bottlenecks, determinism, schema", () => {
  it("ranks by score, nodes before edges on ties, then document order", () => {
    const r = analyzeTopology(chain());
    expect(r.bottlenecks.map((b) => [b.rank, b.type, b.id])).toEqual([
      [1, "node", "a"],
      [2, "node", "b"],
      [3, "edge", "start-a"],
      [4, "edge", "a-b"],
      [5, "edge", "b-output"],
    ]);
    expect(r.bottlenecks[0]).toMatchObject({ label: "A", headline: "On the critical path: 50% of the run time (2.5 s of 5 s, estimated)." });
    expect(r.bottlenecks[3].label).toBe("A → B");
    expect(analyzeTopology(chain(), undefined, { topBottlenecks: 1 }).bottlenecks).toHaveLength(1);
  });

  it("is deterministic and matches its schema (including a sampled 1,500-node graph with stats)", () => {
    const d = generateLayeredWorkflow({ nodes: 1500, seed: 4 });
    const s = aggregateRunStats(generateRunRecords(d, 3));
    const a = analyzeTopology(d, s);
    const b = analyzeTopology(structuredClone(d), structuredClone(s));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.summary.betweenness).toMatchObject({ method: "sampled", implementation: "brandes-float64", pivots: 256 });
    expect(TopologyReportSchema.parse(a)).toEqual(a);
    for (const item of [...a.nodes, ...a.edges]) expect(item.score).toBeGreaterThanOrEqual(0);
    expect(a.nodes.map((n) => n.id)).toEqual(d.nodes.map((n) => n.id));
    expect(a.edges.map((e) => e.id)).toEqual(d.edges.map((e) => e.id));
  });

  it("handles an empty document", () => {
    const r = analyzeTopology(doc([], []));
    expect(r.summary).toMatchObject({ nodeCount: 0, b0: 0, b1: 0, depth: 0, criticalPath: { lengthMs: 0, nodeIds: [], edgeIds: [] } });
    expect(r.bottlenecks).toEqual([]);
  });
});

describe("analyzeTopology with ids that name Object.prototype members", () => {
  it("does not mistake inherited members for stats", () => {
    const d = doc(
      [
        ["start", "start"],
        ["constructor", "agent"],
        ["toString", "output"],
      ],
      [
        ["start", "constructor"],
        ["constructor", "toString"],
      ],
    );
    const r = analyzeTopology(
      d,
      TopologyStatsSchema.parse({ runs: 3, nodes: { start: { runs: 3, executions: 3, attempts: 3 } }, edges: { "start-constructor": { taken: 3 } } }),
    );
    expect(node(r, "constructor").metrics.weightBasis).toBe("estimated");
    expect(r.edges.find((e) => e.id === "constructor-toString")!.metrics.taken).toBe(0);
  });
});
