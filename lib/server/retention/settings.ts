import { z } from "zod";
import { RetentionConfigError } from "./rules";

// How the pruner runs (not what it keeps: that is rules.ts). From the environment, checked once;
// a bad value stops the pruner with a message naming the variable.

const MINUTE = 60_000;

export const PrunerSettingsSchema = z.object({
  /** Minutes between passes (AURA_RETENTION_INTERVAL_MINUTES). */
  intervalMs: z.number().int().min(1000),
  /** Runs deleted per transaction (AURA_RETENTION_BATCH). */
  batchSize: z.number().int().min(1).max(5000),
  /** Pause between batches so writers and the event loop get their turn (AURA_RETENTION_PAUSE_MS). */
  pauseMs: z.number().int().min(0).max(60_000),
  /** A pass stops after this long and the next one continues soon after (AURA_RETENTION_MAX_PASS_SECONDS). */
  maxPassMs: z.number().int().min(1000),
  /** Finished runs older than this keep only their last checkpoint (AURA_COMPACT_AFTER_HOURS). */
  compactAfterMs: z.number().int().min(0),
  /** Whether the pruner runs at all in this process (AURA_RETENTION=off disables it). */
  enabled: z.boolean(),
});
export type PrunerSettings = z.infer<typeof PrunerSettingsSchema>;

export const DEFAULT_PRUNER_SETTINGS: PrunerSettings = {
  intervalMs: 60 * MINUTE,
  batchSize: 100,
  pauseMs: 10,
  maxPassMs: 60_000,
  compactAfterMs: 24 * 60 * MINUTE,
  enabled: true,
};

function number(env: Record<string, string | undefined>, key: string, min: number, max: number): number | undefined {
  const raw = env[key]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n < min || n > max)
    throw new RetentionConfigError(`${key}="${raw}" is not a number from ${min} to ${max}; fix it or unset it.`);
  return n;
}

/** The pruner's settings from the environment (unset: the defaults). Throws RetentionConfigError naming a bad variable. */
export function prunerSettings(env: Record<string, string | undefined> = process.env): PrunerSettings {
  const interval = number(env, "AURA_RETENTION_INTERVAL_MINUTES", 0.05, 7 * 24 * 60);
  const batch = number(env, "AURA_RETENTION_BATCH", 1, 5000);
  const pause = number(env, "AURA_RETENTION_PAUSE_MS", 0, 60_000);
  const maxPass = number(env, "AURA_RETENTION_MAX_PASS_SECONDS", 1, 3600);
  const compact = number(env, "AURA_COMPACT_AFTER_HOURS", 0, 24 * 3650);
  const flag = env.AURA_RETENTION?.trim().toLowerCase();
  if (flag && !["on", "off", "1", "0", "true", "false"].includes(flag)) throw new RetentionConfigError(`AURA_RETENTION="${flag}" must be "on" or "off".`);
  return {
    intervalMs: interval !== undefined ? Math.round(interval * MINUTE) : DEFAULT_PRUNER_SETTINGS.intervalMs,
    batchSize: batch !== undefined ? Math.floor(batch) : DEFAULT_PRUNER_SETTINGS.batchSize,
    pauseMs: pause !== undefined ? Math.floor(pause) : DEFAULT_PRUNER_SETTINGS.pauseMs,
    maxPassMs: maxPass !== undefined ? Math.round(maxPass * 1000) : DEFAULT_PRUNER_SETTINGS.maxPassMs,
    compactAfterMs: compact !== undefined ? Math.round(compact * 60 * MINUTE) : DEFAULT_PRUNER_SETTINGS.compactAfterMs,
    enabled: !(flag === "off" || flag === "0" || flag === "false"),
  };
}
