import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { RealtimeClient, type RealtimeClientSocket } from "./realtime-client";
import { makeEvents } from "./testing/harness";

/** Just enough of a socket.io-client socket: emits go nowhere, acks say ok, tests inject messages. */
function fakeSocket() {
  const bus = new EventEmitter();
  const socket = {
    connected: true,
    on: (event: string, fn: (...a: unknown[]) => void) => bus.on(event, fn),
    emit: () => true,
    timeout: () => ({ emit: (_event: string, _payload: unknown, ack: (err: null, res: { ok: true }) => void) => ack(null, { ok: true }) }),
  };
  return { socket: socket as unknown as RealtimeClientSocket, deliver: (message: unknown) => bus.emit("run:events", message) };
}

describe("RealtimeClient: run and workflow deliveries on one socket", () => {
  it("a live workflow delivery that skips ahead does not move a run listener's cursor", () => {
    const { socket, deliver } = fakeSocket();
    const rt = new RealtimeClient(socket);
    const run: number[] = [];
    const feed: number[] = [];
    rt.subscribeWorkflow("w1", { onEvents: (ev) => feed.push(...ev.map((e) => e.seq)) });
    rt.subscribeRun("r1", -1, { onEvents: (ev) => run.push(...ev.map((e) => e.seq)) });
    // The workflow room sends seq 5..9 (live only) before the run's replay from 0 arrives.
    deliver({ runId: "r1", workflowId: "w1", events: makeEvents("r1", 5, 9) });
    deliver({ runId: "r1", workflowId: "w1", events: makeEvents("r1", 0, 9) });
    expect(run).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(feed).toEqual([5, 6, 7, 8, 9]);
  });
});
