import "server-only";
import { formatPath, parseWorkflow, type WorkflowDocument } from "@/lib/workflow";

/** A document stored in the database that no longer parses (hand-edited row, or a newer app wrote it). */
export class StoredDocumentError extends Error {
  readonly code = "STORED_DOCUMENT_INVALID";
  constructor(
    readonly workflowId: string,
    readonly version: number,
    readonly details: string,
  ) {
    super(`The stored document of workflow "${workflowId}" version ${version} cannot be read: ${details}`);
    this.name = "StoredDocumentError";
  }
}

/** The text stored for a document (JSON; parse with readStoredDocument). */
export function serializeDocument(document: WorkflowDocument): string {
  return JSON.stringify(document);
}

/** Every document read from the database goes through here: JSON, then parseWorkflow (migrate + validate). */
export function readStoredDocument(text: string, where: { workflowId: string; version: number }): WorkflowDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StoredDocumentError(where.workflowId, where.version, `not JSON (${(error as Error).message})`);
  }
  const parsed = parseWorkflow(raw);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new StoredDocumentError(where.workflowId, where.version, first ? `${formatPath(first.path)}: ${first.message}` : "invalid document");
  }
  return parsed.document;
}
