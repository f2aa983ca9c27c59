import { afterEach, describe, expect, it } from "vitest";
import type { RealtimeAck } from "../contracts/protocol";
import type { RealtimeClientSocket } from "./realtime-client";
import type { RunEvent } from "../contracts/events";
import { connectClient, sleep, startTestServer, waitFor, type TestServer } from "./testing/harness";

const makeEvent = (runId: string, seq: number, values: Record<string, unknown>) => ({ runId, seq, ts: Date.now(), ...values }) as RunEvent;
import { attachWorkspaceFeed, type WorkspaceFeed } from "./workspace-feed";
import type { RunChange, WorkspaceRunsMessage } from "../contracts/workspace-feed-protocol";

let server: TestServer | null = null;
let feed: WorkspaceFeed | null = null;
const sockets: RealtimeClientSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  feed?.close();
  await server?.close();
  server = feed = null;
});

async function setup() {
  server = await startTestServer();
  feed = attachWorkspaceFeed(server.io, { source: server.source, flushIntervalMs: 20, log: () => {} });
  return { server, feed };
}

function client(workspaceId?: string) {
  const s = connectClient(server!.url, workspaceId);
  sockets.push(s);
  const changes: RunChange[] = [];
  const messages: WorkspaceRunsMessage[] = [];
  (s as unknown as { on: (e: string, f: (m: WorkspaceRunsMessage) => void) => void }).on("workspace:runs", (m) => {
    messages.push(m);
    changes.push(...m.changes);
  });
  const emit = (event: string) => new Promise<RealtimeAck>((resolve) => (s as unknown as { emit: (...a: unknown[]) => void }).emit(event, {}, resolve));
  return { socket: s, changes, messages, subscribe: () => emit("workspace:subscribe"), unsubscribe: () => emit("workspace:unsubscribe") };
}

/** Persist + publish to the realtime server + feed (what publishRunEvents does through its taps). */
function publish(events: ReturnType<typeof makeEvent>[]) {
  server!.emit(events);
  feed!.publish(events);
}

describe("workspace feed", () => {
  it("delivers status changes of every run of the workspace, in order, and nothing else", async () => {
    await setup();
    server!.source.addRun("r1", { workspaceId: "ws_default", workflowId: "wf1" });
    server!.source.addRun("r2", { workspaceId: "ws_default", workflowId: "wf2" });
    server!.source.addRun("x1", { workspaceId: "ws_other", workflowId: "wfx" });
    const a = client();
    const other = client("ws_other");
    expect(await a.subscribe()).toEqual({ ok: true });
    expect(await other.subscribe()).toEqual({ ok: true });
    publish([makeEvent("r1", 0, { type: "run.queued" }), makeEvent("r1", 1, { type: "run.started", workflowName: "W", resumed: false })]);
    publish([
      makeEvent("r1", 2, { type: "node.started", nodeId: "n", kind: "delay", attempt: 1 }),
      makeEvent("r1", 3, { type: "token", nodeId: "n", kind: "agent", text: "x", model: "m" }),
    ]);
    publish([makeEvent("r2", 0, { type: "run.queued" }), makeEvent("x1", 0, { type: "run.queued" })]);
    publish([makeEvent("r1", 4, { type: "run.finished", result: 1, durationMs: 12, tokens: { input: 3, output: 4 }, costUsd: 0.5 })]);
    publish([makeEvent("r2", 1, { type: "run.failed", error: { code: "BOOM", message: "bad" }, nodeId: "t", durationMs: 5 })]);
    await waitFor(() => a.changes.length >= 5, 5000, "5 changes");
    await sleep(60);
    expect(a.changes.map((c) => `${c.runId}:${c.status}`)).toEqual(["r1:queued", "r1:running", "r2:queued", "r1:succeeded", "r2:failed"]);
    expect(a.changes.find((c) => c.status === "succeeded")).toMatchObject({ workflowId: "wf1", durationMs: 12, tokens: { input: 3, output: 4 }, costUsd: 0.5 });
    expect(a.changes.find((c) => c.status === "failed")).toMatchObject({ workflowId: "wf2", error: { code: "BOOM", nodeId: "t" } });
    // Batched: fewer messages than changes.
    expect(a.messages.length).toBeLessThan(5);
    await waitFor(() => other.changes.length >= 1, 5000, "other workspace");
    expect(other.changes.map((c) => c.runId)).toEqual(["x1"]);
  });

  it("stops after unsubscribe and costs nothing without subscribers", async () => {
    await setup();
    server!.source.addRun("r1", { workspaceId: "ws_default", workflowId: "wf1" });
    const a = client();
    await a.subscribe();
    publish([makeEvent("r1", 0, { type: "run.queued" })]);
    await waitFor(() => a.changes.length === 1, 5000, "first change");
    await a.unsubscribe();
    publish([makeEvent("r1", 1, { type: "run.started", workflowName: "W", resumed: false })]);
    await sleep(100);
    expect(a.changes).toHaveLength(1);
    expect(feed!.stats()).toMatchObject({ subscribers: 0, changesSent: 1 });
  });

  it("keeps a run's order while its workspace is being looked up", async () => {
    await setup();
    server!.source.delayMs = 30;
    server!.source.addRun("slow", { workspaceId: "ws_default", workflowId: "wf" });
    const a = client();
    await a.subscribe();
    for (let i = 0; i < 5; i++) publish([makeEvent("slow", i, { type: i === 4 ? "run.cancelled" : "run.queued", durationMs: 1 })]);
    await waitFor(() => a.changes.length === 5, 5000, "5 changes");
    expect(a.changes.map((c) => c.seq)).toEqual([0, 1, 2, 3, 4]);
  });
});
