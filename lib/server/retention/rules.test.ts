import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION, effectivePolicy, judgeRun, planPrune, RetentionConfigError, serverRetentionPolicy, type RunFacts } from "./rules";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7);
const policy = { days: 14, maxRuns: 3, failedDays: 30 };

const run = (id: string, status: string, ageDays: number, threadId = id): RunFacts => ({
  id,
  status,
  createdAt: new Date(NOW - ageDays * DAY - 1000),
  finishedAt: ACTIVE.has(status) ? null : new Date(NOW - ageDays * DAY),
  threadId,
});
const ACTIVE = new Set(["queued", "running", "waiting"]);

describe("judgeRun", () => {
  it("never removes an active run, however old and however many are newer", () => {
    for (const status of ["queued", "running", "waiting"]) {
      expect(judgeRun(run("a", status, 10_000), policy, NOW, 1_000_000)).toEqual({ keep: true, reason: "active" });
    }
  });

  it("keeps statuses it does not know", () => {
    expect(judgeRun(run("a", "paused", 500), policy, NOW, 99).keep).toBe(true);
  });

  it("removes succeeded and cancelled runs after `days`, failed ones after `failedDays`", () => {
    expect(judgeRun(run("a", "succeeded", 13.9), policy, NOW, 0).keep).toBe(true);
    expect(judgeRun(run("a", "succeeded", 14.1), policy, NOW, 0)).toEqual({ keep: false, reason: "age" });
    expect(judgeRun(run("a", "cancelled", 14.1), policy, NOW, 0)).toEqual({ keep: false, reason: "age" });
    expect(judgeRun(run("a", "failed", 20), policy, NOW, 0).keep).toBe(true);
    expect(judgeRun(run("a", "failed", 30.1), policy, NOW, 0)).toEqual({ keep: false, reason: "age" });
  });

  it("counts age from creation when a stopped run has no finish time", () => {
    const r = { ...run("a", "cancelled", 20), finishedAt: null };
    expect(judgeRun(r, policy, NOW, 0)).toEqual({ keep: false, reason: "age" });
  });

  it("removes a run with maxRuns newer stopped runs, even a recent or failed one", () => {
    expect(judgeRun(run("a", "failed", 0), policy, NOW, 2).keep).toBe(true);
    expect(judgeRun(run("a", "failed", 0), policy, NOW, 3)).toEqual({ keep: false, reason: "count" });
  });
});

describe("planPrune", () => {
  it("ranks stopped runs newest first; active runs neither count nor go", () => {
    const runs = [
      run("r1", "succeeded", 1),
      run("r2", "running", 1.5),
      run("r3", "succeeded", 2),
      run("r4", "failed", 3),
      run("r5", "succeeded", 4),
      run("r6", "waiting", 90),
    ];
    const plan = planPrune(runs, policy, NOW);
    expect(plan.prune).toEqual([{ id: "r5", reason: "count" }]);
    expect(plan.keep.sort()).toEqual(["r1", "r2", "r3", "r4", "r6"]);
  });

  it("frees a thread only when no kept run uses it (a retry shares its parent's)", () => {
    const runs = [run("parent", "failed", 40, "t1"), run("retry", "succeeded", 1, "t1"), run("old", "succeeded", 20, "t2")];
    const plan = planPrune(runs, policy, NOW);
    expect(plan.prune.map((p) => p.id).sort()).toEqual(["old", "parent"]);
    expect(plan.threads).toEqual(["t2"]);
  });

  it("frees a shared thread once every run on it goes", () => {
    const runs = [run("parent", "failed", 40, "t1"), run("retry", "succeeded", 20, "t1")];
    expect(planPrune(runs, policy, NOW).threads).toEqual(["t1"]);
  });
});

describe("policy", () => {
  it("defaults to 14 days, 10,000 runs, 30 days for failures", () => {
    expect(serverRetentionPolicy({})).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION).toEqual({ days: 14, maxRuns: 10_000, failedDays: 30 });
  });

  it("reads the environment and refuses a bad value, naming the variable", () => {
    expect(serverRetentionPolicy({ AURA_RETENTION_DAYS: "7", AURA_RETENTION_MAX_RUNS: "500" })).toEqual({ days: 7, maxRuns: 500, failedDays: 30 });
    expect(() => serverRetentionPolicy({ AURA_RETENTION_DAYS: "7d" })).toThrow(RetentionConfigError);
    expect(() => serverRetentionPolicy({ AURA_RETENTION_FAILED_DAYS: "0" })).toThrow(/AURA_RETENTION_FAILED_DAYS="0"/);
  });

  it("applies a workflow's overrides field by field", () => {
    expect(effectivePolicy(DEFAULT_RETENTION, { days: 2 })).toEqual({ days: 2, maxRuns: 10_000, failedDays: 30 });
    expect(effectivePolicy(DEFAULT_RETENTION, undefined)).toEqual(DEFAULT_RETENTION);
  });
});
