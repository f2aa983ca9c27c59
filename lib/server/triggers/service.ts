import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Cron } from "croner";
import { customAlphabet } from "nanoid";
import type { z } from "zod";
import { getDatabase } from "@/lib/db/database";
import { currentWorkspaceId, inWorkspace } from "../request-scope";
import * as triggersRepo from "@/lib/db/triggers";
import * as workflowsRepo from "@/lib/db/workflows";
import { AppError, ErrorCode, notFound } from "../errors";
import { startRun } from "../runs/service";
import { nextRunOf, reloadWorkflowSchedules } from "./scheduler";
import { audited } from "../audit";
import type { AuditActor } from "@/lib/contracts/audit-api";
import { WebhookResponseModeSchema, type PutTriggersBodySchema, type TriggerView, type WebhookResponseMode } from "@/lib/contracts/trigger-api";

const newId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 12);
const newSecret = () => randomBytes(24).toString("base64url");

async function requireWorkflow(id: string) {
  const db = await getDatabase();
  const w = await workflowsRepo.findWorkflow(db, id);
  if (!w || w.workspaceId !== currentWorkspaceId()) throw notFound(`Workflow "${id}"`);
  return db;
}

function view(t: triggersRepo.TriggerRow): TriggerView {
  const base = { id: t.id, kind: t.kind as TriggerView["kind"], enabled: t.enabled, input: JSON.parse(t.input) as Record<string, unknown> };
  if (t.kind === "webhook")
    return {
      ...base,
      url: `/api/hooks/${t.workflowId}/${t.secret}`,
      secret: t.secret ?? "",
      responseMode: WebhookResponseModeSchema.catch("immediately").parse(t.responseMode),
    };
  const next = t.enabled ? nextRunOf(t.id) : null;
  return {
    ...base,
    cron: t.cron ?? "",
    timezone: t.timezone ?? "UTC",
    nextRunAt: next?.toISOString() ?? null,
    lastFiredAt: t.lastFiredAt?.toISOString() ?? null,
  };
}

/** A workflow's triggers (webhook URLs with their secrets: only the workspace sees them). */
export async function getTriggers(workflowId: string): Promise<{ triggers: TriggerView[] }> {
  const db = await requireWorkflow(workflowId);
  return { triggers: (await triggersRepo.listTriggers(db, workflowId)).map(view) };
}

/**
 * Replaces a workflow's triggers: listed ids are updated, new ones created (webhooks get a random
 * secret; rotateSecret makes a new one), unlisted ones deleted. Cron expressions and time zones are
 * checked (400 BAD_REQUEST). Schedules are re-armed at once.
 */
export async function putTriggers(
  workflowId: string,
  body: z.infer<typeof PutTriggersBodySchema>,
  actor?: AuditActor | null,
): Promise<{ triggers: TriggerView[] }> {
  const db = await requireWorkflow(workflowId);
  const existing = new Map((await triggersRepo.listTriggers(db, workflowId)).map((t) => [t.id, t]));
  const rows: triggersRepo.TriggerInput[] = body.triggers.map((t, i) => {
    const old = t.id ? existing.get(t.id) : undefined;
    if (t.id && (!old || old.kind !== t.kind))
      throw new AppError(ErrorCode.BAD_REQUEST, `Trigger "${t.id}" (${t.kind}) does not exist on this workflow; omit id to create one.`);
    const id = old?.id ?? `trg_${newId()}`;
    const input = JSON.stringify(t.input);
    if (t.kind === "webhook")
      return {
        id,
        kind: "webhook",
        enabled: t.enabled,
        input,
        secret: !old?.secret || t.rotateSecret ? newSecret() : old.secret,
        cron: null,
        timezone: null,
        responseMode: t.responseMode,
      };
    try {
      new Intl.DateTimeFormat("en", { timeZone: t.timezone });
    } catch {
      throw new AppError(ErrorCode.BAD_REQUEST, `$.triggers[${i}].timezone: "${t.timezone}" is not an IANA time zone (e.g. "Europe/Berlin").`);
    }
    try {
      new Cron(t.cron, { paused: true, timezone: t.timezone }).stop();
    } catch (err) {
      throw new AppError(ErrorCode.BAD_REQUEST, `$.triggers[${i}].cron: "${t.cron}" is not a valid cron expression (${(err as Error).message}).`);
    }
    return { id, kind: "schedule", enabled: t.enabled, input, secret: null, cron: t.cron, timezone: t.timezone, responseMode: "immediately" };
  });
  await triggersRepo.replaceTriggers(db, workflowId, rows);
  await reloadWorkflowSchedules(workflowId);
  // The detail names kinds and counts only: webhook secrets never reach the audit log.
  const kinds = (rs: { kind: string; enabled: boolean }[]) => rs.map((t) => `${t.kind}${t.enabled ? "" : " (off)"}`);
  return audited(currentWorkspaceId(), "trigger.changed", actor, { type: "workflow", id: workflowId }, await getTriggers(workflowId), () => ({
    before: kinds([...existing.values()]),
    after: kinds(rows),
    rotated: body.triggers.filter((t) => t.kind === "webhook" && t.rotateSecret).length,
  }));
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * A webhook call: the secret must match an enabled webhook trigger of the workflow (constant-time
 * compare of SHA-256 digests); 403 FORBIDDEN otherwise, also for an unknown workflow (no probing).
 * The run input is the trigger's input with the JSON body's fields over it.
 */
export async function callWebhook(
  workflowId: string,
  secret: string | null,
  body: unknown,
): Promise<{ started: { runId: string; status: "queued"; position: number }; responseMode: WebhookResponseMode; workspaceId: string }> {
  const db = await getDatabase();
  // Secrets are base64url (newSecret); anything else cannot match and never reaches a query.
  const hooks = secret && /^[A-Za-z0-9_-]{1,200}$/.test(secret) ? await triggersRepo.listWebhooks(db, workflowId) : [];
  const given = digest(secret ?? "");
  let match: triggersRepo.TriggerRow | undefined;
  for (const h of hooks) if (h.secret && timingSafeEqual(digest(h.secret), given)) match = h;
  if (!match) throw new AppError(ErrorCode.FORBIDDEN, "Unknown webhook or wrong secret. Copy the URL from the workflow's triggers.");
  if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
    throw new AppError(ErrorCode.BAD_REQUEST, "The webhook body must be a JSON object (its fields become run input) or empty.");
  }
  // The webhook's secret is the caller's credential: the run belongs to the workflow's workspace.
  const workflow = await workflowsRepo.findWorkflow(db, workflowId);
  if (!workflow) throw new AppError(ErrorCode.FORBIDDEN, "Unknown webhook or wrong secret. Copy the URL from the workflow's triggers.");
  const started = await inWorkspace(workflow.workspaceId, () => startRun(workflowId, { ...JSON.parse(match.input), ...body }, "webhook"));
  return { started, responseMode: WebhookResponseModeSchema.catch("immediately").parse(match.responseMode), workspaceId: workflow.workspaceId };
}
