import "server-only";
import type { Database } from "@/lib/db/client";
import { appendRunEvents } from "@/lib/db/run-events";
import type { EngineEvent, RunEvent } from "@/lib/contracts/events";
import { publishRunEvents } from "@/lib/realtime/registry";

/** Persists events of a run not executing here (queued, cancel, resume markers), then publishes them. */
export async function recordRunEvents(db: Database, runId: string, events: EngineEvent[], expectedNextSeq?: number): Promise<RunEvent[]> {
  const stored = await appendRunEvents(db, runId, events, expectedNextSeq);
  publishRunEvents(stored);
  return stored;
}
