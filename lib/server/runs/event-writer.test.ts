import { beforeEach, describe, expect, it, vi } from "vitest";
import type { EngineEvent, RunEvent } from "@/lib/contracts/events";
import type { Database } from "@/lib/db/client";
import { appendRunEventBatches } from "@/lib/db/run-events";
import type { ActiveRun } from "./active-run";
import { EventWriter } from "./event-writer";
import { createFakeClock } from "./fake-clock";

vi.mock("@/lib/db/run-events", () => ({ appendRunEventBatches: vi.fn() }));
const append = vi.mocked(appendRunEventBatches);

const event = (nodeId: string): EngineEvent => ({ type: "node.started", runId: "r1", ts: 1, nodeId, kind: "set-fields", attempt: 1 });

/** A writer over one active run with two pending events; `published` collects what it publishes. */
function setup() {
  process.env.AURA_EVENT_BATCH_MS = "0";
  const clock = createFakeClock();
  const run = {
    runId: "r1",
    nextSeq: 0,
    pending: [event("a"), event("b")],
    writeFailures: 0,
    used: { input: 0, output: 0, costUsd: 0 },
  } as unknown as ActiveRun;
  const published: RunEvent[] = [];
  const writer = new EventWriter({
    database: async () => ({}) as Database,
    clock,
    runs: () => [run],
    closing: () => false,
    publish: (events) => published.push(...events),
    onError: () => {},
  });
  /** Lets the clock's retry timers and the writer's setImmediate run, `rounds` times. */
  const pass = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await clock.advance(2000);
      await new Promise((r) => setImmediate(r));
      await writer.flush();
    }
  };
  return { run, writer, published, pass };
}

const stored = (batches: Parameters<typeof appendRunEventBatches>[1]) => batches.map((b) => b.events.map((e, i) => ({ ...e, seq: b.firstSeq + i })));

describe("EventWriter", () => {
  beforeEach(() => {
    append.mockReset();
  });

  it("keeps a run's events while the database is unreachable, however long, and stores them in order when it is back", async () => {
    let calls = 0;
    append.mockImplementation(async (_db, batches) => {
      if (++calls <= 12) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      return stored(batches);
    });
    const { run, writer, published, pass } = setup();
    await writer.flush();
    await pass(14);
    expect(published.map((e) => [(e as { nodeId: string }).nodeId, e.seq])).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
    expect(run.pending).toEqual([]);
    expect(calls).toBe(13);
  });

  it("gives up on a run whose events fail for another reason (its row is gone) after a few tries", async () => {
    append.mockRejectedValue(new Error("Foreign key constraint violated"));
    const { run, writer, published, pass } = setup();
    await writer.flush();
    await pass(8);
    expect(published).toEqual([]);
    expect(run.pending).toEqual([]);
    expect(append.mock.calls.length).toBe(6);
  });
});
