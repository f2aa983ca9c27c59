import "server-only";
import type { EngineEvent, RunEvent } from "@/lib/contracts/events";
import type { RunEventSource, RunInfo } from "@/lib/contracts/run-event-source";
import type { Database } from "./client";
import { isUniqueViolation } from "./workflows";
import { writeAtomically, type WriteStatement } from "./sqlite-writes";

interface EventRow {
  runId: string;
  seq: number;
  type: string;
  payload: string;
}

function rows(runId: string, events: readonly EngineEvent[], firstSeq: number): EventRow[] {
  return events.map((e, i) => {
    const seq = firstSeq + i;
    return { runId, seq, type: e.type, payload: JSON.stringify({ ...e, runId, seq }) };
  });
}

/** Rows per INSERT: 5 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 4000;

/**
 * Inserts event rows atomically (all or none). Raw multi-row INSERTs: Prisma's createMany compiles a
 * query plan on the calling thread for every call, and at hundreds of calls a second on the server's
 * main thread that cost (about 1 ms for 10 rows) was what held its event loop up. One statement is
 * atomic by itself; more than one (a very large batch) run in one transaction.
 */
async function insertRows(db: Database, data: readonly EventRow[]): Promise<void> {
  await writeAtomically(db, insertStatements(data));
}

/** The INSERTs of insertRows (several for a very large batch, then written in one transaction). */
function insertStatements(data: readonly EventRow[]): WriteStatement[] {
  const statements: WriteStatement[] = [];
  for (let from = 0; from < data.length; from += ROWS_PER_STATEMENT) {
    const chunk = data.slice(from, from + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const now = new Date();
    const values = chunk.map((r) => {
      const at = params.length;
      params.push(r.runId, r.seq, r.type, r.payload, now);
      return `(${[0, 1, 2, 3, 4].map((k) => `$${at + k + 1}`).join(", ")})`;
    });
    statements.push({ sql: `INSERT INTO "RunEvent" ("runId", "seq", "type", "payload", "createdAt") VALUES ${values.join(", ")}`, params });
  }
  return statements;
}

/**
 * The first events of a run created in the same transaction (seq from `firstSeq`, numbers nobody can
 * hold yet): the INSERT statements, to write with the run's own row (writeAtomically), and the events
 * as they will be stored.
 */
export function newRunEventsInsert(runId: string, events: readonly EngineEvent[], firstSeq: number) {
  return {
    statements: insertStatements(rows(runId, events, firstSeq)),
    stored: events.map((e, i): RunEvent => ({ ...e, runId, seq: firstSeq + i })),
  };
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
  // The unique (runId, seq) key makes a lost race fail instead of interleaving, and the batch is then
  // numbered again after the winner's events. (No interactive transaction: on SQLite those hold the
  // one connection and time out under load.)
  let first = expectedNextSeq ?? (await nextSeq(db, runId));
  for (let attempt = 0; ; attempt++) {
    try {
      await insertRows(db, rows(runId, events, first));
      return events.map((e, i) => ({ ...e, runId, seq: first + i }));
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 20) throw error;
      first = await nextSeq(db, runId);
    }
  }
}

/**
 * Appends the events of many runs in one INSERT (the run manager's hot path: one statement per turn
 * of the event loop instead of one per run), each run's batch numbered from its `firstSeq`. If any
 * run's numbers were taken by another writer, the whole INSERT is refused (atomic) and each batch is
 * appended on its own, renumbered as appendRunEvents does. Returns the stored events per batch.
 */
export async function appendRunEventBatches(
  db: Database,
  batches: readonly { runId: string; events: readonly EngineEvent[]; firstSeq: number }[],
): Promise<RunEvent[][]> {
  const data = batches.flatMap((b) => rows(b.runId, b.events, b.firstSeq));
  if (!data.length) return batches.map(() => []);
  try {
    await insertRows(db, data);
    return batches.map((b) => b.events.map((e, i) => ({ ...e, runId: b.runId, seq: b.firstSeq + i })));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const stored: RunEvent[][] = [];
    for (const b of batches) stored.push(await appendRunEvents(db, b.runId, b.events, b.firstSeq));
    return stored;
  }
}

/** Events with seq > afterSeq, ascending, at most `limit`; `types` / `excludeTypes` filter. */
export async function listRunEvents(
  db: Database,
  runId: string,
  afterSeq: number,
  limit: number,
  filter: { excludeTypes?: string[] } = {},
): Promise<RunEvent[]> {
  const found = await db.prisma.runEvent.findMany({
    where: { runId, seq: { gt: afterSeq }, ...(filter.excludeTypes?.length ? { type: { notIn: filter.excludeTypes } } : {}) },
    orderBy: { seq: "asc" },
    take: limit,
    select: { payload: true },
  });
  return found.map((r) => JSON.parse(r.payload) as RunEvent);
}

/** The highest seq of a run's events (-1 for a run without events). */
export async function lastSeq(db: Database, runId: string): Promise<number> {
  const agg = await db.prisma.runEvent.aggregate({ where: { runId }, _max: { seq: true } });
  return agg._max.seq ?? -1;
}

/** Events of the given types of many runs, per run in seq order (IN lists chunked under the bind-parameter limits). */
export async function listEventsOfRuns(db: Database, runIds: readonly string[], types: readonly string[]): Promise<Map<string, RunEvent[]>> {
  const byRun = new Map<string, RunEvent[]>(runIds.map((id) => [id, []]));
  for (let i = 0; i < runIds.length; i += 500) {
    const rows = await db.prisma.runEvent.findMany({
      where: { runId: { in: runIds.slice(i, i + 500) }, type: { in: [...types] } },
      orderBy: [{ runId: "asc" }, { seq: "asc" }],
      select: { runId: true, payload: true },
    });
    for (const r of rows) byRun.get(r.runId)!.push(JSON.parse(r.payload) as RunEvent);
  }
  return byRun;
}

/** Every event of a run except token chunks and state updates (the run's story, without the bulk), ascending. */
export async function listRunStory(db: Database, runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for (let after = -1; ;) {
    const page = await listRunEvents(db, runId, after, 5000, { excludeTypes: ["token", "state.update"] });
    events.push(...page);
    if (page.length < 5000) return events;
    after = page[page.length - 1].seq;
  }
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
