import "server-only";
import { Cron } from "croner";
import { getDatabase } from "@/lib/db/database";
import * as triggersRepo from "@/lib/db/triggers";
import * as workflowsRepo from "@/lib/db/workflows";
import { processSingleton } from "@/lib/process-singleton";
import { startRun } from "../runs/service";
import { inWorkspace } from "../request-scope";

/**
 * Cron schedules (croner), one job per enabled schedule trigger, kept on globalThis (one per process).
 * Every tick is claimed in the database first (claimScheduleFire), so several server processes
 * never start the same scheduled run twice.
 */
const jobs = () => processSingleton("scheduler", () => new Map<string, { job: Cron; workflowId: string }>());

function schedule(t: triggersRepo.TriggerRow) {
  const job = new Cron(t.cron!, { timezone: t.timezone ?? "UTC", protect: true }, async (self: Cron) => {
    const at = new Date(Math.floor((self.currentRun()?.getTime() ?? Date.now()) / 1000) * 1000);
    try {
      const db = await getDatabase();
      if (!(await triggersRepo.claimScheduleFire(db, t.id, at))) return;
      const workflow = await workflowsRepo.findWorkflow(db, t.workflowId);
      if (!workflow) return;
      await inWorkspace(workflow.workspaceId, () => startRun(t.workflowId, JSON.parse(t.input) as Record<string, unknown>, "schedule"));
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "scheduled run failed to start", triggerId: t.id, workflowId: t.workflowId, err: String(err) }));
    }
  });
  jobs().set(t.id, { job, workflowId: t.workflowId });
}

/** Starts a job for every enabled schedule trigger (boot). Idempotent. */
export async function startScheduler(): Promise<void> {
  stopScheduler();
  const db = await getDatabase();
  for (const t of await triggersRepo.listEnabledSchedules(db)) schedule(t);
}

/** Replaces the jobs of one workflow after its triggers changed. */
export async function reloadWorkflowSchedules(workflowId: string): Promise<void> {
  for (const [id, j] of jobs()) {
    if (j.workflowId !== workflowId) continue;
    j.job.stop();
    jobs().delete(id);
  }
  const db = await getDatabase();
  for (const t of await triggersRepo.listTriggers(db, workflowId)) if (t.kind === "schedule" && t.enabled && t.cron) schedule(t);
}

/** The next fire time of a trigger's job in this process, or null. */
export function nextRunOf(triggerId: string): Date | null {
  return jobs().get(triggerId)?.job.nextRun() ?? null;
}

/** Stops every job. */
export function stopScheduler(): void {
  for (const j of jobs().values()) j.job.stop();
  jobs().clear();
}
