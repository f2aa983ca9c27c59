import { describe, expect, it } from "vitest";
import { getRealtimeServer, publishRunEvents, registerRunEventSource, registeredRunEventSource, setRealtimeServer } from "./registry";
import { InMemoryRunEventSource } from "../contracts/run-event-source";
import type { RealtimeServer } from "./socket-server";
import { makeEvents } from "./testing/harness";

describe("realtime registry", () => {
  it("knows no runs until a store is registered, then forwards to it", async () => {
    expect(await registeredRunEventSource.runInfo("r1")).toBeNull();
    expect(await registeredRunEventSource.listAfter("r1", 0, 10)).toEqual([]);
    const store = new InMemoryRunEventSource();
    store.addRun("r1", { workspaceId: "ws_default", workflowId: "w1" });
    store.append(makeEvents("r1", 1, 3));
    registerRunEventSource(store);
    expect(await registeredRunEventSource.runInfo("r1")).toEqual({ workspaceId: "ws_default", workflowId: "w1" });
    expect((await registeredRunEventSource.listAfter("r1", 1, 10)).map((e) => e.seq)).toEqual([2, 3]);
    expect(await registeredRunEventSource.workspaceOfWorkflow("w1")).toBe("ws_default");
  });

  it("publishRunEvents is a no-op without a realtime server and forwards once one is set", () => {
    expect(getRealtimeServer()).toBeNull();
    publishRunEvents(makeEvents("r1", 1, 1));
    const published: number[] = [];
    const fake: RealtimeServer = { publish: (ev) => published.push(...ev.map((e) => e.seq)), resync: () => {}, stats: () => ({}) as never, close: () => {} };
    setRealtimeServer(fake);
    publishRunEvents(makeEvents("r1", 1, 2));
    expect(published).toEqual([1, 2]);
  });
});
