import type { EngineEvent, RunEvent, RunEventOf } from "@/lib/contracts/events";
import type { PoolWorker } from "./worker-pool";

/** A run executing in this process: where it runs, its events not yet stored, and what settling its row needs. */
export interface ActiveRun {
  runId: string;
  workflowId: string;
  worker: PoolWorker;
  nextSeq: number;
  pending: EngineEvent[];
  /** Settling the run (after its events are written) chains on this, so it happens once, in order. */
  chain: Promise<void>;
  sawTerminal: boolean;
  waiting: RunEventOf<"node.waiting">[];
  /** The engine's own start and end of the run (event timestamps), for the Run row; see settleRun. */
  firstSegment: boolean;
  startedTs?: number;
  endedTs?: number;
  /** Failed attempts in a row to store this run's events. */
  writeFailures: number;
  /** Tokens and cost of all the run's finished nodes so far (earlier segments included): the Run row's totals. */
  used: { input: number; output: number; costUsd: number };
  /** Resolves the launch that waits for this run to settle. */
  settle: () => void;
}

/**
 * A run starting to execute on `worker`; `settled` resolves once its row is settled. A run that ran
 * before (crash recovery, approval, resume) continues with the token and cost totals it already used.
 */
export function startActiveRun(start: {
  runId: string;
  workflowId: string;
  worker: PoolWorker;
  nextSeq: number;
  firstSegment: boolean;
  used?: { tokens: { input: number; output: number }; costUsd: number } | null;
}): { run: ActiveRun; settled: Promise<void> } {
  let settle!: () => void;
  const settled = new Promise<void>((r) => (settle = r));
  const { used, ...rest } = start;
  const run: ActiveRun = {
    ...rest,
    pending: [],
    chain: Promise.resolve(),
    sawTerminal: false,
    waiting: [],
    writeFailures: 0,
    used: { ...(used?.tokens ?? { input: 0, output: 0 }), costUsd: used?.costUsd ?? 0 },
    settle,
  };
  return { run, settled };
}

/** Advances the run's seq and remembers what settling it needs (terminal event, totals, approvals). */
export function noteStoredEvents(a: ActiveRun, stored: readonly RunEvent[]): void {
  if (!stored.length) return;
  a.nextSeq = stored[stored.length - 1].seq + 1;
  for (const e of stored) {
    if (e.type === "run.finished" || e.type === "run.failed" || e.type === "run.cancelled") {
      a.sawTerminal = true;
      a.endedTs = e.ts;
      // The engine measured this segment's duration from its start: on a run's first segment that
      // start is the run's start, and the row's duration then equals the event's.
      if (a.firstSegment) a.startedTs = e.ts - e.durationMs;
    }
    if (e.type === "node.finished") {
      a.used.input += e.tokens?.input ?? 0;
      a.used.output += e.tokens?.output ?? 0;
      a.used.costUsd += e.costUsd ?? 0;
    }
    if (e.type === "node.waiting") a.waiting.push(e);
  }
}
