import "server-only";
import type { Database } from "@/lib/db/client";
import * as retentionRepo from "@/lib/db/retention";
import { compactThreads, listCompactableThreads } from "@/lib/db/retention-compaction";
import { releaseMaintenanceLock, renewMaintenanceLock, takeMaintenanceLock } from "@/lib/db/retention-lock";
import { checkpointWal, databaseBytes, ensureIncrementalVacuum, incrementalVacuum } from "@/lib/db/storage";
import { CHECKPOINT_SCHEMA } from "../runs/checkpoint-tables";
import { cutoffs, effectivePolicy, judgeRun, type RetentionPolicy } from "./rules";
import type { PrunerSettings } from "./settings";

// One retention pass: prune runs by the rules (per workflow, newest kept), sweep orphaned checkpoint
// threads, compact old finished runs' checkpoints, give the space back. Every batch is its own short
// transaction followed by a pause, so writers and the event loop get their turn; the pass holds a
// database lease ("retention") so that of several processes only one prunes at a time.

export const RETENTION_LOCK = "retention";
/** How long the lease lasts without renewal (renewed after every batch). */
const LOCK_MS = 5 * 60_000;
/** Free pages returned per incremental_vacuum step (4 KB pages: 8 MB). */
const VACUUM_PAGES = 2000;

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
  compactedRuns: number;
  compactedCheckpoints: number;
  /** SQLite: "converted" on the one pass that switched the file to incremental vacuum. */
  vacuum: "ready" | "converted" | "not_sqlite";
  bytesBefore: number;
  bytesAfter: number;
  /** True when the lease was lost mid-pass (another process took over); the pass stopped there. */
  interrupted: boolean;
}
export type PassResult = PassSummary | { outcome: "skipped"; reason: "locked" };

export interface PassOptions {
  db: Database;
  policy: RetentionPolicy;
  settings: PrunerSettings;
  /** This process's lease owner, `host:pid:nonce`. */
  owner: string;
  now?: () => number;
  /** Orphaned threads seen by the previous pass (deleted now if still orphaned); refilled for the next. */
  pendingOrphans?: Set<string>;
}

const pause = (ms: number) => new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/** Runs one pass if this process gets the lease; "skipped" when another process holds it. */
export async function runRetentionPass(o: PassOptions): Promise<PassResult> {
  const now = o.now ?? Date.now;
  const { db, settings } = o;
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
    compactedRuns: 0,
    compactedCheckpoints: 0,
    vacuum: "not_sqlite",
    bytesBefore: 0,
    bytesAfter: 0,
    interrupted: false,
  };
  let released = false;
  // After each batch: let others in, and keep the lease (a lost lease ends the pass).
  const breathe = async () => {
    await pause(settings.pauseMs);
    if (!(await renewMaintenanceLock(db, RETENTION_LOCK, o.owner, new Date(now() + LOCK_MS)))) s.interrupted = true;
    return !s.interrupted;
  };
  try {
    s.vacuum = await ensureIncrementalVacuum(db);
    s.bytesBefore = await databaseBytes(db);
    const tables = await retentionRepo.checkpointTables(db, CHECKPOINT_SCHEMA);

    for (const wf of await retentionRepo.workflowRetentionSettings(db)) {
      if (s.interrupted) break;
      const policy = effectivePolicy(o.policy, wf.retention);
      for (;;) {
        const t = now();
        const over = await retentionRepo.listRunsOverCount(db, wf.id, { keep: policy.maxRuns, limit: settings.batchSize });
        const aged = await retentionRepo.listAgedRuns(db, wf.id, { ...cutoffs(policy, t), limit: settings.batchSize });
        const chosen = new Map<string, "age" | "count">();
        // The rules decide, the queries only propose: over-count runs have at least maxRuns newer ones.
        over.forEach((r, i) => {
          const v = judgeRun(r, policy, t, policy.maxRuns + i);
          if (!v.keep) chosen.set(r.id, v.reason);
        });
        for (const r of aged) {
          if (chosen.size >= settings.batchSize) break;
          const v = judgeRun(r, policy, t, 0);
          if (!v.keep && !chosen.has(r.id)) chosen.set(r.id, v.reason);
        }
        if (!chosen.size) break;
        const ids = [...chosen.keys()].slice(0, settings.batchSize);
        const d = await retentionRepo.deleteRuns(db, ids, tables);
        s.runs += d.runs;
        s.events += d.events;
        s.checkpoints += d.checkpoints;
        s.writes += d.writes;
        s.blobs += d.blobs;
        for (const id of d.ids) s.byReason[chosen.get(id) ?? "age"]++;
        if (!(await breathe()) || d.runs === 0) break;
      }
    }

    if (tables && !s.interrupted) {
      const pending = o.pendingOrphans ?? new Set<string>();
      if (pending.size) s.orphanCheckpoints = await retentionRepo.deleteThreadsIfOrphaned(db, tables, [...pending]);
      pending.clear();
      for (const t of await retentionRepo.listOrphanThreads(db, tables, 500)) pending.add(t);
    }

    const compactBefore = new Date(now() - settings.compactAfterMs);
    while (!s.interrupted) {
      const threads = await listCompactableThreads(db, compactBefore, settings.batchSize);
      if (!threads.length) break;
      const c = await compactThreads(db, tables, threads, compactBefore, new Date(now()));
      s.compactedRuns += c.runs;
      s.compactedCheckpoints += c.checkpoints;
      s.writes += c.writes;
      s.blobs += c.blobs;
      if (!(await breathe()) || c.runs === 0) break;
    }

    if (db.provider === "sqlite") {
      // Hand the freed pages back in steps; each step is a short write.
      while ((await incrementalVacuum(db, VACUUM_PAGES)) > 0) await pause(settings.pauseMs);
      await checkpointWal(db).catch(() => {});
    }
    s.bytesAfter = await databaseBytes(db);
    s.durationMs = now() - started;
    await releaseMaintenanceLock(db, RETENTION_LOCK, o.owner, { at: new Date(now()), summary: JSON.stringify(s) });
    released = true;
    return s;
  } finally {
    if (!released) await releaseMaintenanceLock(db, RETENTION_LOCK, o.owner).catch(() => {});
  }
}
