import { describe, expect, it } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import type { EngineEvent } from "../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices } from "./index";
import { buildWorkflow } from "./testing";

// Human approval where it is not a top-level node: inside a sub-workflow, and inside a Parallel map's
// branch (one approval per item).

const ofType = <T extends EngineEvent["type"]>(events: EngineEvent[], type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

describe("nested Human approvals", () => {
  it("an approval inside a sub-workflow pauses the parent run and resumes it", async () => {
    const child = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "draft" }] }],
        ["ap", "human-approval", { instructions: "Check the draft" }],
        ["ok", "template", { template: "approved {{draft}}" }],
        ["no", "template", { template: "rejected" }],
        ["o", "output", { value: "{{ok}}{{no}}" }],
      ],
      ["start->ap", "ap->ok:approved", "ap->no:rejected", "ok->o", "no->o"],
    );
    const parent = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "draft" }] }],
        ["sub", "sub-workflow", { workflowId: "child", outputKey: "review" }],
        ["o", "output", { value: "parent: {{review}}" }],
      ],
      ["start->sub", "sub->o"],
    );
    const compiled = compileWorkflow(parent, createDefaultServices({ workflows: { child } }));
    const checkpointer = new MemorySaver();
    const first = await collectRun(compiled, { runId: "sub1", input: { draft: "memo" }, checkpointer });
    expect(first.outcome.status).toBe("waiting");
    const waiting = ofType(first.events, "node.waiting");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ nodeId: "ap", instructions: "Check the draft", scope: ["sub"] });

    const second = await collectRun(compiled, { runId: "sub1", checkpointer, resume: { approved: true, nodeId: "ap" } });
    expect(second.outcome).toMatchObject({ status: "succeeded", result: "parent: approved memo" });
  });

  it("an approval in a map branch waits once per item; each item is answered on its own", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "items", type: "json" }] }],
        ["map", "parallel-map", { itemsFrom: "items", itemName: "item" }],
        ["ap", "human-approval", { instructions: "Item {{item}}?" }],
        ["t", "template", { template: "{{item}}:{{ap.approved}}" }],
        ["j", "join", { outputKey: "all" }],
        ["o", "output", { value: "{{all}}" }],
      ],
      ["start->map", "map->ap:each", "ap->t:approved", "ap->t:rejected", "t->j", "j->o"],
    );
    const compiled = compileWorkflow(doc, createDefaultServices());
    const checkpointer = new MemorySaver();
    const first = await collectRun(compiled, { runId: "map1", input: { items: ["a", "b"] }, checkpointer });
    expect(first.outcome.status).toBe("waiting");
    const waiting = ofType(first.events, "node.waiting");
    expect(waiting).toHaveLength(2);
    expect(waiting.map((w) => w.instructions).sort()).toEqual(["Item a?", "Item b?"]);
    // Answers go to the node's approvals one at a time; the run waits until the last is answered.
    const second = await collectRun(compiled, { runId: "map1", checkpointer, resume: { approved: true, nodeId: "ap" } });
    expect(second.outcome.status).toBe("waiting");
    expect(second.outcome.waitingFor).toHaveLength(1);
    const third = await collectRun(compiled, { runId: "map1", checkpointer, resume: { approved: false, nodeId: "ap" } });
    expect(third.outcome.status).toBe("succeeded");
    // The first answer went to one item, the second to the other: one approved, one rejected.
    const results = (third.outcome.result as string[]).map(String).sort();
    expect(results.map((r) => r.split(":")[1]).sort()).toEqual(["false", "true"]);
    expect(results.map((r) => r.split(":")[0])).toEqual(["a", "b"]);
  });
});
