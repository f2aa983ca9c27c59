import "server-only";
import { LRUCache } from "lru-cache";
import type { WorkflowDocument } from "@/lib/workflow";
import type { Database } from "@/lib/db/client";
import { findVersion } from "@/lib/db/workflow-versions";

/** Documents kept; the least recently used is dropped beyond this. */
const MAX_DOCUMENTS = 256;

/** Workflow version documents by `workflowId@version`, cached: a saved version never changes. */
export class DocumentCache {
  private readonly docs = new LRUCache<string, WorkflowDocument>({ max: MAX_DOCUMENTS });

  /** The document of a workflow version; throws when the version does not exist. */
  async get(db: Database, workflowId: string, version: number): Promise<WorkflowDocument> {
    const key = `${workflowId}@${version}`;
    let doc = this.docs.get(key);
    if (!doc) {
      const v = await findVersion(db, workflowId, version);
      if (!v) throw new Error(`Workflow "${workflowId}" has no version ${version}.`);
      doc = v.document;
      this.docs.set(key, doc);
    }
    return doc;
  }
}
