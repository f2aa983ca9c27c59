import "server-only";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Database } from "@/lib/db/client";
import * as retentionRepo from "@/lib/db/retention";
import { compactThreads, listCompactableThreads } from "@/lib/db/retention-compaction";
import { releaseMaintenanceLock, renewMaintenanceLock, takeMaintenanceLock } from "@/lib/db/retention-lock";
import { deleteAuditEntries } from "@/lib/db/audit";
import { checkpointWal, databaseBytes, ensureIncrementalVacuum, incrementalVacuum, limitWalSize, pageStats, vacuumDeadRows } from "@/lib/db/storage";
import { auditIdFloor } from "../audit";
import { CHECKPOINT_SCHEMA } from "../runs/checkpoint-tables";
import { auditCutoffs, DEFAULT_AUDIT_RETENTION, RUN_START_ACTION, type AuditRetention } from "./audit-rules";
import { cutoffs, effectivePolicy, judgeRun, type RetentionPolicy } from "./rules";
import type { PrunerSettings } from "./settings";

// One retention pass: prune runs by the rules (per workflow, newest kept), sweep orphaned checkpoint
// threads, delete expired audit entries, compact old finished runs' checkpoints, give the space back (SQLite: incremental vacuum
// and a WAL checkpoint). Every batch is its own short transaction followed by a pause, so writers and
// the event loop get their turn; a pass stops at its time budget (the next one continues); the pass
// holds a database lease ("retention") so that of several processes only one prunes at a time.

export const RETENTION_LOCK = "retention";
/** How long the lease lasts without renewal (renewed after every batch). */
const LOCK_MS = 5 * 60_000;
/** Free pages returned per incremental_vacuum step (4 KB pages: 2 MB), each a short write. */
const VACUUM_STEP_PAGES = 500;
/** A batch should take about this long (wall time); sizes halve above twice this and grow below half of it. */
const BATCH_TARGET_MS = 40;
const MIN_BATCH = 5;
/** Where a process's first pass starts on SQLite (then sizes grow by a quarter per quick batch). */
const FIRST_BATCH = 25;
/** An audit entry is one small row where a run is ~30 across four tables: its batches are this many times larger. */
const AUDIT_BATCH_FACTOR = 20;
/** The WAL is cut back to this after a restart (SQLite's auto-checkpoint folds it in at ~4 MB). */
const WAL_LIMIT_BYTES = 8 * 1024 * 1024;
/** How long SQLite maintenance (vacuum, WAL checkpoint) waits for a lock before it leaves it to the next pass. */
const MAINTENANCE_WAIT_MS = 200;

/** Milliseconds per part of a pass. */
export interface PassPhases {
  prune: number;
  orphans: number;
  audit: number;
  compact: number;
  vacuum: number;
  wal: number;
}

export interface PassSummary {
  outcome: "done";
  startedAt: string;
  durationMs: number;
  runs: number;
  byReason: { age: number; count: number };
  events: number;
  checkpoints: number;
  writes: number;
  blobs: number;
  orphanCheckpoints: number;
  /** Audit entries past their time (run starts and the rest have their own). */
  auditEntries: number;
  compactedRuns: number;
  compactedCheckpoints: number;
  /** SQLite: "converted" on the one pass that switched the file to incremental vacuum. */
  vacuum: "ready" | "converted" | "not_sqlite";
  bytesBefore: number;
  bytesAfter: number;
  /** True when the lease was lost mid-pass (another process took over); the pass stopped there. */
  interrupted: boolean;
  /** True when the pass stopped at its time budget with work left; the next pass comes soon. */
  more: boolean;
  /** Delete and compaction transactions, and the longest of them (each blocks writers while it runs). */
  batches: number;
  longestBatchMs: number;
  /** The longest the server's event loop was held up while the pass ran (includes every other job's share). */
  eventLoopDelayMaxMs: number;
  phasesMs: PassPhases;
  /** SQLite: free pages kept for reuse, pages handed back, WAL frames folded in (busy: left for the next pass). */
  /** PostgreSQL: the tables VACUUMed after the pass (their dead rows passed autovacuum's threshold). */
  postgres?: { vacuumed: string[] };
  sqlite?: { freePagesKept: number; pagesReleased: number; walFrames: number; walBusy: boolean; vacuumBusy: boolean };
}
export type PassResult = PassSummary | { outcome: "skipped"; reason: "locked" };

/** What one pass leaves for the next one in the same process. */
export interface PassCarry {
  /** Orphaned threads seen by the previous pass (deleted now if still orphaned); refilled for the next. */
  pendingOrphans: Set<string>;
  /** SQLite: pages in use when the previous pass ended; the growth since then sizes the free pages kept. */
  usedPagesAfter: number | null;
  /** SQLite: the batch sizes the previous pass ended with (they adapt to the machine's speed). */
  batchSizes: { prune: number; compact: number; audit: number };
}

export interface PassOptions {
  db: Database;
  policy: RetentionPolicy;
  /** How long audit entries are kept (default: DEFAULT_AUDIT_RETENTION). */
  audit?: AuditRetention;
  settings: PrunerSettings;
  /** This process's lease owner, `host:pid:nonce`. */
  owner: string;
  now?: () => number;
  carry?: PassCarry;
}

const pause = (ms: number) => new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/** A fresh carry for the first pass of a process. */
export const newPassCarry = (): PassCarry => ({
  pendingOrphans: new Set(),
  usedPagesAfter: null,
  batchSizes: { prune: FIRST_BATCH, compact: FIRST_BATCH, audit: FIRST_BATCH * AUDIT_BATCH_FACTOR },
});

/** Runs one pass if this process gets the lease; "skipped" when another process holds it. */
export async function runRetentionPass(o: PassOptions): Promise<PassResult> {
  const now = o.now ?? Date.now;
  const clock = () => performance.now();
  const { db, settings } = o;
  const carry = o.carry ?? newPassCarry();
  const started = now();
  if (!(await takeMaintenanceLock(db, RETENTION_LOCK, o.owner, new Date(started + LOCK_MS), new Date(started))))
    return { outcome: "skipped", reason: "locked" };
  const s: PassSummary = {
    outcome: "done",
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    runs: 0,
    byReason: { age: 0, count: 0 },
    events: 0,
    checkpoints: 0,
    writes: 0,
    blobs: 0,
    orphanCheckpoints: 0,
    auditEntries: 0,
    compactedRuns: 0,
    compactedCheckpoints: 0,
    vacuum: "not_sqlite",
    bytesBefore: 0,
    bytesAfter: 0,
    interrupted: false,
    more: false,
    batches: 0,
    longestBatchMs: 0,
    eventLoopDelayMaxMs: 0,
    phasesMs: { prune: 0, orphans: 0, audit: 0, compact: 0, vacuum: 0, wal: 0 },
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let released = false;
  // SQLite: batch sizes adapt to how long a batch takes here and now, because a statement holds the
  // event loop (better-sqlite3 is synchronous) and the one write lock for as long as it runs.
  // PostgreSQL answers asynchronously and locks rows, not the database: its batches keep their size
  // (shrinking them on a slow, shared machine only made the pass longer). AURA_RETENTION_BATCH is the most.
  const adaptive = db.provider === "sqlite";
  // Sizes carry over from pass to pass; the first pass starts small and grows while batches are quick.
  const sizes = carry.batchSizes;
  const most = { prune: settings.batchSize, compact: settings.batchSize, audit: settings.batchSize * AUDIT_BATCH_FACTOR };
  for (const k of ["prune", "compact", "audit"] as const) sizes[k] = adaptive ? Math.min(sizes[k], most[k]) : most[k];
  /** Times one transaction of `kind` and sizes the next one of that kind. */
  const batch = async <T>(kind: keyof typeof sizes, fn: () => Promise<T>): Promise<T> => {
    const b = clock();
    try {
      return await fn();
    } finally {
      const took = clock() - b;
      s.batches++;
      s.longestBatchMs = Math.max(s.longestBatchMs, Math.round(took));
      if (adaptive && took > 2 * BATCH_TARGET_MS) sizes[kind] = Math.max(MIN_BATCH, Math.floor(sizes[kind] / 2));
      else if (adaptive && took < BATCH_TARGET_MS / 2) sizes[kind] = Math.min(most[kind], Math.ceil(sizes[kind] * 1.25));
    }
  };
  /** Whether the pass may start another batch: lease kept, time budget left. */
  const mayGoOn = () => {
    if (s.interrupted) return false;
    if (now() - started < settings.maxPassMs) return true;
    s.more = true;
    return false;
  };
  // After each batch: let others in, and keep the lease (a lost lease ends the pass). The lease is
  // renewed when a good part of it has passed, not after every batch: each renewal is a write.
  let renewedAt = started;
  const breathe = async () => {
    await pause(settings.pauseMs);
    if (now() - renewedAt > LOCK_MS / 5) {
      renewedAt = now();
      if (!(await renewMaintenanceLock(db, RETENTION_LOCK, o.owner, new Date(renewedAt + LOCK_MS)))) s.interrupted = true;
    }
    return mayGoOn();
  };
  const phase = async (name: keyof PassPhases, fn: () => Promise<void>) => {
    const p = clock();
    try {
      await fn();
    } finally {
      s.phasesMs[name] += Math.round(clock() - p);
    }
  };
  try {
    s.vacuum = await ensureIncrementalVacuum(db);
    await limitWalSize(db, WAL_LIMIT_BYTES);
    s.bytesBefore = await databaseBytes(db);
    const pagesBefore = await pageStats(db);
    const tables = await retentionRepo.checkpointTables(db, CHECKPOINT_SCHEMA);

    await phase("prune", async () => {
      for (const wf of await retentionRepo.workflowRetentionSettings(db)) {
        if (!mayGoOn()) break;
        const policy = effectivePolicy(o.policy, wf.retention);
        // Found once: every stopped run at or before it has at least maxRuns newer ones, now and for the rest of the pass.
        let cutoff = await retentionRepo.countCutoff(db, wf.id, policy.maxRuns);
        let aged = true;
        while (cutoff || aged) {
          const t = now();
          const chosen = new Map<string, "age" | "count">();
          // The rules decide, the queries only propose.
          if (cutoff) {
            for (const r of await retentionRepo.listRunsUpTo(db, wf.id, cutoff, sizes.prune)) {
              const v = judgeRun(r, policy, t, policy.maxRuns);
              if (!v.keep) chosen.set(r.id, v.reason);
            }
            if (!chosen.size) cutoff = null;
          }
          if (aged && chosen.size < sizes.prune) {
            const want = sizes.prune - chosen.size;
            const found = await retentionRepo.listAgedRuns(db, wf.id, { ...cutoffs(policy, t), limit: want });
            for (const r of found) {
              const v = judgeRun(r, policy, t, 0);
              if (!v.keep && !chosen.has(r.id)) chosen.set(r.id, v.reason);
            }
            if (found.length < want) aged = false;
          }
          if (!chosen.size) break;
          const d = await batch("prune", () => retentionRepo.deleteRuns(db, [...chosen.keys()], tables));
          s.runs += d.runs;
          s.events += d.events;
          s.checkpoints += d.checkpoints;
          s.writes += d.writes;
          s.blobs += d.blobs;
          for (const id of d.ids) s.byReason[chosen.get(id) ?? "age"]++;
          if (!(await breathe()) || d.runs === 0) break;
        }
      }
    });

    if (tables && mayGoOn())
      await phase("orphans", async () => {
        const pending = carry.pendingOrphans;
        if (pending.size) s.orphanCheckpoints = await batch("prune", () => retentionRepo.deleteThreadsIfOrphaned(db, tables, [...pending]));
        pending.clear();
        for (const t of await retentionRepo.listOrphanThreads(db, tables, 500)) pending.add(t);
      });

    await phase("audit", async () => {
      const c = auditCutoffs(o.audit ?? DEFAULT_AUDIT_RETENTION, now());
      const classes = [
        { before: c.runStartsBefore, action: { only: RUN_START_ACTION } },
        { before: c.othersBefore, action: { except: RUN_START_ACTION } },
      ];
      for (const { before, action } of classes) {
        while (mayGoOn()) {
          const limit = sizes.audit;
          const n = await batch("audit", () => deleteAuditEntries(db, { idBelow: auditIdFloor(before), before: new Date(before), action, limit }));
          s.auditEntries += n;
          if (!(await breathe()) || n < limit) break;
        }
      }
    });

    const compactBefore = new Date(now() - settings.compactAfterMs);
    await phase("compact", async () => {
      while (mayGoOn()) {
        const threads = await listCompactableThreads(db, compactBefore, sizes.compact);
        if (!threads.length) break;
        const c = await batch("compact", () => compactThreads(db, tables, threads, compactBefore, new Date(now())));
        s.compactedRuns += c.runs;
        s.compactedCheckpoints += c.checkpoints;
        s.writes += c.writes;
        s.blobs += c.blobs;
        if (!(await breathe()) || c.runs === 0) break;
      }
    });

    if (pagesBefore) {
      // Keep as many free pages as the runs since the last pass took: the next interval writes about as
      // many again, into these pages, so the file stays the same size instead of shrinking and regrowing.
      const grown = carry.usedPagesAfter === null ? 0 : Math.max(0, pagesBefore.pages - pagesBefore.free - carry.usedPagesAfter);
      const sq = { freePagesKept: 0, pagesReleased: 0, walFrames: 0, walBusy: false, vacuumBusy: false };
      await phase("vacuum", async () => {
        const v = await incrementalVacuum(db, { keepFree: grown, step: VACUUM_STEP_PAGES, waitMs: MAINTENANCE_WAIT_MS, pause: () => pause(settings.pauseMs) });
        Object.assign(sq, { freePagesKept: v.free, pagesReleased: v.released, vacuumBusy: v.busy });
      });
      await phase("wal", async () => {
        const w = await checkpointWal(db, MAINTENANCE_WAIT_MS);
        Object.assign(sq, { walFrames: w.frames, walBusy: w.busy });
      });
      const after = await pageStats(db);
      carry.usedPagesAfter = after ? after.pages - after.free : null;
      s.sqlite = sq;
    }
    if (db.provider === "postgresql" && (s.runs || s.compactedRuns || s.orphanCheckpoints || s.auditEntries))
      await phase("vacuum", async () => {
        s.postgres = { vacuumed: await vacuumDeadRows(db, CHECKPOINT_SCHEMA) };
      });
    s.bytesAfter = await databaseBytes(db);
    s.durationMs = now() - started;
    loop.disable();
    s.eventLoopDelayMaxMs = Math.round(loop.max / 1e6);
    await releaseMaintenanceLock(db, RETENTION_LOCK, o.owner, { at: new Date(now()), summary: JSON.stringify(s) });
    released = true;
    return s;
  } finally {
    loop.disable();
    if (!released) await releaseMaintenanceLock(db, RETENTION_LOCK, o.owner).catch(() => {});
  }
}
