import "server-only";
import { LRUCache } from "lru-cache";
import type { Database } from "@/lib/db/client";
import { findWorkflow } from "@/lib/db/workflows";
import type { DocumentCache } from "./document-cache";

/** How long a workflow's limit is trusted: a changed maxConcurrentRuns holds across all workers within this. */
export const LIMIT_TTL_MS = 1000;

/**
 * maxConcurrentRuns of each workflow's current version, as the database said at most LIMIT_TTL_MS
 * ago (null: the workflow is gone). A queue worker asks before every claim; reading the workflow row
 * each time was one more statement per run on the hot path for a value that changes when someone
 * saves new settings.
 */
export class WorkflowLimits {
  // LRUCache keeps no undefined: a workflow that is gone is kept as -1.
  private readonly limits = new LRUCache<string, number>({ max: 1024, ttl: LIMIT_TTL_MS, ttlAutopurge: false });

  constructor(private readonly docs: DocumentCache) {}

  async get(db: Database, workflowId: string): Promise<number | null> {
    let limit = this.limits.get(workflowId);
    if (limit === undefined) {
      const w = await findWorkflow(db, workflowId);
      limit = w ? (await this.docs.get(db, w.id, w.currentVersion)).settings.maxConcurrentRuns : -1;
      this.limits.set(workflowId, limit);
    }
    return limit < 0 ? null : limit;
  }
}
