import { describe, expect, it } from "vitest";
import { overdueApprovals } from "./approval-timeouts";

const waiting = (entries: { nodeId: string; ts: number; timeoutMs: number }[]) => JSON.stringify(entries);

describe("overdueApprovals", () => {
  it("finds approvals past ts + timeoutMs, never those that wait forever or are not due", () => {
    const runs = [
      { id: "r1", waitingFor: waiting([{ nodeId: "a", ts: 1000, timeoutMs: 500 }]) },
      { id: "r2", waitingFor: waiting([{ nodeId: "b", ts: 1000, timeoutMs: 0 }]) },
      { id: "r3", waitingFor: waiting([{ nodeId: "c", ts: 1200, timeoutMs: 500 }]) },
      { id: "r4", waitingFor: null },
      { id: "r5", waitingFor: "not json" },
    ];
    expect(overdueApprovals(runs, 1600)).toEqual([{ runId: "r1", nodeId: "a", timeoutMs: 500 }]);
    expect(overdueApprovals(runs, 1700).map((x) => x.runId)).toEqual(["r1", "r3"]);
  });
});
