import { describe, expect, it } from "vitest";
import ELK from "elkjs/lib/elk.bundled.js";
import { createEmptyWorkflow } from "@/lib/workflow";
import { addNode, connect } from "./document-ops";
import { positionsFromElk, toElkGraph } from "./layout";

describe("auto-layout", () => {
  it("lays a chain out left to right", async () => {
    let doc = createEmptyWorkflow("A");
    const a = addNode(doc, "agent", { x: 500, y: 500 });
    doc = connect({ ...a.doc, edges: [] }, { source: "start", target: "agent" });
    doc = connect(doc, { source: "agent", target: "output" });
    const elk = new ELK();
    const result = await elk.layout(toElkGraph(doc, "RIGHT"));
    const pos = positionsFromElk(doc, result);
    expect(pos.get("start")!.x).toBeLessThan(pos.get("agent")!.x);
    expect(pos.get("agent")!.x).toBeLessThan(pos.get("output")!.x);
    const down = positionsFromElk(doc, await elk.layout(toElkGraph(doc, "DOWN")));
    expect(down.get("start")!.y).toBeLessThan(down.get("output")!.y);
  });
});
