import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/contracts/events";
import { reduceRunEvents, watchOverlay } from "./run-overlay";

describe("run overlay: node.throttled", () => {
  it("marks a node waiting for its provider's rate limit, and clears it when its turn comes", () => {
    const ev = (seq: number, v: Record<string, unknown>) => ({ runId: "r", seq, ts: 1000 + seq, nodeId: "ag", kind: "agent", ...v }) as RunEvent;
    let o = reduceRunEvents(watchOverlay("r"), [
      ev(0, { type: "node.started", attempt: 1 }),
      ev(1, { type: "node.throttled", provider: "model:openai", phase: "waiting", limit: "tokens", position: 2, etaMs: 4000 }),
    ]);
    expect(o.nodes.get("ag")?.throttled).toEqual({ provider: "model:openai", limit: "tokens", position: 2, etaMs: 4000, since: 1001 });
    o = reduceRunEvents(o, [ev(2, { type: "node.throttled", provider: "model:openai", phase: "admitted", waitedMs: 3900 })]);
    expect(o.nodes.get("ag")?.throttled).toBeUndefined();
    expect(o.nodes.get("ag")?.status).toBe("running");
  });
});
