import { describe, expect, it } from "vitest";
import { RunEventCache } from "./run-event-cache";
import { InMemoryRunEventSource } from "../contracts/run-event-source";
import { makeEvent, makeEvents } from "./testing/harness";

describe("RunEventCache", () => {
  it("keeps one contiguous range, ignores duplicates and restarts after a jump", () => {
    const cache = new RunEventCache(100);
    for (const e of makeEvents("r", 1, 10)) expect(cache.append(e)).toBe(true);
    expect(cache.append(makeEvent("r", 5))).toBe(false);
    expect([cache.firstSeq, cache.lastSeq]).toEqual([1, 10]);
    expect(cache.covers(0)).toBe(true);
    expect(cache.covers(9)).toBe(true);
    expect(cache.covers(10)).toBe(false); // nothing after 10 yet
    expect(cache.sliceAfter(3, 4).map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    cache.append(makeEvent("r", 20)); // a hole: 11..19 must come from the store
    expect([cache.firstSeq, cache.lastSeq]).toEqual([20, 20]);
    expect(cache.covers(10)).toBe(false);
    expect(cache.covers(19)).toBe(true);
  });

  it("stays bounded by its capacity (amortised trimming)", () => {
    const cache = new RunEventCache(100);
    for (const e of makeEvents("r", 1, 1000)) cache.append(e);
    expect(cache.size).toBeLessThanOrEqual(150);
    expect(cache.lastSeq).toBe(1000);
    expect(cache.covers(cache.firstSeq - 1)).toBe(true);
    expect(cache.covers(cache.firstSeq - 2)).toBe(false);
  });
});

describe("InMemoryRunEventSource", () => {
  it("lists pages after a seq and refuses out-of-order appends", async () => {
    const store = new InMemoryRunEventSource();
    store.addRun("r", { workspaceId: "ws", workflowId: "w" });
    store.append(makeEvents("r", 1, 50));
    expect((await store.listAfter("r", 10, 5)).map((e) => e.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(await store.listAfter("r", 50, 5)).toEqual([]);
    expect(await store.listAfter("nope", 0, 5)).toEqual([]);
    expect(() => store.append([makeEvent("r", 50)])).toThrow(/seq 50 after 50/);
    expect(() => store.append([makeEvent("x", 1)])).toThrow(/unknown run/);
  });
});
