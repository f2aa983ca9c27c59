import { afterEach, describe, expect, it } from "vitest";
import type { RealtimeAck, RunEventsMessage } from "./protocol";
import { RealtimeClient, type RealtimeClientSocket } from "./realtime-client";
import { checkSequence, connectClient, makeEvents, sleep, startTestServer, waitFor, type TestServer } from "./testing/harness";

const WS = "ws_default";
let server: TestServer | null = null;
const sockets: RealtimeClientSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server?.close();
  server = null;
});

async function setup(options: Parameters<typeof startTestServer>[0] = {}) {
  server = await startTestServer(options);
  return server;
}

function client(workspaceId?: string) {
  const s = connectClient(server!.url, workspaceId);
  sockets.push(s);
  return s;
}

/** Collects every delivered message of a raw socket. */
function record(socket: RealtimeClientSocket) {
  const messages: { at: number; message: RunEventsMessage }[] = [];
  socket.on("run:events", (message) => messages.push({ at: Date.now(), message }));
  return {
    messages,
    seqs: (runId: string) => messages.filter((m) => m.message.runId === runId).flatMap((m) => m.message.events.map((e) => e.seq)),
  };
}

function request(socket: RealtimeClientSocket, event: string, payload: unknown): Promise<RealtimeAck> {
  return new Promise((resolve) => (socket as unknown as { emit: (...a: unknown[]) => void }).emit(event, payload, resolve));
}

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

describe("realtime server: requests are validated and checked", () => {
  it("answers bad payloads with BAD_REQUEST and never crashes", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const socket = client();
    const rec = record(socket);
    for (const payload of [undefined, null, "r1", 42, [], {}, { runId: 5 }, { runId: "" }, { runId: "r1", afterSeq: "3" }, { runId: "r1", afterSeq: 1.5 }, { runId: "r1", afterSeq: -2 }, { runId: "x".repeat(500) }]) {
      const ack = await request(socket, "run:subscribe", payload);
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(ack.error.code).toBe("BAD_REQUEST");
    }
    for (const event of ["run:unsubscribe", "workflow:subscribe", "workflow:unsubscribe"]) {
      const ack = await request(socket, event, { nope: true });
      expect(ack).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    }
    // Without an ack callback, with extra arguments, or with an unknown event name: ignored, no crash.
    const raw = socket as unknown as { emit: (...a: unknown[]) => void };
    raw.emit("run:subscribe", { runId: 7 });
    raw.emit("run:subscribe");
    raw.emit("run:subscribe", { runId: "r1", afterSeq: 0 }, "not-a-function");
    raw.emit("what:ever", { a: 1 });
    expect((await request(socket, "run:subscribe", { runId: "r1" })).ok).toBe(true); // afterSeq defaults to -1
    srv.emit(makeEvents("r1", 1, 5));
    await waitFor(() => rec.seqs("r1").length >= 5);
    await sleep(100);
    expect(rec.seqs("r1")).toEqual([1, 2, 3, 4, 5]);
    expect(socket.connected).toBe(true);
  });

  it("refuses runs and workflows of another workspace, and unknown ones", async () => {
    const srv = await setup();
    srv.source.addRun("mine", { workspaceId: WS, workflowId: "w-mine" });
    srv.source.addRun("theirs", { workspaceId: "ws_other", workflowId: "w-theirs" });
    const socket = client();
    const rec = record(socket);
    expect(await request(socket, "run:subscribe", { runId: "theirs", afterSeq: 0 })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await request(socket, "run:subscribe", { runId: "nope", afterSeq: 0 })).toMatchObject({ ok: false, error: { code: "RUN_NOT_FOUND" } });
    expect(await request(socket, "workflow:subscribe", { workflowId: "w-theirs" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await request(socket, "workflow:subscribe", { workflowId: "w-nope" })).toMatchObject({ ok: false, error: { code: "WORKFLOW_NOT_FOUND" } });
    srv.emit(makeEvents("theirs", 1, 10));
    await sleep(150);
    expect(rec.messages).toHaveLength(0);
    // The other workspace's socket may.
    const other = client("ws_other");
    const otherRec = record(other);
    expect(await request(other, "run:subscribe", { runId: "theirs", afterSeq: 0 })).toEqual({ ok: true });
    await waitFor(() => otherRec.seqs("theirs").length === 10);
    expect(await request(other, "run:subscribe", { runId: "mine", afterSeq: 0 })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("rejects a connection whose handshake yields no workspace", async () => {
    await setup({ authenticate: (hs) => (hs.auth?.token === "good" ? WS : null) });
    const socket = client();
    const err = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(err.message).toBe("UNAUTHORIZED");
    socket.disconnect();
  });

  it("limits subscriptions per connection", async () => {
    const srv = await setup({ maxSubscriptionsPerSocket: 2 });
    for (const r of ["a", "b", "c"]) srv.source.addRun(r, { workspaceId: WS, workflowId: "w" });
    const socket = client();
    expect((await request(socket, "run:subscribe", { runId: "a", afterSeq: 0 })).ok).toBe(true);
    expect((await request(socket, "run:subscribe", { runId: "b", afterSeq: 0 })).ok).toBe(true);
    expect((await request(socket, "run:subscribe", { runId: "b", afterSeq: 3 })).ok).toBe(true); // re-subscribe is not a new one
    expect(await request(socket, "run:subscribe", { runId: "c", afterSeq: 0 })).toMatchObject({ ok: false, error: { code: "TOO_MANY_SUBSCRIPTIONS" } });
    expect((await request(socket, "run:unsubscribe", { runId: "a" })).ok).toBe(true);
    expect((await request(socket, "run:subscribe", { runId: "c", afterSeq: 0 })).ok).toBe(true);
  });
});

describe("realtime server: batching and bounded memory", () => {
  it("sends at most ~20 messages a second per client and still delivers everything", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const socket = client();
    const rec = record(socket);
    expect((await request(socket, "run:subscribe", { runId: "r1", afterSeq: 0 })).ok).toBe(true);
    // ~2,000 events over ~2 s, one publish every ~2 ms.
    let seq = 1;
    const start = Date.now();
    while (Date.now() - start < 2000) {
      srv.emit(makeEvents("r1", seq, seq + 1));
      seq += 2;
      await sleep(2);
    }
    const last = seq - 1;
    await waitFor(() => rec.seqs("r1").length >= last, 5000, "all events");
    expect(checkSequence(rec.seqs("r1"), 1, last).ok).toBe(true);
    // No sliding one-second window holds more than 21 deliveries (20/s plus timer jitter at the edges).
    const times = rec.messages.map((m) => m.at);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(21);
    expect(rec.messages.length).toBeGreaterThan(20); // batching, not one message at the end
    expect(rec.messages.length).toBeLessThan(last / 10);
  });

  it("a client that stops reading is skipped, then re-synced from the store without loss", async () => {
    const srv = await setup({ cachePerRun: 200, maxQueuedPackets: 2 });
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const slow = client();
    const fast = client();
    const slowRec = record(slow);
    const fastRec = record(fast);
    expect((await request(slow, "run:subscribe", { runId: "r1", afterSeq: 0 })).ok).toBe(true);
    expect((await request(fast, "run:subscribe", { runId: "r1", afterSeq: 0 })).ok).toBe(true);
    // Stop reading from the slow client's TCP socket: the server's writes back up.
    const engine = (slow as unknown as { io: { engine: { transport: { ws: { _socket: { pause(): void; resume(): void } } } } } }).io.engine;
    const tcp = engine.transport.ws._socket;
    tcp.pause();
    const big = { blob: "x".repeat(4000) };
    const total = 6000;
    for (let from = 1; from <= total; from += 100) {
      srv.emit(makeEvents("r1", from, from + 99, big));
      await sleep(10);
    }
    await waitFor(() => fastRec.seqs("r1").length >= total, 20_000, "fast client");
    expect(srv.realtime.stats().backpressureSkips).toBeGreaterThan(0);
    const queriesBefore = srv.realtime.stats().storeQueries;
    tcp.resume();
    await waitFor(() => slowRec.seqs("r1").length >= total, 20_000, "slow client");
    await sleep(100);
    expect(checkSequence(slowRec.seqs("r1"), 1, total).ok).toBe(true);
    expect(checkSequence(fastRec.seqs("r1"), 1, total).ok).toBe(true);
    // It fell out of the shared cache, so it caught up from the store.
    expect(srv.realtime.stats().storeQueries).toBeGreaterThan(queriesBefore);
  });
});

describe("realtime server: workflow subscriptions", () => {
  it("delivers new events of every run of the workflow, tagged with the workflow, and nothing of others", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    srv.source.addRun("r2", { workspaceId: WS, workflowId: "w1" });
    srv.source.addRun("r3", { workspaceId: WS, workflowId: "w2" });
    srv.emit(makeEvents("r1", 1, 10)); // before the subscription: not replayed
    const socket = client();
    const rec = record(socket);
    expect(await request(socket, "workflow:subscribe", { workflowId: "w1" })).toEqual({ ok: true });
    srv.emit(makeEvents("r1", 11, 20));
    srv.emit(makeEvents("r2", 1, 15));
    srv.emit(makeEvents("r3", 1, 5));
    srv.emit(makeEvents("r1", 21, 30));
    await waitFor(() => rec.seqs("r1").length >= 20 && rec.seqs("r2").length >= 15);
    // Also subscribing to r1 explicitly must not duplicate anything.
    expect(await request(socket, "run:subscribe", { runId: "r1", afterSeq: 30 })).toEqual({ ok: true });
    srv.emit(makeEvents("r1", 31, 40));
    await waitFor(() => rec.seqs("r1").length >= 30);
    await sleep(150);
    expect(checkSequence(rec.seqs("r1"), 11, 40).ok).toBe(true);
    expect(checkSequence(rec.seqs("r2"), 1, 15).ok).toBe(true);
    expect(rec.seqs("r3")).toEqual([]);
    expect(rec.messages.every((m) => m.message.workflowId === "w1")).toBe(true);
    expect(await request(socket, "workflow:unsubscribe", { workflowId: "w1" })).toEqual({ ok: true });
    srv.emit(makeEvents("r2", 16, 20));
    srv.emit(makeEvents("r1", 41, 45)); // still subscribed explicitly
    await waitFor(() => rec.seqs("r1").length >= 35);
    await sleep(150);
    expect(rec.seqs("r2")).toHaveLength(15);
  });
});
