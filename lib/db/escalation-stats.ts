import "server-only";
import type { Database } from "./client";
import { queryRaw } from "./raw-sql";
import type { StatsWindow } from "./stats";

/** Escalations of one node (an Agent with an Escalate policy) of one workflow in a time window. */
export interface EscalationRow {
  workflowId: string;
  nodeId: string;
  /** Hand-offs to a next level (node.escalation with outcome "escalated"). */
  escalations: number;
  toSupervisor: number;
  toHuman: number;
  /** Steps where no level was left and the last answer was still unsure (or failed). */
  exhausted: number;
  /** Human decisions. */
  approved: number;
  rejected: number;
  /** Runs in which the node escalated at least once. */
  runs: number;
  lastAt: Date;
}

const n = (v: unknown) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : v == null ? 0 : Number(v));
const field = (db: Database, key: string) => (db.provider === "sqlite" ? `json_extract(e.payload, '$.${key}')` : `(e.payload::jsonb #>> '{${key}}')`);
const ts = (db: Database, i: number) => (db.provider === "sqlite" ? `$${i}` : `$${i}::timestamp`);

/**
 * node.escalation events in the window grouped by workflow and node (one GROUP BY in the database,
 * like the dashboard's failing nodes): hand-offs per level, exhausted steps, human decisions, runs.
 * Nodes with only "accepted" levels (the agent was sure) are left out. Most escalations first.
 */
export async function escalationsByNode(db: Database, w: StatsWindow, limit = 20): Promise<EscalationRow[]> {
  const wf = w.workflowId ? ` AND r."workflowId" = $4` : "";
  const outcome = field(db, "outcome");
  const to = field(db, "to");
  const count = (cond: string) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  const sql = `SELECT r."workflowId" AS "workflowId", ${field(db, "nodeId")} AS "nodeId",
      ${count(`${outcome} = 'escalated'`)} AS escalations, ${count(`${to} = 'supervisor'`)} AS "toSupervisor", ${count(`${to} = 'human'`)} AS "toHuman",
      ${count(`${outcome} = 'exhausted'`)} AS exhausted, ${count(`${outcome} = 'approved'`)} AS approved, ${count(`${outcome} = 'rejected'`)} AS rejected,
      COUNT(DISTINCT CASE WHEN ${outcome} IN ('escalated', 'exhausted') THEN e."runId" END) AS runs, MAX(e."createdAt") AS "lastAt"
    FROM "RunEvent" e JOIN "Run" r ON r.id = e."runId"
    WHERE e.type = 'node.escalation' AND e."createdAt" >= ${ts(db, 1)} AND e."createdAt" < ${ts(db, 2)} AND r."workspaceId" = $3${wf}
    GROUP BY 1, 2 HAVING ${count(`${outcome} IN ('escalated', 'exhausted', 'approved', 'rejected')`)} > 0
    ORDER BY 3 DESC, 2 LIMIT ${Math.max(1, Math.floor(limit))}`;
  const rows = await queryRaw(db, sql, [w.from, w.to, w.workspaceId, ...(w.workflowId ? [w.workflowId] : [])]);
  return rows.map((r) => ({
    workflowId: String(r.workflowId),
    nodeId: String(r.nodeId),
    escalations: n(r.escalations),
    toSupervisor: n(r.toSupervisor),
    toHuman: n(r.toHuman),
    exhausted: n(r.exhausted),
    approved: n(r.approved),
    rejected: n(r.rejected),
    runs: n(r.runs),
    lastAt: r.lastAt instanceof Date ? r.lastAt : new Date(String(r.lastAt)),
  }));
}
