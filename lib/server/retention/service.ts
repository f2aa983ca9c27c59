import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { getDatabase } from "@/lib/db/database";
import { maintenanceState } from "@/lib/db/retention-lock";
import type { Database } from "@/lib/db/client";
import { countRuns, databaseBytes, tableSizes, type TableSize } from "@/lib/db/storage";
import { processSingleton } from "@/lib/process-singleton";
import type { StorageReport } from "@/lib/contracts/storage-api";
import { AppError, ErrorCode } from "../errors";
import { logger } from "../observability/logger";
import { CHECKPOINT_SCHEMA } from "../runs/checkpoint-tables";
import { serverAuditRetention, type AuditRetention } from "./audit-rules";
import { retentionMetrics } from "./metrics";
import { newPassCarry, RETENTION_LOCK, runRetentionPass, type PassCarry, type PassResult } from "./pruner";
import { RetentionConfigError, serverRetentionPolicy, type RetentionPolicy } from "./rules";
import { nextPassDelay } from "./schedule";
import { prunerSettings, type PrunerSettings } from "./settings";

// The pruner of this process: a timer that tries a pass every interval (the database lease makes
// sure only one process prunes at a time), "prune now" for admins, and the storage report.

const log = logger.child({ component: "retention" });
/** The first pass waits a little after boot, so start-up (recovery of runs) goes first. */
const FIRST_PASS_DELAY_MS = 60_000;

interface State {
  owner: string;
  timer: NodeJS.Timeout | null;
  running: Promise<PassResult> | null;
  nextAt: number | null;
  /** What the last pass left for the next (orphaned threads seen, SQLite pages in use). */
  carry: PassCarry;
  config: { policy: RetentionPolicy; audit: AuditRetention; settings: PrunerSettings } | { error: string };
  tableSizes?: { at: number; value: TableSize[] };
}

function loadConfig(): State["config"] {
  try {
    return { policy: serverRetentionPolicy(), audit: serverAuditRetention(), settings: prunerSettings() };
  } catch (err) {
    if (err instanceof RetentionConfigError) return { error: err.message };
    throw err;
  }
}

const state = () =>
  processSingleton<State>("retention", () => ({
    owner: `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    timer: null,
    running: null,
    nextAt: null,
    carry: newPassCarry(),
    config: loadConfig(),
  }));

/** Runs a pass now (or joins the one running in this process); logs and counts it. */
export function pruneNow(): Promise<PassResult> {
  const s = state();
  if (s.running) return s.running;
  const config = s.config;
  if ("error" in config) return Promise.reject(new AppError(ErrorCode.RETENTION_CONFIG_INVALID, `Retention is off: ${config.error}`));
  const m = retentionMetrics();
  const end = m.duration.startTimer();
  s.running = (async () => {
    try {
      const db = await getDatabase();
      const result = await runRetentionPass({ db, policy: config.policy, audit: config.audit, settings: config.settings, owner: s.owner, carry: s.carry });
      if (result.outcome === "skipped") {
        m.passes.inc({ outcome: "skipped" });
        log.info("retention pass skipped: another process holds the lease");
        return result;
      }
      end();
      s.tableSizes = undefined;
      m.passes.inc({ outcome: "done" });
      m.lastPass.set(Date.now() / 1000);
      for (const kind of ["runs", "events", "checkpoints", "writes", "blobs"] as const) m.deleted.inc({ kind }, result[kind]);
      m.deleted.inc({ kind: "audit" }, result.auditEntries);
      m.runsPruned.inc({ reason: "age" }, result.byReason.age);
      m.runsPruned.inc({ reason: "count" }, result.byReason.count);
      m.compacted.inc(result.compactedRuns);
      if (result.bytesBefore > result.bytesAfter) m.reclaimedBytes.inc(result.bytesBefore - result.bytesAfter);
      if (result.vacuum === "converted") log.info("database switched to incremental vacuum (one full VACUUM)");
      log.info("retention pass", { ...result });
      return result;
    } catch (err) {
      m.passes.inc({ outcome: "failed" });
      log.error("retention pass failed", { err });
      throw err;
    } finally {
      s.running = null;
    }
  })();
  return s.running;
}

function schedule(delayMs: number) {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.nextAt = Date.now() + delayMs;
  s.timer = setTimeout(() => {
    const config = s.config;
    const interval = "error" in config ? 0 : config.settings.intervalMs;
    const maxRuns = "error" in config ? 0 : config.policy.maxRuns;
    // The pause follows the write rate (schedule.ts); a failed or skipped pass waits the full interval.
    pruneNow()
      .then((r) =>
        schedule(
          r.outcome === "done" ? nextPassDelay({ work: Math.max(r.runs, r.compactedRuns), more: r.more }, { interval, previous: delayMs, maxRuns }) : interval,
        ),
      )
      .catch(() => schedule(interval)); // logged in pruneNow
  }, delayMs);
  // The pruner never keeps a process alive on its own.
  s.timer.unref();
}

/** Starts the periodic pruner (boot). A bad AURA_RETENTION_* value is logged and the pruner stays off. */
export function startRetention(): void {
  const s = state();
  if ("error" in s.config) {
    log.error("retention is OFF: bad configuration", { err: s.config.error });
    return;
  }
  if (!s.config.settings.enabled) {
    log.info("retention is off (AURA_RETENTION=off)");
    return;
  }
  schedule(Math.min(FIRST_PASS_DELAY_MS, s.config.settings.intervalMs));
}

/** Stops the timer (shutdown); a pass in progress finishes its batch and the lease expires if cut short. */
export function stopRetention(): void {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  s.nextAt = null;
}

/** Table sizes walk every page (SQLite dbstat): at most once a minute per process, however often the panel asks. */
const TABLE_SIZES_TTL_MS = 60_000;
async function cachedTableSizes(db: Database): Promise<TableSize[]> {
  const s = state();
  if (s.tableSizes && Date.now() - s.tableSizes.at < TABLE_SIZES_TTL_MS) return s.tableSizes.value;
  const value = await tableSizes(db, CHECKPOINT_SCHEMA);
  s.tableSizes = { at: Date.now(), value };
  return value;
}

/** The stored summary of the last pass, or null when it is missing or not JSON. */
function parseSummary(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** What the dashboard's storage panel shows: runs kept, bytes by table, the policy, the last and the next pass. */
export async function storageReport(): Promise<StorageReport> {
  const s = state();
  const db = await getDatabase();
  const [runs, bytes, tables, lock] = await Promise.all([countRuns(db), databaseBytes(db), cachedTableSizes(db), maintenanceState(db, RETENTION_LOCK)]);
  const config = s.config;
  let lastPass: StorageReport["lastPass"] = null;
  if (lock?.lastRunAt) {
    const summary = parseSummary(lock.lastResult);
    lastPass = { at: lock.lastRunAt.toISOString(), summary: summary && typeof summary === "object" ? (summary as Record<string, unknown>) : null };
  }
  return {
    provider: db.provider,
    runs,
    databaseBytes: bytes,
    tables,
    policy: "error" in config ? null : config.policy,
    auditPolicy: "error" in config ? null : config.audit,
    compactAfterHours: "error" in config ? null : config.settings.compactAfterMs / 3_600_000,
    enabled: !("error" in config) && config.settings.enabled,
    configError: "error" in config ? config.error : null,
    nextPassAt: s.nextAt ? new Date(s.nextAt).toISOString() : null,
    running: s.running !== null || (lock?.owner != null && lock.expiresAt != null && lock.expiresAt.getTime() > Date.now()),
    lastPass,
  };
}
