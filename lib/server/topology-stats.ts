import "server-only";
import { analyzeTopology, aggregateRunStats, type RunNodeRecordInput, type TopologyReport, type TopologyStats } from "@/lib/topology";
import type { WorkflowDocument } from "@/lib/workflow";
import type { RunEvent } from "@/lib/contracts/events";
import { getDatabase } from "@/lib/db/database";
import { currentWorkspaceId } from "./request-scope";
import * as workflowsRepo from "@/lib/db/workflows";
import { listFinishedRunIds } from "@/lib/db/runs";
import { listEventsOfRuns } from "@/lib/db/run-events";
import { notFound } from "./errors";
import { getRunManager } from "./runs/manager";

/** What the report was computed from. */
export interface ObservedWindow {
  /** Finished runs whose node events went into the stats. */
  runs: number;
  /** The document version analysed (the workflow's current one). */
  version: number;
  /** createdAt of the oldest and newest analysed run (ISO), null without runs. */
  from: string | null;
  to: string | null;
}

export type WorkflowTopology = TopologyReport & { observed: ObservedWindow };

const NODE_TYPES = ["node.started", "node.finished", "node.failed", "node.skipped", "node.throttled"];

/**
 * Per-attempt run records (lib/topology's input) from the node events of runs: one record per
 * node.finished / node.failed (start = end − duration), node.skipped as skipped, a node.started
 * without an end (cancelled mid-node) as cancelled at the run's last event. Only top-level nodes
 * (events inside sub-workflows carry a scope and belong to another document). Edges taken: the
 * node's outgoing edges on the port it continued on (all of them when the node has no named port).
 */
export function runNodeRecords(doc: WorkflowDocument, eventsByRun: Map<string, RunEvent[]>): RunNodeRecordInput[] {
  const out: RunNodeRecordInput[] = [];
  const outgoing = new Map<string, { id: string; handle: string | null }[]>();
  for (const e of doc.edges) {
    const list = outgoing.get(e.source) ?? [];
    list.push({ id: e.id, handle: e.sourceHandle ?? null });
    outgoing.set(e.source, list);
  }
  const taken = (nodeId: string, port?: string) => (outgoing.get(nodeId) ?? []).filter((e) => !port || !e.handle || e.handle === port).map((e) => e.id);
  for (const [runId, events] of eventsByRun) {
    const open = new Map<string, { ts: number; attempt: number; nodeId: string; queuedMs: number }>();
    let lastTs = 0;
    for (const e of events) {
      lastTs = Math.max(lastTs, e.ts);
      // Time a call waited for its provider's rate limit is queue wait of the attempt (lib/engine/resilience).
      if (e.type === "node.throttled") {
        const o = !e.scope?.length && e.phase === "admitted" ? open.get(`${e.nodeId}|${e.itemIndex ?? ""}`) : undefined;
        if (o) o.queuedMs += e.waitedMs ?? 0;
        continue;
      }
      if (e.type !== "node.started" && e.type !== "node.finished" && e.type !== "node.failed" && e.type !== "node.skipped") continue;
      if (e.scope?.length) continue;
      const key = `${e.nodeId}|${e.itemIndex ?? ""}`;
      if (e.type === "node.started") {
        open.set(key, { ts: e.ts, attempt: e.attempt, nodeId: e.nodeId, queuedMs: 0 });
      } else if (e.type === "node.skipped") {
        out.push({ runId, nodeId: e.nodeId, status: "skipped", startedAt: e.ts, finishedAt: e.ts });
      } else {
        const queuedMs = open.get(key)?.queuedMs ?? 0;
        open.delete(key);
        const start = Math.min(e.ts, e.ts - e.durationMs);
        out.push({
          runId,
          nodeId: e.nodeId,
          attempt: e.attempt,
          status: e.type === "node.finished" ? "succeeded" : "failed",
          startedAt: start,
          finishedAt: e.ts,
          tokens: e.type === "node.finished" && e.tokens ? e.tokens.input + e.tokens.output : 0,
          costUsd: e.type === "node.finished" ? (e.costUsd ?? 0) : 0,
          edgesTaken: e.type === "node.finished" ? taken(e.nodeId, e.port) : e.handled ? taken(e.nodeId, "error") : [],
          ...(queuedMs ? { queuedMs } : {}),
        });
      }
    }
    for (const o of open.values())
      out.push({
        runId,
        nodeId: o.nodeId,
        attempt: o.attempt,
        status: "cancelled",
        startedAt: o.ts,
        finishedAt: Math.max(o.ts, lastTs),
        ...(o.queuedMs ? { queuedMs: o.queuedMs } : {}),
      });
  }
  return out;
}

/**
 * The observed stats of a workflow's current version over its latest `runs` finished runs (succeeded
 * or failed), optionally only runs created before `before`. The editor asks for these alone
 * (`view=stats`) and analyses in its Web Worker; parsing a whole report on the main thread is slow.
 */
export async function workflowObservedStats(
  workflowId: string,
  q: { runs: number; before?: Date },
): Promise<{ doc: WorkflowDocument; stats: TopologyStats | undefined; observed: ObservedWindow }> {
  const db = await getDatabase();
  const w = await workflowsRepo.findWorkflow(db, workflowId);
  if (!w || w.workspaceId !== currentWorkspaceId()) throw notFound(`Workflow "${workflowId}"`);
  const doc = await getRunManager().document(db, w.id, w.currentVersion);
  const runs = await listFinishedRunIds(db, workflowId, { limit: q.runs, before: q.before });
  const eventsByRun = await listEventsOfRuns(
    db,
    runs.map((r) => r.id),
    NODE_TYPES,
  );
  const stats = runs.length ? aggregateRunStats(runNodeRecords(doc, eventsByRun), { runs: runs.length }) : undefined;
  return {
    doc,
    stats,
    observed: {
      runs: runs.length,
      version: w.currentVersion,
      from: runs.length ? runs[runs.length - 1].createdAt.toISOString() : null,
      to: runs.length ? runs[0].createdAt.toISOString() : null,
    },
  };
}

/**
 * The bottleneck report of a workflow's current version over the observed stats of its latest `runs`
 * finished runs. GET /api/workflows/:id/topology?runs=N&before=.
 */
export async function workflowTopology(workflowId: string, q: { runs: number; before?: Date }): Promise<WorkflowTopology> {
  const { doc, stats, observed } = await workflowObservedStats(workflowId, q);
  return { ...analyzeTopology(doc, stats), observed };
}
