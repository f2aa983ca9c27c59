import { describe, expect, it } from "vitest";
import { createTopologyWorkerLoop } from "./worker-handler";
import { TopologyWorkerResponseSchema, type TopologyWorkerResponse } from "./worker-protocol";
import { NodeFlag, EdgeFlag } from "./overlay";
import { chain, diamond } from "./fixtures/small-graphs";

function harness() {
  const posted: TopologyWorkerResponse[] = [];
  const drains: (() => void)[] = [];
  const receive = createTopologyWorkerLoop(
    (m) => posted.push(m),
    (d) => drains.push(d),
    () => 0,
  );
  const flush = () => {
    while (drains.length) drains.shift()!();
  };
  return { posted, receive, flush };
}

describe("topology worker loop", () => {
  it("answers analyze with the compact overlay by default, and with the full report on request", () => {
    const { posted, receive, flush } = harness();
    receive({ type: "analyze", requestId: 1, doc: chain() });
    flush();
    receive({ type: "analyze", requestId: 2, doc: chain(), detail: "full" });
    flush();
    expect(posted.map((m) => [m.type, m.requestId])).toEqual([
      ["overlay", 1],
      ["report", 2],
    ]);
    for (const m of posted) expect(TopologyWorkerResponseSchema.parse(m)).toEqual(m);
    const overlay = posted[0].type === "overlay" ? posted[0].overlay : null;
    expect(overlay!.nodeIds).toEqual(["start", "a", "b", "output"]);
    expect(overlay!.nodeFlags[1]).toBe(NodeFlag.CRITICAL | NodeFlag.ARTICULATION | NodeFlag.PARALLELISABLE);
    expect(overlay!.edgeFlags[0]).toBe(EdgeFlag.CRITICAL | EdgeFlag.BRIDGE);
    expect(overlay!.bottlenecks[0].id).toBe("a");
  });

  it("analyses only the newest of queued requests and marks the others superseded", () => {
    const { posted, receive, flush } = harness();
    receive({ type: "analyze", requestId: 1, doc: chain() });
    receive({ type: "analyze", requestId: 2, doc: chain() });
    receive({ type: "analyze", requestId: 3, doc: diamond() });
    flush();
    expect(posted.map((m) => [m.type, m.requestId])).toEqual([
      ["superseded", 1],
      ["superseded", 2],
      ["overlay", 3],
    ]);
  });

  it("serves details of the last analysis", () => {
    const { posted, receive, flush } = harness();
    receive({ type: "details", requestId: 1, nodeIds: ["a"] });
    flush();
    receive({ type: "analyze", requestId: 2, doc: diamond() });
    receive({ type: "details", requestId: 3, nodeIds: ["j", "nope"], edgeIds: ["a-j"] });
    flush();
    expect(posted[0]).toEqual({ type: "details", requestId: 1, fromRequestId: null, nodes: [], edges: [] });
    const details = posted[2];
    expect(details.type === "details" && [details.fromRequestId, details.nodes.map((n) => n.id), details.edges.map((e) => e.id)]).toEqual([2, ["j"], ["a-j"]]);
  });

  it("answers invalid messages with a stable code", () => {
    const { posted, receive } = harness();
    receive({ type: "analyze", requestId: 7, doc: { nodes: "no" } });
    receive("hello");
    expect(posted.map((m) => m.type === "error" && [m.requestId, m.code])).toEqual([
      [7, "TOPOLOGY_REQUEST_INVALID"],
      [null, "TOPOLOGY_REQUEST_INVALID"],
    ]);
    expect(posted[0].type === "error" && posted[0].message).toMatch(/^Invalid topology worker message at "doc"/);
  });
});
