import { z } from "zod";
import { RetentionConfigError } from "./rules";

// How long the audit log keeps its entries, pure. Two classes, because they differ by orders of
// magnitude in volume: run starts ("run.started", one per run — a webhook-heavy installation writes
// them as fast as it runs) and everything else (sign-ins, members, tokens, credentials, workflow
// changes, cancels, approvals: people's actions, a few a day). Run starts keep who started each run
// (the Run row records the trigger, not the caller) for as long as failed runs are kept by default,
// so the entry outlives its run; the rest is kept for a year, as security reviews expect.

const DAY_MS = 86_400_000;

/** The one high-volume action, kept for its own (shorter) time. */
export const RUN_START_ACTION = "run.started";

/** Fractions of a day are allowed (0.5 = 12 hours), so a soak or a test can watch entries go. */
const days = z.number().min(0.001).max(36_500);
export const AuditRetentionSchema = z.object({
  /** Days an entry other than a run start is kept (AURA_RETENTION_AUDIT_DAYS). */
  days,
  /** Days a run start's entry is kept (AURA_RETENTION_AUDIT_RUN_START_DAYS). */
  runStartDays: days,
});
export type AuditRetention = z.infer<typeof AuditRetentionSchema>;

export const DEFAULT_AUDIT_RETENTION: AuditRetention = { days: 365, runStartDays: 30 };

const ENV_KEYS = { days: "AURA_RETENTION_AUDIT_DAYS", runStartDays: "AURA_RETENTION_AUDIT_RUN_START_DAYS" } as const;

/** The audit log's retention from the environment (unset: the default); a bad value throws RetentionConfigError naming it. */
export function serverAuditRetention(env: Record<string, string | undefined> = process.env): AuditRetention {
  const out: AuditRetention = { ...DEFAULT_AUDIT_RETENTION };
  for (const [field, key] of Object.entries(ENV_KEYS) as [keyof AuditRetention, string][]) {
    const raw = env[key]?.trim();
    if (!raw) continue;
    const parsed = days.safeParse(Number(raw));
    if (!/^\d+(\.\d+)?$/.test(raw) || !parsed.success)
      throw new RetentionConfigError(
        `${key}="${raw}" is not a number of days from ${days.minValue} to ${days.maxValue}; fix it or unset it (default ${DEFAULT_AUDIT_RETENTION[field]}).`,
      );
    out[field] = parsed.data;
  }
  return out;
}

/** The creation times before which entries go: run starts, and every other entry. */
export function auditCutoffs(policy: AuditRetention, now: number): { runStartsBefore: number; othersBefore: number } {
  return { runStartsBefore: now - policy.runStartDays * DAY_MS, othersBefore: now - policy.days * DAY_MS };
}
