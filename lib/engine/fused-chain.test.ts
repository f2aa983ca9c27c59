import { describe, expect, it } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import type { EngineEvent } from "../contracts/events";
import { compileWorkflow, createDefaultServices, runWorkflow } from "./index";
import { fusableChains } from "./fused-chain";
import { planWorkflow } from "./plan";
import { PlainJsonSerializer } from "./plain-json-serde";
import { signalSavedWrites } from "./saved-writes";
import { buildWorkflow, type NodeSpec } from "./testing";

const services = createDefaultServices({ models: { env: {} } });
const add = (field: string): Record<string, unknown> => ({ assignments: [{ field, expression: `${field} + 1`, type: "number" }] });

/** start → a → b → c → out (Set fields adding 1); `tags` (an append field) gets one item per step. */
function counterChain() {
  const step = (tag: string): Record<string, unknown> => ({
    assignments: [...(add("counter").assignments as unknown[]), { field: "tags", expression: `"${tag}"`, type: "string" }],
  });
  const nodes: NodeSpec[] = [
    ["start", "start", { fields: [{ name: "counter", type: "number" }] }],
    ["a", "set-fields", step("a")],
    ["b", "set-fields", step("b")],
    ["c", "set-fields", step("c")],
    ["out", "output", { value: "{{counter}}" }],
  ];
  return buildWorkflow(nodes, ["start->a", "a->b", "b->c", "c->out"], { stateFields: [{ name: "tags", reducer: "append" }] });
}

const label = (e: EngineEvent) => `${e.type}:${(e as { nodeId?: string }).nodeId ?? ""}`;

describe("fusableChains", () => {
  it("fuses a straight run of pure steps into one chain", () => {
    expect(fusableChains(planWorkflow(counterChain()).plan!)).toEqual([["start", "a", "b", "c", "out"]]);
  });

  it("fuses nothing when the workflow asks for a checkpoint after each step", () => {
    const doc = counterChain();
    expect(fusableChains(planWorkflow({ ...doc, settings: { ...doc.settings, checkpointEachStep: true } }).plan!)).toEqual([]);
  });

  it("a fan-out ends a chain and a node with two ways in starts one", () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "counter", type: "number" }] }],
        ["a", "set-fields", add("counter")],
        ["b", "set-fields", add("counter")],
        ["c", "set-fields", add("counter")],
        ["d", "set-fields", add("counter")],
        ["out", "output", { value: "{{counter}}" }],
      ],
      ["start->a", "start->b", "a->c", "b->c", "c->d", "d->out"],
    );
    expect(fusableChains(planWorkflow(doc).plan!)).toEqual([["c", "d", "out"]]);
  });
});

describe("a fused chain runs as its steps did", () => {
  it("same result, reducers and events in step order, with one checkpoint step instead of one per node", async () => {
    const saver = signalSavedWrites(new MemorySaver(new PlainJsonSerializer()));
    const runId = `fused-${Date.now()}`;
    const events: EngineEvent[] = [];
    for await (const e of runWorkflow(compileWorkflow(counterChain(), services), { runId, input: { counter: 1 }, checkpointer: saver })) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: "run.finished", result: 4 });
    expect(events.map(label)).toEqual([
      "run.started:",
      ...["start", "a", "b", "c", "out"].flatMap((id) => [`node.started:${id}`, `node.finished:${id}`, ...(id === "out" ? [] : [`state.update:${id}`])]),
      "run.finished:",
    ]);
    expect(events.find((e) => label(e) === "state.update:b")).toMatchObject({ values: { counter: 3, tags: "b" } });
    const state = await compileWorkflow(counterChain(), services)
      .graph(saver)
      .getState({ configurable: { thread_id: runId } });
    expect(state.values).toMatchObject({ counter: 4, tags: ["a", "b", "c"] });
    // The input checkpoint, the one after LangGraph's __start__ step and the one after the chain (7 unfused).
    expect(Object.keys(saver.storage[runId][""])).toHaveLength(3);
  });

  it("killed before the chain's writes were saved: no node of it said it finished, and the continuing run says each once", async () => {
    const saver = new MemorySaver(new PlainJsonSerializer());
    // The process dies before the chain's writes (the only ones with `tags`) are stored: nothing is stored from then on.
    let dead = false;
    const never = () => new Promise<never>(() => {});
    const putWrites = saver.putWrites.bind(saver);
    saver.putWrites = (config, writes, taskId) => {
      dead ||= writes.some(([channel]) => channel === "tags");
      return dead ? never() : putWrites(config, writes, taskId);
    };
    const put = saver.put.bind(saver);
    saver.put = (...args) => (dead ? never() : put(...args));
    const compiled = compileWorkflow(counterChain(), services);
    const thread = `fused-crash-${Date.now()}`;
    const first: EngineEvent[] = [];
    const it1 = runWorkflow(compiled, { runId: thread, threadId: thread, input: { counter: 0 }, checkpointer: signalSavedWrites(saver) });
    const read = async () => {
      for (;;) {
        const next = await it1.next();
        if (next.done) return;
        first.push(next.value);
      }
    };
    await Promise.race([read(), new Promise((r) => setTimeout(r, 300))]);
    expect(first.map(label)).toEqual(["run.started:", "node.started:start"]);

    const survivor = signalSavedWrites(new MemorySaver(new PlainJsonSerializer()));
    survivor.storage = { [`${thread}-after`]: structuredClone(saver.storage[thread]) };
    const second: EngineEvent[] = [];
    for await (const e of runWorkflow(compiled, { runId: `${thread}-2`, threadId: `${thread}-after`, input: null, checkpointer: survivor })) second.push(e);
    expect(second.filter((e) => e.type === "node.finished").map((e) => (e as { nodeId: string }).nodeId)).toEqual(["start", "a", "b", "c", "out"]);
    expect(second.at(-1)).toMatchObject({ type: "run.finished", result: 3 });
  });
});
