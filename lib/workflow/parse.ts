import type { z } from "zod";
import { LIMITS, PIN_MAX_BYTES, WorkflowDocumentSchema, type WorkflowDocument } from "./schema";
import { migrateDocument } from "./migrations";
import { IssueCode, type WorkflowIssue } from "./issues";

export type ParseResult = { ok: true; document: WorkflowDocument; migratedFrom: number | null } | { ok: false; issues: WorkflowIssue[] };

const structural = (code: IssueCode, message: string, path: (string | number)[] = [], extra: Partial<WorkflowIssue> = {}): WorkflowIssue => ({
  code,
  severity: "error",
  message,
  path,
  ...extra,
});

/** Converts zod issues to document issues with JSON paths. */
export function zodIssuesToWorkflowIssues(error: z.ZodError, prefix: (string | number)[] = []): WorkflowIssue[] {
  return error.issues.map((i) => structural(IssueCode.SCHEMA_INVALID, i.message, [...prefix, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))]));
}

/**
 * THE way to read a workflow document from outside (API body, file, database row, local draft):
 * 1. refuse anything that is not a JSON object;
 * 2. migrate older schema versions, refuse newer ones;
 * 3. check the shape with the zod schema (every error with its JSON path);
 * 4. check integrity: unique ids, edges that point at existing nodes, the node limit.
 * Graph problems (no start, unreachable nodes, …) are not parse errors: see validateWorkflow.
 */
export function parseWorkflow(input: unknown): ParseResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, issues: [structural(IssueCode.SCHEMA_INVALID, "A workflow document must be a JSON object.")] };
  }
  const migrated = migrateDocument(input as Record<string, unknown>);
  if (!migrated.ok) return { ok: false, issues: [structural(migrated.code, migrated.message, ["schemaVersion"])] };

  const nodes = migrated.doc.nodes;
  if (Array.isArray(nodes) && nodes.length > LIMITS.maxNodes) {
    return { ok: false, issues: [structural(IssueCode.TOO_MANY_NODES, `The document has ${nodes.length} nodes; the limit is ${LIMITS.maxNodes}.`, ["nodes"])] };
  }

  const parsed = WorkflowDocumentSchema.safeParse(migrated.doc);
  if (!parsed.success) return { ok: false, issues: zodIssuesToWorkflowIssues(parsed.error) };

  const integrity = checkIntegrity(parsed.data);
  if (integrity.length) return { ok: false, issues: integrity };
  return { ok: true, document: parsed.data, migratedFrom: migrated.from === parsed.data.schemaVersion ? null : migrated.from };
}

/** Duplicate ids and edges whose ends do not exist: a document with these cannot be drawn or run. */
export function checkIntegrity(doc: WorkflowDocument): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const nodeIds = new Set<string>();
  doc.nodes.forEach((n, i) => {
    if (nodeIds.has(n.id)) issues.push(structural(IssueCode.DUPLICATE_ID, `Node id "${n.id}" is used more than once.`, ["nodes", i, "id"], { nodeId: n.id }));
    nodeIds.add(n.id);
  });
  const edgeIds = new Set<string>();
  doc.edges.forEach((e, i) => {
    if (edgeIds.has(e.id)) issues.push(structural(IssueCode.DUPLICATE_ID, `Edge id "${e.id}" is used more than once.`, ["edges", i, "id"], { edgeId: e.id }));
    edgeIds.add(e.id);
    if (!nodeIds.has(e.source))
      issues.push(
        structural(IssueCode.DANGLING_EDGE, `Edge "${e.id}" starts at node "${e.source}", which does not exist.`, ["edges", i, "source"], { edgeId: e.id }),
      );
    if (!nodeIds.has(e.target))
      issues.push(
        structural(IssueCode.DANGLING_EDGE, `Edge "${e.id}" ends at node "${e.target}", which does not exist.`, ["edges", i, "target"], { edgeId: e.id }),
      );
  });
  const noteIds = new Set<string>();
  doc.notes.forEach((n, i) => {
    if (noteIds.has(n.id) || nodeIds.has(n.id))
      issues.push(structural(IssueCode.DUPLICATE_ID, `Note id "${n.id}" is used more than once.`, ["notes", i, "id"]));
    noteIds.add(n.id);
  });
  issues.push(...checkPins(doc));
  return issues;
}

/** The size of a pinned output as UTF-8 JSON, what PIN_MAX_BYTES limits. */
export function pinSizeBytes(output: unknown): number {
  return new TextEncoder().encode(JSON.stringify(output)).length;
}

/** Pins must belong to an existing node that is not an Output (its value is the run result) and stay under 1 MB. */
export function checkPins(doc: WorkflowDocument): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const kinds = new Map(doc.nodes.map((n) => [n.id, n.kind]));
  for (const [nodeId, pin] of Object.entries(doc.pins)) {
    const kind = kinds.get(nodeId);
    const path = ["pins", nodeId];
    if (kind === undefined) {
      issues.push(structural(IssueCode.PIN_UNKNOWN_NODE, `Pinned output for node "${nodeId}", which does not exist. Remove the pin.`, path, { nodeId }));
    } else if (kind === "output") {
      issues.push(
        structural(IssueCode.PIN_NOT_ALLOWED, `Output node "${nodeId}" cannot be pinned: its value is the run result. Pin the node before it.`, path, {
          nodeId,
        }),
      );
    }
    const bytes = pinSizeBytes(pin.output);
    if (bytes > PIN_MAX_BYTES) {
      issues.push(
        structural(IssueCode.PIN_TOO_LARGE, `The pinned output of "${nodeId}" is ${(bytes / 1024 / 1024).toFixed(2)} MB; the limit is 1 MB.`, path, { nodeId }),
      );
    }
  }
  return issues;
}
