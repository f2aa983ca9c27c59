// The run follower's hand-over from stored to live events: every seq once, in order, with events
// published before, during and after the store read, duplicated or out of order (SQLite only: the
// store part is one query that both providers answer alike, and the API tests cover PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyWorkflow } from "@/lib/workflow";
import type { EngineEvent, RunEvent } from "@/lib/contracts/events";
import { publishRunEvents } from "@/lib/realtime/registry";
import { setDatabase } from "@/lib/db/database";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import * as workflows from "@/lib/db/workflows";
import { createRun } from "@/lib/db/runs";
import { appendRunEvents } from "@/lib/db/run-events";
import { activeRunWatchers, followRunEvents } from "./run-watch";
import { openRunStreams, runEventStream } from "./run-sse";

const node = (runId: string, nodeId: string): EngineEvent => ({ type: "node.started", runId, ts: Date.now(), nodeId, kind: "template", attempt: 1 });
const finished = (runId: string): EngineEvent => ({
  type: "run.finished",
  runId,
  ts: Date.now(),
  result: "ok",
  durationMs: 1,
  tokens: { input: 0, output: 0 },
  costUsd: 0,
});

describe("followRunEvents", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    setDatabase(t.db);
    const doc = { ...createEmptyWorkflow("Watch"), id: "wf_w" };
    await workflows.createWorkflow(t.db, { id: "wf_w", workspaceId: DEFAULT_WORKSPACE_ID, version: { document: doc, reason: "create" } });
    for (const id of ["run_1", "run_2", "run_3", "run_4"])
      await createRun(t.db, { id, workspaceId: DEFAULT_WORKSPACE_ID, workflowId: "wf_w", workflowVersion: 1, trigger: "api", threadId: id, input: {} });
  });
  afterAll(async () => {
    setDatabase(null);
    await t?.drop();
  });

  /** Persists events (like the manager) and publishes them; returns them with their seqs. */
  const persistAndPublish = async (runId: string, events: EngineEvent[]): Promise<RunEvent[]> => {
    const stored = await appendRunEvents(t.db, runId, events);
    publishRunEvents(stored);
    return stored;
  };

  it("hands over from the store to live events with no gap and no duplicate, and ends at the terminal event", async () => {
    const early = await persistAndPublish("run_1", [node("run_1", "a"), node("run_1", "b")]);
    const got: number[] = [];
    const done = (async () => {
      for await (const e of followRunEvents("run_1", 0)) {
        got.push(e.seq);
        // While the consumer works: more events, some published twice (a re-publish must not repeat).
        if (e.seq === 1) {
          const more = await persistAndPublish("run_1", [node("run_1", "c"), node("run_1", "d")]);
          publishRunEvents(more);
        }
        if (e.seq === 3) {
          // Persisted but published out of order: the later one first (the gap is read from the store).
          const [x, y] = await appendRunEvents(t.db, "run_1", [node("run_1", "e"), finished("run_1")]);
          publishRunEvents([y]);
          publishRunEvents([x]);
        }
      }
    })();
    await done;
    expect(early.map((e) => e.seq)).toEqual([0, 1]);
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(activeRunWatchers()).toBe(0);
  });

  it("waits for live events without polling and stops on abort, letting the listener go", async () => {
    await persistAndPublish("run_2", [node("run_2", "a")]);
    const abort = new AbortController();
    const got: number[] = [];
    const done = (async () => {
      for await (const e of followRunEvents("run_2", -1, { signal: abort.signal })) got.push(e.seq);
    })();
    await expect.poll(() => got).toEqual([0]);
    expect(activeRunWatchers()).toBe(1);
    await persistAndPublish("run_2", [node("run_2", "b")]);
    await expect.poll(() => got).toEqual([0, 1]);
    abort.abort();
    await done;
    expect(activeRunWatchers()).toBe(0);
  });

  it("ends at once for a caller that already has the terminal event; storedOnly stops at the store's end", async () => {
    const stored = await persistAndPublish("run_3", [node("run_3", "a"), finished("run_3")]);
    const after: RunEvent[] = [];
    for await (const e of followRunEvents("run_3", stored[1].seq)) after.push(e);
    expect(after).toEqual([]);
    const all: number[] = [];
    for await (const e of followRunEvents("run_3", -1, { storedOnly: true })) all.push(e.seq);
    expect(all).toEqual([0, 1]);
    expect(activeRunWatchers()).toBe(0);
  });

  it("an idle SSE stream sends : ping heartbeats; cancelling it clears the timer and the follower", async () => {
    await persistAndPublish("run_4", [node("run_4", "a")]);
    const res = runEventStream("run_4", -1, { heartbeatMs: 40 });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while ((text.match(/: ping/g) ?? []).length < 2) text += decoder.decode((await reader.read()).value);
    expect(text).toContain("id: 0\nevent: node.started\ndata: {");
    expect(openRunStreams()).toBe(1);
    await reader.cancel();
    expect(openRunStreams()).toBe(0);
    await expect.poll(() => activeRunWatchers()).toBe(0);
  });
});
