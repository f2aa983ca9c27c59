import { describe, expect, it } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import type { EngineEvent } from "../contracts/events";
import { compileWorkflow, createDefaultServices, runWorkflow } from "./index";
import { PlainJsonSerializer } from "./plain-json-serde";
import { beforeSavingWrites, signalSavedWrites } from "./saved-writes";
import { buildWorkflow } from "./testing";

const services = createDefaultServices({ models: { env: {} } });

/**
 * start → a → b → c → out, each Set fields step adding 1 to counter; b also writes `bDone` (how its task's writes are
 * told apart). The steps have an error output (unwired), so they stay one LangGraph step each instead of one fused
 * chain (fused-chain.ts, tested in fused-chain.test.ts).
 */
function chain(fused = false) {
  const step = (field: string) => ({ assignments: [{ field, expression: "counter + 1", type: "number" }] });
  const ownStep = fused ? {} : { onError: "route" as const };
  return buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "counter", type: "number" }] }],
      ["a", "set-fields", step("counter"), ownStep],
      ["b", "set-fields", { assignments: [...step("counter").assignments, { field: "bDone", expression: "true", type: "boolean" }] }, ownStep],
      ["c", "set-fields", step("counter"), ownStep],
      ["out", "output", { value: "{{counter}}" }],
    ],
    ["start->a", "a->b", "b->c", "c->out"],
  );
}

/**
 * A memory checkpointer whose save of b's writes stalls; `crash()` takes what was stored at that moment (what a
 * database holds when the process is killed after b returned, before b's writes were stored) as a new checkpointer
 * for the process that continues the run.
 */
function stallingSaver(dies: "before b's writes" | "after b's writes" = "before b's writes") {
  const saver = new MemorySaver(new PlainJsonSerializer());
  // From b's writes on (or just after them), nothing more reaches the "database": the process is about to die.
  let dead = false;
  const never = () => new Promise<never>(() => {});
  const putWrites = saver.putWrites.bind(saver);
  saver.putWrites = async (config, writes, taskId) => {
    const bWrites = writes.some(([channel]) => channel === "bDone");
    if (bWrites && dies === "before b's writes") dead = true;
    if (dead) return never();
    await putWrites(config, writes, taskId);
    if (bWrites) dead = true;
  };
  const put = saver.put.bind(saver);
  saver.put = async (...args) => (dead ? never() : put(...args));
  return {
    saver: signalSavedWrites(saver),
    /** The stored state of `thread` as another process would find it, under the thread id `as` (this process still runs `thread`). */
    crash: (thread: string, as: string) => {
      const survivor = new MemorySaver(new PlainJsonSerializer());
      survivor.storage = { [as]: structuredClone(saver.storage[thread]) };
      for (const [key, value] of Object.entries(saver.writes)) {
        const [t, ...rest] = JSON.parse(key) as string[];
        if (t === thread) survivor.writes[JSON.stringify([as, ...rest])] = structuredClone(value);
      }
      return signalSavedWrites(survivor);
    },
  };
}

const finishedNodes = (events: EngineEvent[]) => events.filter((e) => e.type === "node.finished").map((e) => (e as { nodeId: string }).nodeId);

describe("a node says it finished only once its writes are saved", () => {
  it("killed after b returned but before its writes were stored: b reports finished once, in the run that saved it", async () => {
    const { saver, crash } = stallingSaver();
    const compiled = compileWorkflow(chain(), services);
    const thread = `saved-writes-${Date.now()}`;

    // First segment: read events until b has started, give it time to return, then "kill" the process.
    const first: EngineEvent[] = [];
    const it1 = runWorkflow(compiled, { runId: thread, threadId: thread, input: { counter: 0 }, checkpointer: saver });
    for (;;) {
      const next = await it1.next();
      if (next.done) throw new Error("the first segment should stall at b's writes");
      first.push(next.value);
      if (next.value.type === "node.started" && (next.value as { nodeId: string }).nodeId === "b") break;
    }
    // b returns at once; its closing events must wait for the save, which stalls. Nothing more may be said about b.
    const more = await Promise.race([it1.next().then((n) => (n.done ? null : n.value)), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    if (more) first.push(more);
    expect(finishedNodes(first)).toEqual(["start", "a"]);
    const survivor = crash(thread, `${thread}-after`);
    // The first segment stays stalled forever, as a killed process would; it is simply never read again.

    // Second segment, as another process continuing from the last checkpoint: b runs again and says so once.
    const second: EngineEvent[] = [];
    for await (const e of runWorkflow(compiled, { runId: `${thread}-2`, threadId: `${thread}-after`, input: null, checkpointer: survivor })) second.push(e);
    expect(second.at(-1)).toMatchObject({ type: "run.finished", result: 3 });
    expect(finishedNodes(second)).toEqual(["b", "c", "out"]);
    expect([...finishedNodes(first), ...finishedNodes(second)].filter((n) => n === "b")).toHaveLength(1);
  });

  it("a run with a signalling checkpointer reports every node finished, in order, before run.finished", async () => {
    const saver = signalSavedWrites(new MemorySaver(new PlainJsonSerializer()));
    const events: EngineEvent[] = [];
    for await (const e of runWorkflow(compileWorkflow(chain(), services), { runId: `order-${Date.now()}`, input: { counter: 1 }, checkpointer: saver }))
      events.push(e);
    expect(finishedNodes(events)).toEqual(["start", "a", "b", "c", "out"]);
    const types = events.map((e) => `${e.type}:${(e as { nodeId?: string }).nodeId ?? ""}`);
    // Each step's finish is said before the next step starts, and all before the run's end.
    expect(types.indexOf("node.finished:a")).toBeLessThan(types.indexOf("node.started:b"));
    expect(types.indexOf("node.finished:out")).toBeLessThan(types.indexOf("run.finished:"));
    expect(events.at(-1)).toMatchObject({ type: "run.finished", result: 4 });
  });

  it("killed after b's writes were saved but before its node.finished was stored: the continuing run says b finished (recovered), and b does not run again", async () => {
    const { saver, crash } = stallingSaver("after b's writes");
    const compiled = compileWorkflow(chain(), services);
    const thread = `recovered-${Date.now()}`;
    const it1 = runWorkflow(compiled, { runId: thread, threadId: thread, input: { counter: 0 }, checkpointer: saver });
    let bStarted: EngineEvent | undefined;
    while (!bStarted) {
      const next = await it1.next();
      if (next.done) throw new Error("the first segment should stall after b's writes");
      if (next.value.type === "node.started" && (next.value as { nodeId: string }).nodeId === "b") bStarted = next.value;
    }
    // b's finish is released once its writes are saved: that event dies with the process (never stored).
    await new Promise((r) => setTimeout(r, 100));
    const survivor = crash(thread, `${thread}-after`);
    const cutOff = [{ nodeId: "b", kind: "set-fields", attempt: 1, startedTs: bStarted.ts }];
    const second: EngineEvent[] = [];
    for await (const e of runWorkflow(compiled, { runId: `${thread}-2`, threadId: `${thread}-after`, input: null, checkpointer: survivor, cutOff }))
      second.push(e);
    expect(second[0]).toMatchObject({ type: "node.finished", nodeId: "b", attempt: 1, detail: { recovered: expect.any(String) } });
    expect(second[1]).toMatchObject({ type: "run.started", resumed: true });
    expect(second.filter((e) => e.type === "node.started").map((e) => (e as { nodeId: string }).nodeId)).toEqual(["c", "out"]);
    expect(finishedNodes(second)).toEqual(["b", "c", "out"]);
    expect(second.at(-1)).toMatchObject({ type: "run.finished", result: 3 });
  });

  it("a cut-off node whose writes were not saved runs again and is not reported as recovered", async () => {
    const { saver, crash } = stallingSaver();
    const compiled = compileWorkflow(chain(), services);
    const thread = `not-recovered-${Date.now()}`;
    const it1 = runWorkflow(compiled, { runId: thread, threadId: thread, input: { counter: 0 }, checkpointer: saver });
    for (;;) {
      const next = await it1.next();
      if (next.done) throw new Error("the first segment should stall at b's writes");
      if (next.value.type === "node.started" && (next.value as { nodeId: string }).nodeId === "b") break;
    }
    await new Promise((r) => setTimeout(r, 100));
    const survivor = crash(thread, `${thread}-after`);
    const second: EngineEvent[] = [];
    const cutOff = [{ nodeId: "b", kind: "set-fields", attempt: 1, startedTs: Date.now() }];
    for await (const e of runWorkflow(compiled, { runId: `${thread}-2`, threadId: `${thread}-after`, input: null, checkpointer: survivor, cutOff }))
      second.push(e);
    expect(second[0]).toMatchObject({ type: "run.started", resumed: true });
    expect(second.some((e) => e.type === "node.finished" && e.detail?.recovered)).toBe(false);
    expect(finishedNodes(second)).toEqual(["b", "c", "out"]);
  });

  it("a fused chain killed after its writes were saved, having said only its head's start: the continuing run says every member ran (recovered), none runs again", async () => {
    const { saver, crash } = stallingSaver("after b's writes");
    const compiled = compileWorkflow(chain(true), services);
    const thread = `recovered-chain-${Date.now()}`;
    const it1 = runWorkflow(compiled, { runId: thread, threadId: thread, input: { counter: 0 }, checkpointer: saver });
    const first: EngineEvent[] = [];
    while (!first.some((e) => e.type === "node.started")) {
      const next = await it1.next();
      if (next.done) throw new Error("the first segment should stall after the chain's writes");
      first.push(next.value);
    }
    // One chain (start … out): only its head's node.started is said before the writes are saved.
    expect(first.filter((e) => e.type.startsWith("node.")).map((e) => `${e.type}:${(e as { nodeId: string }).nodeId}`)).toEqual(["node.started:start"]);
    await new Promise((r) => setTimeout(r, 100));
    const survivor = crash(thread, `${thread}-after`);
    const cutOff = [{ nodeId: "start", kind: "start", attempt: 1, startedTs: Date.now() }];
    const second: EngineEvent[] = [];
    for await (const e of runWorkflow(compiled, { runId: `${thread}-2`, threadId: `${thread}-after`, input: null, checkpointer: survivor, cutOff }))
      second.push(e);
    expect(second.map((e) => `${e.type}:${(e as { nodeId?: string }).nodeId ?? ""}`)).toEqual([
      "node.finished:start",
      ...["a", "b", "c", "out"].flatMap((id) => [`node.started:${id}`, `node.finished:${id}`]),
      "run.started:",
      "run.finished:",
    ]);
    expect(second.filter((e) => e.type === "node.finished").every((e) => e.type === "node.finished" && e.detail?.recovered)).toBe(true);
    expect(second.at(-1)).toMatchObject({ type: "run.finished", result: 3 });
  });

  it("a task's writes are saved only after the hook of beforeSavingWrites resolved (the run's events are stored first)", async () => {
    const order: string[] = [];
    const saver = new MemorySaver(new PlainJsonSerializer());
    const putWrites = saver.putWrites.bind(saver);
    saver.putWrites = async (config, writes, taskId) => {
      order.push("writes saved");
      return putWrites(config, writes, taskId);
    };
    beforeSavingWrites(async () => {
      order.push("hook");
      await new Promise((r) => setTimeout(r, 5));
      order.push("hook done");
    });
    try {
      const events: EngineEvent[] = [];
      for await (const e of runWorkflow(compileWorkflow(chain(), services), {
        runId: `hook-${Date.now()}`,
        input: { counter: 0 },
        checkpointer: signalSavedWrites(saver),
      }))
        events.push(e);
      expect(events.at(-1)).toMatchObject({ type: "run.finished", result: 3 });
    } finally {
      beforeSavingWrites(null);
    }
    expect(order.filter((o) => o === "writes saved").length).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < order.length; i++)
      if (order[i] === "writes saved") expect(order.slice(0, i).lastIndexOf("hook done")).toBeGreaterThan(order.slice(0, i).lastIndexOf("writes saved"));
  });
});
