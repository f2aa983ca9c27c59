import "server-only";
import { Cron } from "croner";
import { getDatabase } from "@/lib/db/database";
import * as triggersRepo from "@/lib/db/triggers";
import * as workflowsRepo from "@/lib/db/workflows";
import { processSingleton, processSlot } from "@/lib/process-singleton";
import { startRun } from "../runs/service";
import { inWorkspace } from "../request-scope";

/**
 * Cron schedules (croner), one job per enabled schedule trigger, kept on globalThis (one per process).
 * Every tick is claimed in the database first (claimScheduleFire), so several server processes
 * never start the same scheduled run twice. A trigger saved on another process reaches this one at
 * the next resync (every RESYNC_MS): until then a changed schedule may still tick here, but a
 * disabled or deleted one cannot fire (the claim requires it enabled).
 */
const jobs = () => processSingleton("scheduler", () => new Map<string, { job: Cron; workflowId: string; shape: string }>());
const resyncTimer = processSlot<NodeJS.Timeout>("schedulerResync");

/** How often each process reloads the schedules from the database (triggers saved by other processes). */
export const RESYNC_MS = 30_000;

/** What makes two versions of a trigger the same job. */
const shapeOf = (t: triggersRepo.TriggerRow) => JSON.stringify([t.workflowId, t.cron, t.timezone, t.input]);

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
  jobs().set(t.id, { job, workflowId: t.workflowId, shape: shapeOf(t) });
}

/** Starts a job for every enabled schedule trigger (boot), then resyncs every RESYNC_MS. Idempotent. */
export async function startScheduler(): Promise<void> {
  stopScheduler();
  await resyncSchedules();
  const timer = setInterval(
    () => void resyncSchedules().catch((err) => console.error(JSON.stringify({ level: "error", msg: "schedule resync failed", err: String(err) }))),
    RESYNC_MS,
  );
  timer.unref();
  resyncTimer.set(timer);
}

/** Makes this process's jobs match the enabled schedules in the database: new ones start, changed ones restart, gone ones stop. */
export async function resyncSchedules(): Promise<void> {
  const enabled = await triggersRepo.listEnabledSchedules(await getDatabase());
  const wanted = new Map(enabled.filter((t) => t.cron).map((t) => [t.id, t]));
  for (const [id, j] of jobs()) {
    const t = wanted.get(id);
    if (t && shapeOf(t) === j.shape) continue;
    j.job.stop();
    jobs().delete(id);
  }
  for (const [id, t] of wanted) if (!jobs().has(id)) schedule(t);
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

/** Stops every job and the resync. */
export function stopScheduler(): void {
  clearInterval(resyncTimer.get());
  resyncTimer.set(undefined);
  for (const j of jobs().values()) j.job.stop();
  jobs().clear();
}
