import "server-only";
import type { Database } from "./client";
import { queryRaw } from "./raw-sql";
import { parseRunColumn, WaitingForSchema, type WaitingApproval } from "./run-columns";

// Aggregates for the monitoring dashboard, computed by the database (GROUP BY over indexed time
// windows), never by loading runs into memory. Raw SQL only where Prisma has no portable form: the
// per-provider date arithmetic and JSON extraction of event payloads.

/** Upper bounds (ms) of the latency histogram bins; percentiles interpolate inside a bin. */
export const LATENCY_BOUNDS_MS = [100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 1_800_000] as const;

export interface StatsWindow {
  workspaceId: string;
  /** Inclusive start and exclusive end. */
  from: Date;
  to: Date;
  /** Only this workflow's runs. */
  workflowId?: string;
}

const n = (v: unknown) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : v == null ? 0 : Number(v));

/** Run counts by status: the current ones (queued, running, waiting) over all time, the finished ones created in the window. */
export async function statusCounts(db: Database, w: StatsWindow): Promise<Record<string, number>> {
  const base = { workspaceId: w.workspaceId, ...(w.workflowId ? { workflowId: w.workflowId } : {}) };
  const [live, windowed] = await Promise.all([
    db.prisma.run.groupBy({ by: ["status"], where: { ...base, status: { in: ["queued", "running", "waiting"] } }, _count: { _all: true } }),
    db.prisma.run.groupBy({
      by: ["status"],
      where: { ...base, status: { in: ["succeeded", "failed", "cancelled"] }, createdAt: { gte: w.from, lt: w.to } },
      _count: { _all: true },
    }),
  ]);
  const out: Record<string, number> = { queued: 0, running: 0, waiting: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const g of [...live, ...windowed]) out[g.status] = g._count._all;
  return out;
}

export interface SeriesRow {
  bucket: number;
  status: string;
  /** Index into LATENCY_BOUNDS_MS (LATENCY_BOUNDS_MS.length = above the last bound). */
  bin: number;
  count: number;
  /** Shortest and longest duration (ms) in the group: percentiles interpolated in a bin stay within them. */
  minMs: number;
  maxMs: number;
}

function binCase(durationExpr: string): string {
  return `CASE ${LATENCY_BOUNDS_MS.map((b, i) => `WHEN ${durationExpr} <= ${b} THEN ${i}`).join(" ")} ELSE ${LATENCY_BOUNDS_MS.length} END`;
}

/**
 * Runs that finished in the window, counted per (time bucket, status, latency bin): throughput,
 * failure rate and latency percentiles per bucket come from this without reading single runs.
 */
export async function finishedSeries(db: Database, w: StatsWindow, bucketMs: number): Promise<SeriesRow[]> {
  const wf = w.workflowId ? ` AND "workflowId" = $5` : "";
  let sql: string;
  if (db.provider === "sqlite") {
    const dur = `((julianday("finishedAt") - julianday(COALESCE("startedAt", "createdAt"))) * 86400000.0)`;
    sql = `SELECT CAST((julianday("finishedAt") - julianday($1)) * 86400000.0 / $4 AS INTEGER) AS bucket, status, ${binCase(dur)} AS bin, COUNT(*) AS count, MIN(${dur}) AS "minMs", MAX(${dur}) AS "maxMs"
      FROM "Run" WHERE "workspaceId" = $3 AND "finishedAt" >= $1 AND "finishedAt" < $2 AND status IN ('succeeded','failed','cancelled')${wf}
      GROUP BY 1, 2, 3`;
  } else {
    const dur = `(EXTRACT(EPOCH FROM ("finishedAt" - COALESCE("startedAt", "createdAt"))) * 1000)`;
    sql = `SELECT FLOOR(EXTRACT(EPOCH FROM ("finishedAt" - $1::timestamp)) * 1000 / $4)::int AS bucket, status, ${binCase(dur)} AS bin, COUNT(*) AS count, MIN(${dur}) AS "minMs", MAX(${dur}) AS "maxMs"
      FROM "Run" WHERE "workspaceId" = $3 AND "finishedAt" >= $1::timestamp AND "finishedAt" < $2::timestamp AND status IN ('succeeded','failed','cancelled')${wf}
      GROUP BY 1, 2, 3`;
  }
  const params: unknown[] = [w.from, w.to, w.workspaceId, bucketMs, ...(w.workflowId ? [w.workflowId] : [])];
  const rows = await queryRaw(db, sql, [...params]);
  return rows.map((r) => ({ bucket: n(r.bucket), status: String(r.status), bin: n(r.bin), count: n(r.count), minMs: n(r.minMs), maxMs: n(r.maxMs) }));
}

/** Runs created per time bucket (what arrived, whatever became of it). */
export async function createdSeries(db: Database, w: StatsWindow, bucketMs: number): Promise<{ bucket: number; count: number }[]> {
  const wf = w.workflowId ? ` AND "workflowId" = $5` : "";
  const sql =
    db.provider === "sqlite"
      ? `SELECT CAST((julianday("createdAt") - julianday($1)) * 86400000.0 / $4 AS INTEGER) AS bucket, COUNT(*) AS count FROM "Run"
         WHERE "workspaceId" = $3 AND "createdAt" >= $1 AND "createdAt" < $2${wf} GROUP BY 1`
      : `SELECT FLOOR(EXTRACT(EPOCH FROM ("createdAt" - $1::timestamp)) * 1000 / $4)::int AS bucket, COUNT(*) AS count FROM "Run"
         WHERE "workspaceId" = $3 AND "createdAt" >= $1::timestamp AND "createdAt" < $2::timestamp${wf} GROUP BY 1`;
  const rows = await queryRaw(db, sql, [w.from, w.to, w.workspaceId, bucketMs, ...(w.workflowId ? [w.workflowId] : [])]);
  return rows.map((r) => ({ bucket: n(r.bucket), count: n(r.count) }));
}

const jsonText = (db: Database, path: string) =>
  db.provider === "sqlite" ? `json_extract(e.payload, '$.${path}')` : `(e.payload::jsonb #>> '{${path.replace(/\./g, ",")}}')`;
const jsonNum = (db: Database, path: string) =>
  db.provider === "sqlite" ? `json_extract(e.payload, '$.${path}')` : `(e.payload::jsonb #>> '{${path.replace(/\./g, ",")}}')::float8`;
const ts = (db: Database, i: number) => (db.provider === "sqlite" ? `$${i}` : `$${i}::timestamp`);

export interface FailingNodeRow {
  workflowId: string;
  nodeId: string;
  kind: string;
  failures: number;
  /** Failures the node's error output handled (compensation), so the run went on. */
  handled: number;
  /** Runs these failures happened in. */
  runs: number;
  lastErrorCode: string;
  lastAt: Date;
}

/** The nodes with the most failed attempts (node.failed events) in the window. */
export async function failingNodes(db: Database, w: StatsWindow, limit = 10): Promise<FailingNodeRow[]> {
  const wf = w.workflowId ? ` AND r."workflowId" = $4` : "";
  const sql = `SELECT r."workflowId" AS "workflowId", ${jsonText(db, "nodeId")} AS "nodeId", MAX(${jsonText(db, "kind")}) AS kind, COUNT(*) AS failures,
      SUM(CASE WHEN CAST(${jsonText(db, "handled")} AS TEXT) IN ('true', '1') THEN 1 ELSE 0 END) AS handled, COUNT(DISTINCT e."runId") AS runs,
      MAX(${jsonText(db, "error.code")}) AS "lastErrorCode", MAX(e."createdAt") AS "lastAt"
    FROM "RunEvent" e JOIN "Run" r ON r.id = e."runId"
    WHERE e.type = 'node.failed' AND e."createdAt" >= ${ts(db, 1)} AND e."createdAt" < ${ts(db, 2)} AND r."workspaceId" = $3${wf}
    GROUP BY 1, 2 ORDER BY 4 DESC, 2 LIMIT ${Math.max(1, Math.floor(limit))}`;
  const rows = await queryRaw(db, sql, [w.from, w.to, w.workspaceId, ...(w.workflowId ? [w.workflowId] : [])]);
  return rows.map((r) => ({
    workflowId: String(r.workflowId),
    nodeId: String(r.nodeId),
    kind: typeof r.kind === "string" ? r.kind : "",
    failures: n(r.failures),
    handled: n(r.handled),
    runs: n(r.runs),
    lastErrorCode: typeof r.lastErrorCode === "string" ? r.lastErrorCode : "",
    lastAt: r.lastAt instanceof Date ? r.lastAt : new Date(String(r.lastAt)),
  }));
}

export interface UsageRow {
  key: string;
  runs: number;
  tokensInput: number;
  tokensOutput: number;
  costUsd: number;
}

/** Tokens and cost per workflow of the runs created in the window. */
export async function usageByWorkflow(db: Database, w: StatsWindow): Promise<UsageRow[]> {
  const groups = await db.prisma.run.groupBy({
    by: ["workflowId"],
    where: { workspaceId: w.workspaceId, createdAt: { gte: w.from, lt: w.to }, ...(w.workflowId ? { workflowId: w.workflowId } : {}) },
    _sum: { tokensInput: true, tokensOutput: true, costUsd: true },
    _count: { _all: true },
  });
  return groups
    .map((g) => ({
      key: g.workflowId,
      runs: g._count._all,
      tokensInput: g._sum.tokensInput ?? 0,
      tokensOutput: g._sum.tokensOutput ?? 0,
      costUsd: g._sum.costUsd ?? 0,
    }))
    .sort((a, b) => b.costUsd - a.costUsd || b.tokensInput + b.tokensOutput - (a.tokensInput + a.tokensOutput));
}

/** Tokens and cost per model, from the node.finished events (Agent calls) in the window. */
export async function usageByModel(db: Database, w: StatsWindow): Promise<UsageRow[]> {
  const wf = w.workflowId ? ` AND r."workflowId" = $4` : "";
  const sql = `SELECT ${jsonText(db, "model")} AS key, COUNT(DISTINCT e."runId") AS runs,
      SUM(COALESCE(${jsonNum(db, "tokens.input")}, 0)) AS "tokensInput", SUM(COALESCE(${jsonNum(db, "tokens.output")}, 0)) AS "tokensOutput",
      SUM(COALESCE(${jsonNum(db, "costUsd")}, 0)) AS "costUsd"
    FROM "RunEvent" e JOIN "Run" r ON r.id = e."runId"
    WHERE e.type = 'node.finished' AND e."createdAt" >= ${ts(db, 1)} AND e."createdAt" < ${ts(db, 2)} AND r."workspaceId" = $3${wf}
      AND ${jsonText(db, "model")} IS NOT NULL
    GROUP BY 1 ORDER BY 5 DESC, 3 DESC LIMIT 20`;
  const rows = await queryRaw(db, sql, [w.from, w.to, w.workspaceId, ...(w.workflowId ? [w.workflowId] : [])]);
  return rows.map((r) => ({ key: String(r.key), runs: n(r.runs), tokensInput: n(r.tokensInput), tokensOutput: n(r.tokensOutput), costUsd: n(r.costUsd) }));
}

/** Runs waiting for a human approval, oldest first (they have waited longest). */
export async function waitingApprovals(db: Database, w: Pick<StatsWindow, "workspaceId" | "workflowId">, limit = 8) {
  const where = { workspaceId: w.workspaceId, status: "waiting", ...(w.workflowId ? { workflowId: w.workflowId } : {}) };
  const [total, found] = await Promise.all([
    db.prisma.run.count({ where }),
    db.prisma.run.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, workflowId: true, createdAt: true, waitingFor: true },
    }),
  ]);
  const rows = found.map((r) => {
    let waitingFor: WaitingApproval[] = [];
    try {
      waitingFor = parseRunColumn(r.id, "waitingFor", WaitingForSchema, r.waitingFor) ?? [];
    } catch {
      // An unreadable column lists the run without its nodes rather than failing the dashboard.
    }
    return { ...r, waitingFor };
  });
  return { total, rows };
}
