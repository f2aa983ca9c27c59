import { describe, expect, it } from "vitest";
import { createFakeClock } from "./fake-clock";
import { FULL_RETRY_MS, WorkflowQueues, type LaunchResult } from "./workflow-queues";

/** A launch whose runs stay executing until the test settles them with the result it chooses. */
function harness() {
  const clock = createFakeClock();
  const launched: string[] = [];
  const open = new Map<string, (r: LaunchResult) => void>();
  const errors: string[] = [];
  let claim: (runId: string) => LaunchResult = () => "claimed";
  const queues = new WorkflowQueues({
    clock,
    onLaunchError: (runId) => errors.push(runId),
    launch: (runId) => {
      launched.push(runId);
      const answer = claim(runId);
      // "full" and "gone" come back at once (nothing ran); "claimed" resolves when the run settles.
      if (answer !== "claimed") return Promise.resolve(answer);
      return new Promise<LaunchResult>((resolve) => open.set(runId, resolve));
    },
  });
  const finish = async (runId: string) => {
    open.get(runId)!("claimed");
    open.delete(runId);
    await clock.advance(0);
  };
  return { clock, queues, launched, open, errors, finish, setClaim: (f: typeof claim) => (claim = f) };
}

describe("WorkflowQueues", () => {
  it("starts at most `limit` runs of a workflow, the rest in FIFO order as slots free", async () => {
    const h = harness();
    for (const id of ["a", "b", "c", "d"]) h.queues.enqueue("wf", id, 2);
    await h.clock.advance(0);
    expect(h.launched).toEqual(["a", "b"]);
    expect(h.queues.waiting()).toBe(2);
    expect(h.queues.queuedAhead("wf", 2)).toBe(3);
    await h.finish("b");
    expect(h.launched).toEqual(["a", "b", "c"]);
    await h.finish("a");
    await h.finish("c");
    await h.finish("d");
    expect(h.launched).toEqual(["a", "b", "c", "d"]);
    expect(h.queues.waiting()).toBe(0);
    expect(h.queues.queuedAhead("wf", 2)).toBe(0);
  });

  it("keeps workflows apart: one workflow's full queue does not hold another's runs", async () => {
    const h = harness();
    h.queues.enqueue("wf1", "a", 1);
    h.queues.enqueue("wf1", "b", 1);
    h.queues.enqueue("wf2", "x", 1);
    await h.clock.advance(0);
    expect(h.launched).toEqual(["a", "x"]);
  });

  it("queues a run once, and takes the workflow's newest limit", async () => {
    const h = harness();
    h.queues.enqueue("wf", "a", 1);
    h.queues.enqueue("wf", "b", 1);
    h.queues.enqueue("wf", "b", 1);
    expect(h.queues.waiting()).toBe(1);
    h.queues.enqueue("wf", "c", 3);
    await h.clock.advance(0);
    expect(h.launched).toEqual(["a", "b", "c"]);
  });

  it("dequeues a run that has not started", async () => {
    const h = harness();
    h.queues.enqueue("wf", "a", 1);
    h.queues.enqueue("wf", "b", 1);
    expect(h.queues.dequeue("wf", "b")).toBe(true);
    expect(h.queues.dequeue("wf", "a")).toBe(false); // started already
    expect(h.queues.dequeue("other", "a")).toBe(false);
    await h.finish("a");
    expect(h.launched).toEqual(["a"]);
  });

  it("a run refused as full keeps its place at the head and is tried again after FULL_RETRY_MS", async () => {
    const h = harness();
    let full = true;
    h.setClaim(() => (full ? "full" : "claimed"));
    h.queues.enqueue("wf", "a", 1);
    h.queues.enqueue("wf", "b", 1);
    await h.clock.advance(0);
    expect(h.launched).toEqual(["a"]);
    expect(h.queues.waiting()).toBe(2);
    // Nothing is tried before the retry is due.
    await h.clock.advance(FULL_RETRY_MS - 1);
    expect(h.launched).toEqual(["a"]);
    await h.clock.advance(1);
    expect(h.launched).toEqual(["a", "a"]);
    full = false;
    await h.clock.advance(FULL_RETRY_MS);
    expect(h.launched).toEqual(["a", "a", "a"]);
    expect(h.open.has("a")).toBe(true);
    await h.finish("a");
    expect(h.launched).toEqual(["a", "a", "a", "b"]);
  });

  it("a run settling here frees the slot at once, without waiting for the full retry", async () => {
    const h = harness();
    h.setClaim((id) => (id === "b" && !h.open.size ? "claimed" : id === "b" ? "full" : "claimed"));
    h.queues.enqueue("wf", "a", 2);
    h.queues.enqueue("wf", "b", 2);
    await h.clock.advance(0);
    // "a" runs; "b" was refused (another server fills the second slot) and waits for the retry.
    expect(h.launched).toEqual(["a", "b"]);
    expect(h.clock.pending()).toBe(1);
    await h.finish("a");
    expect(h.launched).toEqual(["a", "b", "b"]);
    expect(h.clock.pending()).toBe(0);
  });

  it("a gone run frees its slot; a launch error is reported and frees it too", async () => {
    const h = harness();
    h.setClaim((id) => (id === "a" ? "gone" : "claimed"));
    const queues = new WorkflowQueues({
      clock: h.clock,
      onLaunchError: (runId) => h.errors.push(runId),
      launch: (runId) => (runId === "boom" ? Promise.reject(new Error("db down")) : Promise.resolve("gone" as const)),
    });
    queues.enqueue("wf", "boom", 1);
    queues.enqueue("wf", "next", 1);
    await h.clock.advance(0);
    expect(h.errors).toEqual(["boom"]);
    expect(queues.waiting()).toBe(0);
  });

  it("starts nothing after close, and cancels the pending retry", async () => {
    const h = harness();
    h.setClaim(() => "full");
    h.queues.enqueue("wf", "a", 1);
    await h.clock.advance(0);
    expect(h.clock.pending()).toBe(1);
    h.queues.close();
    expect(h.clock.pending()).toBe(0);
    h.queues.enqueue("wf", "b", 1);
    await h.clock.advance(10 * FULL_RETRY_MS);
    expect(h.launched).toEqual(["a"]);
  });
});
