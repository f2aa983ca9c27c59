import "server-only";
import type { WorkflowDocument } from "@/lib/workflow";
import type { WorkflowVersion } from "./generated/sqlite/client";
import type { Database } from "./client";
import { readStoredDocument } from "./documents";

/** A version without its document (for lists). */
export type VersionRow = Omit<WorkflowVersion, "document">;

/** A version with its parsed document. */
export type VersionWithDocument = VersionRow & { document: WorkflowDocument };

const summaryFields = { workflowId: true, version: true, name: true, reason: true, nodeCount: true, createdAt: true } as const;

/** The versions of a workflow, newest first, without documents. Versions are never updated. */
export function listVersions(db: Database, workflowId: string): Promise<VersionRow[]> {
  return db.prisma.workflowVersion.findMany({ where: { workflowId }, select: summaryFields, orderBy: { version: "desc" } });
}

/** One version with its document (parsed with parseWorkflow), or null. */
export async function findVersion(db: Database, workflowId: string, version: number): Promise<VersionWithDocument | null> {
  const row = await db.prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } } });
  if (!row) return null;
  const { document, ...rest } = row;
  return { ...rest, document: readStoredDocument(document, { workflowId, version }) };
}
