import "server-only";
import type { EngineEvent, RunEvent } from "@/lib/realtime/events";
import type { RunEventSource, RunInfo } from "@/lib/realtime/run-event-source";
import type { Database } from "./client";
import { isUniqueViolation } from "./workflows";

function rows(runId: string, events: readonly EngineEvent[], firstSeq: number) {
  return events.map((e, i) => {
    const seq = firstSeq + i;
    return { runId, seq, type: e.type, payload: JSON.stringify({ ...e, runId, seq }) };
  });
}

/** The next free seq of a run (0 for a run without events). */
export async function nextSeq(db: Database, runId: string): Promise<number> {
  const agg = await db.prisma.runEvent.aggregate({ where: { runId }, _max: { seq: true } });
  return (agg._max.seq ?? -1) + 1;
}

/**
 * Appends events to a run with the next sequence numbers, atomically (all or none), and returns them
 * with their seq. `expectedNextSeq` (the writer's own count) skips the read; if another writer took
 * those numbers the unique (runId, seq) key refuses the batch and it is appended after theirs.
 */
export async function appendRunEvents(db: Database, runId: string, events: readonly EngineEvent[], expectedNextSeq?: number): Promise<RunEvent[]> {
  if (!events.length) return [];
  // One INSERT of the whole batch is atomic; the unique (runId, seq) key makes a lost race fail
  // instead of interleaving, and the batch is then numbered again after the winner's events.
  // (No interactive transaction: on SQLite those hold the one connection and time out under load.)
  let first = expectedNextSeq ?? (await nextSeq(db, runId));
  for (let attempt = 0; ; attempt++) {
    try {
      await db.prisma.runEvent.createMany({ data: rows(runId, events, first) });
      return events.map((e, i) => ({ ...e, runId, seq: first + i }) as RunEvent);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 20) throw error;
      first = await nextSeq(db, runId);
    }
  }
}

/** Events with seq > afterSeq, ascending, at most `limit`; `types` / `excludeTypes` filter. */
export async function listRunEvents(db: Database, runId: string, afterSeq: number, limit: number, filter: { excludeTypes?: string[] } = {}): Promise<RunEvent[]> {
  const found = await db.prisma.runEvent.findMany({
    where: { runId, seq: { gt: afterSeq }, ...(filter.excludeTypes?.length ? { type: { notIn: filter.excludeTypes } } : {}) },
    orderBy: { seq: "asc" },
    take: limit,
    select: { payload: true },
  });
  return found.map((r) => JSON.parse(r.payload) as RunEvent);
}

/** The realtime layer's event store over the database (registered at boot). */
export function createDbRunEventSource(getDb: () => Promise<Database>): RunEventSource {
  return {
    async listAfter(runId, afterSeq, limit) {
      return listRunEvents(await getDb(), runId, afterSeq, limit);
    },
    async runInfo(runId): Promise<RunInfo | null> {
      const db = await getDb();
      return db.prisma.run.findUnique({ where: { id: runId }, select: { workspaceId: true, workflowId: true } });
    },
    async workspaceOfWorkflow(workflowId) {
      const db = await getDb();
      return (await db.prisma.workflow.findUnique({ where: { id: workflowId }, select: { workspaceId: true } }))?.workspaceId ?? null;
    },
  };
}
