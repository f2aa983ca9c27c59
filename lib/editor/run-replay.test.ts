import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/contracts/events";
import { reduceRunEvents, watchOverlay } from "./run-overlay";
import { FADE_MS, MAX_STEP_MS, planReplay, REPLAY_MS } from "./run-replay";

let seq = 0;
const ev = (ts: number, e: Record<string, unknown>): RunEvent => ({ runId: "r", seq: seq++, ts, ...e }) as RunEvent;
const started = (ts: number, nodeId: string) => ev(ts, { type: "node.started", nodeId, kind: "t", attempt: 1 });
const finished = (ts: number, nodeId: string) => ev(ts, { type: "node.finished", nodeId, kind: "t", attempt: 1, durationMs: 1 });
const runFinished = (ts: number, durationMs: number) => ev(ts, { type: "run.finished", result: 1, durationMs, tokens: { input: 0, output: 0 }, costUsd: 0 });

/** A chain of `n` nodes run in `durationMs`, as one batch of events. */
function chain(n: number, durationMs: number): RunEvent[] {
  seq = 0;
  const events: RunEvent[] = [ev(0, { type: "run.started", workflowName: "w", resumed: false })];
  for (let i = 0; i < n; i++) events.push(started(i * 10 + 1, `n${n - i}`), finished(i * 10 + 5, `n${n - i}`));
  events.push(runFinished(durationMs, durationMs));
  return events;
}

describe("planReplay", () => {
  it("replays a fast run's executed nodes in the order they started, spread over at most REPLAY_MS", () => {
    const before = watchOverlay("r");
    const after = reduceRunEvents(before, chain(3, 121));
    const replay = planReplay(before, after)!;
    expect([...replay.delays]).toEqual([
      ["n3", 0],
      ["n2", MAX_STEP_MS],
      ["n1", 2 * MAX_STEP_MS],
    ]);
    expect(replay.totalMs).toBe(2 * MAX_STEP_MS + FADE_MS);

    const long = reduceRunEvents(before, chain(30, 400));
    const r30 = planReplay(before, long)!;
    expect(Math.max(...r30.delays.values())).toBeLessThanOrEqual(REPLAY_MS);
    expect(r30.delays.size).toBe(30);
  });

  it("leaves slow runs, unfinished runs, skipped nodes and later events of an ended run alone", () => {
    const before = watchOverlay("r");
    expect(planReplay(before, reduceRunEvents(before, chain(3, 5000)))).toBeNull();
    const running = reduceRunEvents(before, chain(3, 100).slice(0, -1));
    expect(running.status).toBe("running");
    expect(planReplay(before, running)).toBeNull();
    // The run's end arrives in a later batch: that batch starts the replay.
    const done = reduceRunEvents(running, [runFinished(100, 100)]);
    expect(planReplay(running, done)?.delays.size).toBe(3);
    // An event after the end (e.g. a late duplicate) does not replay again.
    expect(planReplay(done, reduceRunEvents(done, [ev(101, { type: "state.update", nodeId: "n1", values: {} })]))).toBeNull();

    seq = 0;
    const skipped = reduceRunEvents(before, [
      started(1, "a"),
      finished(2, "a"),
      ev(2, { type: "node.skipped", nodeId: "b", kind: "t", reason: "no", by: "a" }),
      started(3, "c"),
      finished(4, "c"),
      runFinished(5, 5),
    ]);
    expect([...planReplay(before, skipped)!.delays.keys()]).toEqual(["a", "c"]);
  });

  it("does not replay when another run is watched", () => {
    const other = watchOverlay("other");
    expect(planReplay(other, reduceRunEvents(watchOverlay("r"), chain(3, 100)))).toBeNull();
  });
});
