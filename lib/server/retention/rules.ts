import { z } from "zod";
import type { RetentionSettings } from "@/lib/workflow";

// The retention rules, pure: which stopped runs stay and which go. The pruner (pruner.ts) reads
// candidates from the database and asks judgeRun about each one before it deletes anything, so the
// rules live here once and are unit-tested without a database.

const DAY_MS = 86_400_000;

/** A complete policy: the server's defaults with a workflow's overrides applied. */
export const RetentionPolicySchema = z.object({
  /** Days a succeeded or cancelled run is kept (from when it finished). */
  days: z.number().int().min(1).max(3650),
  /** At most this many stopped runs per workflow (newest first, whatever their status). */
  maxRuns: z.number().int().min(1).max(10_000_000),
  /** Days a failed run is kept (dead letter or retried). */
  failedDays: z.number().int().min(1).max(3650),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

/** What a small team would accept: two weeks, 10,000 runs per workflow, a month for failures. */
export const DEFAULT_RETENTION: RetentionPolicy = { days: 14, maxRuns: 10_000, failedDays: 30 };

/** Runs that may still change: never removed, whatever their age or rank. */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(["queued", "running", "waiting"]);
/** Runs the rules may remove. */
export const STOPPED_STATUSES = ["succeeded", "failed", "cancelled"] as const;

const ENV_KEYS = { days: "AURA_RETENTION_DAYS", maxRuns: "AURA_RETENTION_MAX_RUNS", failedDays: "AURA_RETENTION_FAILED_DAYS" } as const;

/** A retention variable that is not a whole number in range; the pruner does not start with it. */
export class RetentionConfigError extends Error {
  readonly code = "RETENTION_CONFIG_INVALID";
}

/**
 * The server-wide policy from AURA_RETENTION_DAYS / _MAX_RUNS / _FAILED_DAYS (unset: the default).
 * Throws RetentionConfigError naming the variable for a value that is not a whole number in range,
 * rather than falling back to a default that could delete more than the operator meant.
 */
export function serverRetentionPolicy(env: Record<string, string | undefined> = process.env): RetentionPolicy {
  const out: RetentionPolicy = { ...DEFAULT_RETENTION };
  for (const [field, key] of Object.entries(ENV_KEYS) as [keyof RetentionPolicy, string][]) {
    const raw = env[key]?.trim();
    if (!raw) continue;
    const parsed = RetentionPolicySchema.shape[field].safeParse(Number(raw));
    if (!/^\d+$/.test(raw) || !parsed.success) {
      const { minValue, maxValue } = RetentionPolicySchema.shape[field];
      throw new RetentionConfigError(
        `${key}="${raw}" is not a whole number from ${minValue} to ${maxValue}; fix it or unset it (default ${DEFAULT_RETENTION[field]}).`,
      );
    }
    out[field] = parsed.data;
  }
  return out;
}

/** The server's policy with a workflow document's `settings.retention` over it (fields left out keep the server's). */
export function effectivePolicy(server: RetentionPolicy, override: RetentionSettings | undefined): RetentionPolicy {
  return {
    days: override?.days ?? server.days,
    maxRuns: override?.maxRuns ?? server.maxRuns,
    failedDays: override?.failedDays ?? server.failedDays,
  };
}

/** The facts of a run the rules look at. */
export interface RunFacts {
  id: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  threadId: string;
}

export type Verdict = { keep: true; reason: "active" | "recent" | "unknown_status" } | { keep: false; reason: "age" | "count" };

/** The finish times before which stopped runs are too old: succeeded/cancelled, and failed. */
export function cutoffs(policy: RetentionPolicy, now: number): { stoppedBefore: Date; failedBefore: Date } {
  return { stoppedBefore: new Date(now - policy.days * DAY_MS), failedBefore: new Date(now - policy.failedDays * DAY_MS) };
}

/**
 * Keep or prune one run. `newerStopped` is how many stopped runs of its workflow are newer (by
 * createdAt): at `maxRuns` or more it goes for count. Active runs (and statuses the rules do not know)
 * are always kept; a stopped run without a finish time counts its age from creation.
 */
export function judgeRun(run: RunFacts, policy: RetentionPolicy, now: number, newerStopped: number): Verdict {
  if (ACTIVE_STATUSES.has(run.status)) return { keep: true, reason: "active" };
  if (!(STOPPED_STATUSES as readonly string[]).includes(run.status)) return { keep: true, reason: "unknown_status" };
  if (newerStopped >= policy.maxRuns) return { keep: false, reason: "count" };
  const { stoppedBefore, failedBefore } = cutoffs(policy, now);
  const before = run.status === "failed" ? failedBefore : stoppedBefore;
  const ended = run.finishedAt ?? run.createdAt;
  return ended.getTime() < before.getTime() ? { keep: false, reason: "age" } : { keep: true, reason: "recent" };
}

/** The plan for one workflow's runs: what goes, what stays, and which threads' checkpoints may go with it. */
export interface PrunePlan {
  prune: { id: string; reason: "age" | "count" }[];
  keep: string[];
  /** Threads of pruned runs that no kept run uses (a retry shares its parent's thread). */
  threads: string[];
}

/** Applies judgeRun to every run of ONE workflow (any order): ranks stopped runs newest first. */
export function planPrune(runs: readonly RunFacts[], policy: RetentionPolicy, now: number): PrunePlan {
  const stopped = runs.filter((r) => !ACTIVE_STATUSES.has(r.status)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const rank = new Map(stopped.map((r, i) => [r.id, i]));
  const plan: PrunePlan = { prune: [], keep: [], threads: [] };
  for (const r of runs) {
    const v = judgeRun(r, policy, now, rank.get(r.id) ?? 0);
    if (v.keep) plan.keep.push(r.id);
    else plan.prune.push({ id: r.id, reason: v.reason });
  }
  plan.threads = threadsFreedBy(runs, new Set(plan.prune.map((p) => p.id)));
  return plan;
}

/** Threads of the pruned runs that no other (kept) run of `runs` uses. */
export function threadsFreedBy(runs: readonly RunFacts[], pruned: ReadonlySet<string>): string[] {
  const used = new Set(runs.filter((r) => !pruned.has(r.id)).map((r) => r.threadId));
  return [...new Set(runs.filter((r) => pruned.has(r.id)).map((r) => r.threadId))].filter((t) => !used.has(t));
}
