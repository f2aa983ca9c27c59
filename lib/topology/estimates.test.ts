import { describe, expect, it } from "vitest";
import { estimateNodeLatencyMs, KIND_LATENCY_ESTIMATES_MS, UNKNOWN_KIND_ESTIMATE_MS } from "./estimates";
import { NODE_KINDS } from "@/lib/workflow/catalog";
import { combineSignals } from "./score";
import { formatMs, formatPercent, formatUsd, listNames } from "./format";
import type { WorkflowNode } from "@/lib/workflow/schema";

const node = (kind: string, config: Record<string, unknown> = {}): WorkflowNode => ({ id: "n", kind, label: "n", position: { x: 0, y: 0 }, config });

describe("estimates", () => {
  it("has an entry for every kind of the catalog", () => {
    for (const k of NODE_KINDS) expect(KIND_LATENCY_ESTIMATES_MS, k.kind).toHaveProperty([k.kind]);
  });

  it("reads the config where the kind says how long it takes", () => {
    expect(estimateNodeLatencyMs(node("delay", { ms: 1234 }))).toBe(1234);
    expect(estimateNodeLatencyMs(node("human-approval", { timeoutMs: 0 }))).toBe(300_000);
    expect(estimateNodeLatencyMs(node("human-approval", { timeoutMs: 60_000 }))).toBe(60_000);
    expect(estimateNodeLatencyMs(node("agent", { maxSteps: 5 }))).toBe(2500);
    expect(estimateNodeLatencyMs(node("agent", { maxSteps: 5 }), 2)).toBe(5000);
    expect(estimateNodeLatencyMs(node("agent", { maxSteps: 1 }), 2)).toBe(2500);
    expect(estimateNodeLatencyMs(node("something-new"))).toBe(UNKNOWN_KIND_ESTIMATE_MS);
  });
});

describe("score and wording", () => {
  it("combines signals as a noisy-OR in [0, 1]", () => {
    expect(combineSignals([])).toBe(0);
    expect(combineSignals([0.5, 0.5])).toBe(0.75);
    expect(combineSignals([1, 0.2])).toBe(1);
    expect(combineSignals([2, -1, Number.NaN])).toBe(1);
  });

  it("formats durations, shares, money and lists", () => {
    expect([formatMs(850), formatMs(3200), formatMs(12_400), formatMs(270_000), formatMs(5_400_000)]).toEqual(["850 ms", "3.2 s", "12 s", "4.5 min", "1.5 h"]);
    expect([formatPercent(0.623), formatPercent(0.004), formatPercent(0)]).toEqual(["62%", "<1%", "0%"]);
    expect([formatUsd(0.0123), formatUsd(1.5)]).toEqual(["$0.0123", "$1.50"]);
    expect([listNames(["a"]), listNames(["a", "b"]), listNames(["a", "b", "c"])]).toEqual(["a", "a and b", "a, b and c"]);
  });
});
