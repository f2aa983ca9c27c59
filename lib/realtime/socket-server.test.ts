import { describe, expect, it } from "vitest";
import { RealtimeClient } from "./realtime-client";
import { checkSequence, makeEvents, sleep, waitFor } from "./testing/harness";
import { record, request, realtimeTestServer } from "./testing/socket-test-kit";

const WS = "ws_default";
const { setup, client } = realtimeTestServer();

describe("realtime server: replay and live delivery", () => {
  it("delivers every seq once and in order when events are published while the replay query runs", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    srv.source.append(makeEvents("r1", 1, 500)); // history persisted before this server process started
    srv.source.delayMs = 40; // the replay query is slow ...
    const socket = client();
    const rec = record(socket);
    await new Promise((r) => socket.once("connect", () => r(null)));
    const ackPromise = request(socket, "run:subscribe", { runId: "r1", afterSeq: 0 });
    // ... and new events are persisted and published while it runs.
    for (let from = 501; from <= 1500; from += 50) {
      srv.emit(makeEvents("r1", from, from + 49));
      await sleep(3);
    }
    expect(await ackPromise).toEqual({ ok: true });
    srv.source.delayMs = 0;
    await waitFor(() => rec.seqs("r1").length >= 1500, 10_000, "1500 events");
    await sleep(100);
    expect(checkSequence(rec.seqs("r1"), 1, 1500)).toMatchObject({ ok: true });
  });

  it("replays a finished run from the store when nothing is published any more", async () => {
    const srv = await setup();
    srv.source.addRun("done", { workspaceId: WS, workflowId: "w1" });
    srv.source.append(makeEvents("done", 1, 42));
    const socket = client();
    const rec = record(socket);
    expect(await request(socket, "run:subscribe", { runId: "done", afterSeq: 0 })).toEqual({ ok: true });
    await waitFor(() => rec.seqs("done").length >= 42, 5000, "42 events");
    expect(checkSequence(rec.seqs("done"), 1, 42).ok).toBe(true);
  });

  it("caches nothing for runs nobody watches; a later subscriber replays them from the store", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    srv.emit(makeEvents("r1", 1, 300));
    expect(srv.realtime.stats().cachedRuns).toBe(0);
    const socket = client();
    const rec = record(socket);
    expect(await request(socket, "run:subscribe", { runId: "r1", afterSeq: 0 })).toEqual({ ok: true });
    srv.emit(makeEvents("r1", 301, 400));
    await waitFor(() => rec.seqs("r1").length >= 400);
    await sleep(100);
    expect(checkSequence(rec.seqs("r1"), 1, 400).ok).toBe(true);
    expect(srv.realtime.stats().cachedRuns).toBe(1);
  });

  it("replays only what comes after afterSeq, across store pages", async () => {
    const srv = await setup({ maxBatch: 100, cachePerRun: 50 });
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    srv.emit(makeEvents("r1", 1, 1000));
    const socket = client();
    const rec = record(socket);
    expect(await request(socket, "run:subscribe", { runId: "r1", afterSeq: 250 })).toEqual({ ok: true });
    srv.emit(makeEvents("r1", 1001, 1100));
    await waitFor(() => rec.seqs("r1").length >= 850, 10_000, "850 events");
    await sleep(100);
    expect(checkSequence(rec.seqs("r1"), 251, 1100)).toMatchObject({ ok: true });
    expect(rec.messages.every((m) => m.message.events.length <= 100)).toBe(true);
    expect(rec.messages[0].message.workflowId).toBe("w1");
  });

  it("fills a gap in the published stream from the store (events persisted but never published here)", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const socket = client();
    const rec = record(socket);
    expect(await request(socket, "run:subscribe", { runId: "r1", afterSeq: 0 })).toEqual({ ok: true });
    srv.emit(makeEvents("r1", 1, 10));
    await waitFor(() => rec.seqs("r1").length === 10);
    srv.source.append(makeEvents("r1", 11, 20)); // e.g. published by another process
    srv.emit(makeEvents("r1", 21, 30));
    srv.realtime.publish(makeEvents("r1", 15, 25)); // late, overlapping re-publish: ignored
    await waitFor(() => rec.seqs("r1").length >= 30);
    await sleep(150);
    expect(checkSequence(rec.seqs("r1"), 1, 30).ok).toBe(true);
  });

  it("fans live events out to many subscribers with one encoding per identical batch", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const recs = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const s = client();
        const rec = record(s);
        expect(await request(s, "run:subscribe", { runId: "r1", afterSeq: 0 })).toEqual({ ok: true });
        return rec;
      }),
    );
    for (let from = 1; from <= 2000; from += 100) {
      srv.emit(makeEvents("r1", from, from + 99));
      await sleep(5);
    }
    await waitFor(() => recs.every((r) => r.seqs("r1").length >= 2000), 10_000, "all subscribers");
    for (const r of recs) expect(checkSequence(r.seqs("r1"), 1, 2000).ok).toBe(true);
  });

  it("survives forced disconnects mid-stream: RealtimeClient resubscribes from the last seq, every seq exactly once", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const socket = client();
    const rt = new RealtimeClient(socket);
    const seqs: number[] = [];
    const statuses: string[] = [];
    const stream = rt.subscribeRun("r1", 0, { onEvents: (events) => seqs.push(...events.map((e) => e.seq)), onStatus: (s) => statuses.push(s) });
    await waitFor(() => stream.status() === "live", 5000, "live");
    for (let from = 1; from <= 3000; from += 30) {
      srv.emit(makeEvents("r1", from, from + 29));
      if (from === 901 || from === 2101) {
        // Kill the transport under the server-side socket: the client sees "transport close" and reconnects.
        for (const s of srv.io.sockets.sockets.values()) s.conn.close();
      }
      await sleep(2);
    }
    await waitFor(() => seqs.length >= 3000, 15_000, "3000 events");
    await sleep(100);
    expect(checkSequence(seqs, 1, 3000)).toMatchObject({ ok: true });
    expect(statuses.filter((s) => s === "reconnecting").length).toBe(2);
    expect(stream.lastSeq()).toBe(3000);
  });

  it("a server-side disconnect() also ends in a resubscribe from the last seq", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const rt = new RealtimeClient(client());
    const seqs: number[] = [];
    const stream = rt.subscribeRun("r1", 0, { onEvents: (events) => seqs.push(...events.map((e) => e.seq)) });
    await waitFor(() => stream.status() === "live");
    srv.emit(makeEvents("r1", 1, 100));
    await waitFor(() => seqs.length === 100);
    srv.io.disconnectSockets();
    srv.emit(makeEvents("r1", 101, 200));
    await waitFor(() => seqs.length >= 200, 5000, "200 events");
    await sleep(100);
    expect(checkSequence(seqs, 1, 200).ok).toBe(true);
  });

  it("an unsubscribe sent while the subscribe is still looking the run up wins", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    srv.source.delayMs = 50;
    const socket = client();
    const rec = record(socket);
    await new Promise((r) => socket.once("connect", () => r(null)));
    const sub = request(socket, "run:subscribe", { runId: "r1", afterSeq: 0 });
    const unsub = request(socket, "run:unsubscribe", { runId: "r1" });
    expect(await unsub).toEqual({ ok: true });
    expect(await sub).toEqual({ ok: true });
    srv.emit(makeEvents("r1", 1, 10));
    await sleep(200);
    expect(rec.messages).toHaveLength(0);
  });

  it("several listeners of one run on one socket each see every seq once", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    srv.emit(makeEvents("r1", 1, 100));
    const rt = new RealtimeClient(client());
    const a: number[] = [];
    const b: number[] = [];
    const sa = rt.subscribeRun("r1", 0, { onEvents: (ev) => a.push(...ev.map((e) => e.seq)) });
    await waitFor(() => a.length === 100);
    srv.emit(makeEvents("r1", 101, 150));
    const sb = rt.subscribeRun("r1", 20, { onEvents: (ev) => b.push(...ev.map((e) => e.seq)) });
    srv.emit(makeEvents("r1", 151, 200));
    await waitFor(() => a.length >= 200 && b.length >= 180);
    await sleep(100);
    expect(checkSequence(a, 1, 200).ok).toBe(true);
    expect(checkSequence(b, 21, 200).ok).toBe(true);
    sa.close();
    srv.emit(makeEvents("r1", 201, 210));
    await waitFor(() => b.length >= 190);
    expect(a.length).toBe(200);
    sb.close();
  });
});
