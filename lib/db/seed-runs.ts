import "server-only";
import type { Database } from "./client";
import { RUN_STATUSES, RUN_TRIGGERS, type RunStatus, type RunTrigger } from "./runs";
import { DEFAULT_WORKSPACE_ID } from "./workspaces";

// Synthetic run history for tests and benches (dashboard pagination and filters at 10,000-100,000
// runs). Deterministic for a given seed, inserted with batched createMany.

export interface SeedRunsOptions {
  /** How many runs. */
  count: number;
  /** Workflows to spread the runs over; created (without versions) when missing. */
  workflows: { id: string; name: string }[];
  workspaceId?: string;
  /** The newest run's createdAt (ms); runs go back one every `spacingMs`. Default now. */
  newestAt?: number;
  spacingMs?: number;
  /** Rows per INSERT (default 1000: under the bind-parameter limits of SQLite and PostgreSQL). */
  batch?: number;
  seed?: number;
  /** Run id prefix (default "run_seed"). */
  idPrefix?: string;
}

export interface SeededRunFacts {
  count: number;
  byStatus: Record<RunStatus, number>;
  byTrigger: Record<RunTrigger, number>;
  byWorkflow: Record<string, number>;
  /** [oldest, newest] createdAt in ms. */
  range: [number, number];
}

/** Mostly succeeded, some failed, few of the rest: like a real history. */
const STATUS_WEIGHTS: [RunStatus, number][] = [
  ["succeeded", 80],
  ["failed", 12],
  ["cancelled", 4],
  ["waiting", 2],
  ["running", 1],
  ["queued", 1],
];
const TRIGGER_WEIGHTS: [RunTrigger, number][] = [
  ["api", 45],
  ["ui", 25],
  ["schedule", 15],
  ["webhook", 10],
  ["retry", 3],
  ["cli", 2],
];

function pick<T>(weights: [T, number][], r: number): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [v, w] of weights) if ((x -= w) < 0) return v;
  return weights[weights.length - 1][0];
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inserts `count` synthetic runs (newest first in id order too) and returns what was inserted, so
 * tests can compare API answers with exact counts. Not for production data.
 */
export async function seedRuns(db: Database, o: SeedRunsOptions): Promise<SeededRunFacts> {
  const workspaceId = o.workspaceId ?? DEFAULT_WORKSPACE_ID;
  const newestAt = o.newestAt ?? Date.now();
  const spacing = o.spacingMs ?? 1000;
  const batch = o.batch ?? 1000;
  const prefix = o.idPrefix ?? "run_seed";
  const random = rng(o.seed ?? 42);
  for (const w of o.workflows) {
    await db.prisma.workflow.upsert({ where: { id: w.id }, create: { id: w.id, workspaceId, name: w.name, currentVersion: 1 }, update: {} });
  }
  const facts: SeededRunFacts = {
    count: o.count,
    byStatus: Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>,
    byTrigger: Object.fromEntries(RUN_TRIGGERS.map((s) => [s, 0])) as Record<RunTrigger, number>,
    byWorkflow: Object.fromEntries(o.workflows.map((w) => [w.id, 0])),
    range: [newestAt - (o.count - 1) * spacing, newestAt],
  };
  const width = String(o.count).length;
  for (let start = 0; start < o.count; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(o.count, start + batch); i++) {
      const status = pick(STATUS_WEIGHTS, random());
      const trigger = pick(TRIGGER_WEIGHTS, random());
      const wf = o.workflows[Math.floor(random() * o.workflows.length)];
      const createdAt = new Date(newestAt - i * spacing);
      const started = status === "queued" ? null : new Date(createdAt.getTime() + Math.floor(random() * 200));
      const done = status === "succeeded" || status === "failed" || status === "cancelled";
      // Log-normal-ish durations: most runs take a second or two, a few much longer.
      const duration = Math.round(300 + Math.exp(random() * 4 + random() * 4) * 5);
      const tokensIn = Math.floor(random() * 4000);
      const tokensOut = Math.floor(random() * 1500);
      facts.byStatus[status]++;
      facts.byTrigger[trigger]++;
      facts.byWorkflow[wf.id]++;
      // Zero-padded counter from the end, so ids are unique and sort like createdAt.
      const id = `${prefix}_${String(o.count - i).padStart(width, "0")}`;
      rows.push({
        id,
        workspaceId,
        workflowId: wf.id,
        workflowVersion: 1 + Math.floor(random() * 3),
        status,
        trigger,
        threadId: id,
        input: "{}",
        createdAt,
        startedAt: started,
        finishedAt: done && started ? new Date(started.getTime() + duration) : null,
        errorCode: status === "failed" ? (random() < 0.5 ? "NODE_TIMEOUT" : "TRANSFORM_ERROR") : null,
        errorMessage: status === "failed" ? "Synthetic failure" : null,
        failedNodeId: status === "failed" ? (random() < 0.5 ? "transform" : "agent") : null,
        tokensInput: tokensIn,
        tokensOutput: tokensOut,
        costUsd: Math.round((tokensIn * 0.15 + tokensOut * 0.6) / 10) / 100_000,
      });
    }
    await db.prisma.run.createMany({ data: rows });
  }
  return facts;
}
