// RunDelivery without sockets: plain targets record what they are sent; ticks are driven by flush().
import { afterEach, describe, expect, it } from "vitest";
import type { DeliveryTarget } from "./delivery-subscriber";
import type { RunEventsMessage } from "../contracts/protocol";
import { RunDelivery } from "./run-delivery";
import { InMemoryRunEventSource } from "../contracts/run-event-source";
import { checkSequence, makeEvents, sleep } from "./testing/harness";

const INFO = { workspaceId: "ws", workflowId: "w1" };

class FakeTarget implements DeliveryTarget {
  received: RunEventsMessage[] = [];
  queued = 0;
  constructor(readonly id: string) {}
  queuedPackets() {
    return this.queued;
  }
  seqs(runId: string) {
    return this.received.filter((m) => m.runId === runId).flatMap((m) => m.events.map((e) => e.seq));
  }
}

const deliveries: RunDelivery<FakeTarget>[] = [];
afterEach(() => deliveries.splice(0).forEach((d) => d.close()));

function setup(options: { maxBatch?: number; cachePerRun?: number } = {}) {
  const source = new InMemoryRunEventSource();
  source.addRun("r1", INFO);
  const sends: { receivers: string[]; message: RunEventsMessage }[] = [];
  const delivery = new RunDelivery<FakeTarget>({
    source,
    // A long interval: the tests tick by hand with flush().
    flushIntervalMs: 60_000,
    log: () => {},
    ...options,
    send(targets, message) {
      sends.push({ receivers: targets.map((t) => t.id), message });
      for (const t of targets) t.received.push(message);
    },
  });
  deliveries.push(delivery);
  const persistAndPublish = (from: number, to: number, runId = "r1") => delivery.publish(source.append(makeEvents(runId, from, to)));
  /** Ticks until the store reads started by earlier ticks have been delivered. */
  const settle = async (ticks = 5) => {
    for (let i = 0; i < ticks; i++) {
      delivery.flush();
      await sleep(1);
    }
  };
  return { source, delivery, sends, persistAndPublish, settle };
}

describe("RunDelivery", () => {
  it("replays from the store, then delivers live events from the cache, every seq once and in order", async () => {
    const { source, delivery, persistAndPublish, settle } = setup({ maxBatch: 100 });
    source.append(makeEvents("r1", 1, 250)); // persisted before anyone subscribed
    const t = new FakeTarget("a");
    const sub = delivery.addSubscriber(t);
    expect(await delivery.lookupRun("r1")).toEqual(INFO); // what the subscribe handler checks first
    delivery.subscribeRun(sub, "r1", 10);
    persistAndPublish(251, 300); // published while the replay is still paging
    await settle(10);
    persistAndPublish(301, 320);
    await settle();
    expect(checkSequence(t.seqs("r1"), 11, 320)).toMatchObject({ ok: true });
    expect(t.received.every((m) => m.events.length <= 100 && m.workflowId === "w1")).toBe(true);
  });

  it("resync: events persisted elsewhere but never published here (Redis was down) arrive once, in order", async () => {
    const { source, delivery, persistAndPublish, settle } = setup();
    const t = new FakeTarget("a");
    const sub = delivery.addSubscriber(t);
    delivery.subscribeRun(sub, "r1", 0);
    persistAndPublish(1, 5);
    await settle();
    // Another process ran the rest of the run while the cross-process link was down: stored, not published here.
    source.append(makeEvents("r1", 6, 9));
    await settle();
    expect(t.seqs("r1")).toEqual([1, 2, 3, 4, 5]);
    delivery.resync();
    await settle();
    expect(t.seqs("r1")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Live delivery goes on after it, without repeats.
    persistAndPublish(10, 11);
    delivery.resync();
    await settle();
    expect(t.seqs("r1")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("sends one identical slice to many targets in one call (encoded once)", async () => {
    const { delivery, sends, persistAndPublish, settle } = setup();
    persistAndPublish(1, 5);
    const targets = ["a", "b", "c"].map((id) => new FakeTarget(id));
    for (const t of targets) delivery.subscribeRun(delivery.addSubscriber(t), "r1", 5);
    await settle();
    persistAndPublish(6, 9);
    await settle();
    const live = sends.filter((s) => s.message.events[0].seq === 6);
    expect(live).toHaveLength(1);
    expect(live[0].receivers.sort()).toEqual(["a", "b", "c"]);
    expect(delivery.stats().messagesSent).toBe(3);
  });

  it("skips a target that does not drain, then re-syncs it from the store without loss", async () => {
    const { delivery, persistAndPublish, settle } = setup({ cachePerRun: 10 });
    const t = new FakeTarget("slow");
    const sub = delivery.addSubscriber(t);
    delivery.subscribeRun(sub, "r1", 0);
    t.queued = 100;
    persistAndPublish(1, 40); // more than the cache keeps
    await settle();
    expect(t.received).toHaveLength(0);
    expect(delivery.stats().backpressureSkips).toBeGreaterThan(0);
    t.queued = 0;
    await settle();
    expect(checkSequence(t.seqs("r1"), 1, 40)).toMatchObject({ ok: true });
    expect(delivery.stats().storeQueries).toBeGreaterThan(0);
  });

  it("a workflow subscription gets new events of the workflow's runs, no replay, nothing after unsubscribe", async () => {
    const { source, delivery, persistAndPublish, settle } = setup();
    source.addRun("other", { workspaceId: "ws", workflowId: "w2" });
    persistAndPublish(1, 3);
    const t = new FakeTarget("a");
    const sub = delivery.addSubscriber(t);
    delivery.subscribeWorkflow(sub, "w1");
    persistAndPublish(4, 6);
    persistAndPublish(1, 2, "other");
    await settle();
    expect(t.seqs("r1")).toEqual([4, 5, 6]);
    expect(t.seqs("other")).toEqual([]);
    delivery.unsubscribeWorkflow(sub, "w1");
    persistAndPublish(7, 8);
    await settle();
    expect(t.seqs("r1")).toEqual([4, 5, 6]);
  });

  it("caches nothing for unwatched runs and sweeps a cache once its last subscriber left", async () => {
    const { delivery, persistAndPublish, settle } = setup();
    persistAndPublish(1, 5);
    expect(delivery.stats().cachedRuns).toBe(0);
    const sub = delivery.addSubscriber(new FakeTarget("a"));
    delivery.subscribeRun(sub, "r1", 5);
    persistAndPublish(6, 7);
    await settle();
    expect(delivery.stats().cachedRuns).toBe(1);
    delivery.sweep();
    expect(delivery.stats().cachedRuns).toBe(1); // still subscribed
    delivery.removeSubscriber(sub);
    delivery.sweep();
    expect(delivery.stats()).toMatchObject({ cachedRuns: 0, clients: 0 });
  });
});
