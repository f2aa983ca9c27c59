// Schedules across processes: a trigger changed or removed by another process (straight in the
// database here) reaches this process's jobs at the next resync, and a tick fires once however many
// processes try to claim it.
import { afterAll, describe, expect, it } from "vitest";
import { claimScheduleFire, replaceTriggers } from "@/lib/db/triggers";
import { DEFAULT_WORKSPACE_ID } from "@/lib/db/workspaces";
import { buildWorkflow } from "@/lib/engine/testing";
import { useTestDatabase } from "@/test/api-harness";
import { inWorkspace } from "../request-scope";
import { createWorkflow } from "../workflows";
import { nextRunOf, resyncSchedules, startScheduler, stopScheduler } from "./scheduler";

describe("scheduler", () => {
  const t = useTestDatabase("sqlite");
  afterAll(() => stopScheduler());

  const trigger = (cron: string, enabled = true) => ({
    id: "trg_sched1",
    kind: "schedule" as const,
    enabled,
    secret: null,
    cron,
    timezone: "UTC",
    input: "{}",
    responseMode: "immediately",
  });

  it("follows triggers saved by other processes at resync, and claims each tick once", async () => {
    const wf = await inWorkspace(DEFAULT_WORKSPACE_ID, () =>
      createWorkflow({
        document: buildWorkflow(
          [
            ["start", "start", { fields: [] }],
            ["o", "output", { value: "x" }],
          ],
          ["start->o"],
        ),
      }),
    );
    await replaceTriggers(t().db, wf.id, [trigger("0 3 * * *")]);
    await startScheduler();
    expect(nextRunOf("trg_sched1")?.getUTCHours()).toBe(3);
    // Another process changes the schedule.
    await replaceTriggers(t().db, wf.id, [trigger("0 5 * * *")]);
    await resyncSchedules();
    expect(nextRunOf("trg_sched1")?.getUTCHours()).toBe(5);
    // Two processes claim the same tick: one wins.
    const at = new Date("2030-01-01T05:00:00Z");
    expect([await claimScheduleFire(t().db, "trg_sched1", at), await claimScheduleFire(t().db, "trg_sched1", at)]).toEqual([true, false]);
    // Another process disables it.
    await replaceTriggers(t().db, wf.id, [trigger("0 5 * * *", false)]);
    await resyncSchedules();
    expect(nextRunOf("trg_sched1")).toBeNull();
  });
});
