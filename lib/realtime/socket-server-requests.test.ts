// The socket server's requests (validation, workspaces, limits), batching and workflow subscriptions.
import { describe, expect, it } from "vitest";
import { checkSequence, makeEvents, sleep, waitFor } from "./testing/harness";
import { record, request, realtimeTestServer } from "./testing/socket-test-kit";

const WS = "ws_default";
const { setup, client } = realtimeTestServer();

describe("realtime server: requests are validated and checked", () => {
  it("answers bad payloads with BAD_REQUEST and never crashes", async () => {
    const srv = await setup();
    srv.source.addRun("r1", { workspaceId: WS, workflowId: "w1" });
    const socket = client();
    const rec = record(socket);
    for (const payload of [
      undefined,
      null,
      "r1",
      42,
      [],
      {},
      { runId: 5 },
      { runId: "" },
      { runId: "r1", afterSeq: "3" },
      { runId: "r1", afterSeq: 1.5 },
      { runId: "r1", afterSeq: -2 },
      { runId: "x".repeat(500) },
    ]) {
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
