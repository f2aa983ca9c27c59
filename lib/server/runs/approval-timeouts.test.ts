import { describe, expect, it } from "vitest";
import { overdueApprovals } from "./approval-timeouts";

describe("overdueApprovals", () => {
  it("finds approvals past ts + timeoutMs, never those that wait forever or are not due", () => {
    const runs = [
      { id: "r1", waitingFor: [{ nodeId: "a", ts: 1000, timeoutMs: 500 }] },
      { id: "r2", waitingFor: [{ nodeId: "b", ts: 1000, timeoutMs: 0 }] },
      { id: "r3", waitingFor: [{ nodeId: "c", ts: 1200, timeoutMs: 500 }] },
      { id: "r4", waitingFor: [] },
    ];
    expect(overdueApprovals(runs, 1600)).toEqual([{ runId: "r1", nodeId: "a", timeoutMs: 500 }]);
    expect(overdueApprovals(runs, 1700).map((x) => x.runId)).toEqual(["r1", "r3"]);
  });
});
