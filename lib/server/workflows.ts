import "server-only";
import { customAlphabet } from "nanoid";
import { IdSchema, IssueCode, LIMITS, createEmptyWorkflow, parseWorkflow, unknownKindIssues, type ParseResult, type WorkflowDocument } from "@/lib/workflow";
import { type VersionSummary, type WorkflowDetail, type WorkflowSummary } from "@/lib/contracts";
import { getDatabase } from "@/lib/db/database";
import type { Database } from "@/lib/db/client";
import { currentWorkspaceId } from "./request-scope";
import * as workflowsRepo from "@/lib/db/workflows";
import * as versionsRepo from "@/lib/db/workflow-versions";
import { latestRunStatuses } from "@/lib/db/runs";
import { AppError, ErrorCode, notFound, toApiIssues } from "./errors";
import { uniqueImportName } from "./import-name";
import { credentialsFromNames, credentialsToNames, type UnmappedCredential } from "./credentials/portable";
import { isIdParam } from "./path-id";
import { audited } from "./audit";
import type { AuditActor } from "@/lib/contracts/audit-api";

// Use-cases of the workflow API. Route handlers check the request shape and call these; these own
// the rules (documents parsed, ids, versions, concurrency) and throw AppError with stable codes.

const newId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 12);
/** A new workflow id: "wf_" and 12 random characters. */
export const newWorkflowId = () => `wf_${newId()}`;

/** Which workspace requests act in (one default workspace until workspaces can be chosen). */
const workspaceId = currentWorkspaceId;

/**
 * Reads a document from outside (request body, import file) with parseWorkflow.
 * Too many nodes or edges → PAYLOAD_TOO_LARGE (413); any other problem, including a node kind the
 * app does not know (UNKNOWN_KIND), → INVALID_DOCUMENT (400), each issue with its JSON path.
 */
export function parseDocumentInput(input: unknown): WorkflowDocument {
  const read = parseWorkflow(input);
  // A node kind this app does not know can be neither run nor edited: refuse to store it.
  const unknownKinds = read.ok ? unknownKindIssues(read.document) : [];
  const parsed: ParseResult = unknownKinds.length ? { ok: false, issues: unknownKinds } : read;
  if (!parsed.ok) {
    const issues = toApiIssues(parsed.issues);
    if (parsed.issues.some((i) => i.code === IssueCode.TOO_MANY_NODES)) {
      throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, parsed.issues.find((i) => i.code === IssueCode.TOO_MANY_NODES)!.message, { issues });
    }
    const first = issues[0];
    throw new AppError(
      ErrorCode.INVALID_DOCUMENT,
      `The workflow document is not valid (${issues.length} problem${issues.length === 1 ? "" : "s"}${first ? `; first: ${first.path}: ${first.message}` : ""}).`,
      { issues },
    );
  }
  if (parsed.document.edges.length > LIMITS.maxEdges) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The document has ${parsed.document.edges.length} edges; the limit is ${LIMITS.maxEdges}.`, {
      issues: [{ path: "$.edges", code: "TOO_MANY_EDGES", message: `At most ${LIMITS.maxEdges} edges.` }],
    });
  }
  return parsed.document;
}

/** The document with `id` set to the workflow's id, in the schema's key order (id after schemaVersion). */
function withId(document: WorkflowDocument, id: string): WorkflowDocument {
  const { schemaVersion, id: _old, ...rest } = document;
  return { schemaVersion, id, ...rest };
}

const iso = (d: Date) => d.toISOString();

function summary(w: workflowsRepo.WorkflowRow, lastRunStatus: string | null = null): WorkflowSummary {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    version: w.currentVersion,
    nodeCount: w.nodeCount,
    createdAt: iso(w.createdAt),
    updatedAt: iso(w.updatedAt),
    lastRunStatus,
  };
}

async function detail(db: Database, w: workflowsRepo.WorkflowRow): Promise<WorkflowDetail> {
  const v = await versionsRepo.findVersion(db, w.id, w.currentVersion);
  if (!v) throw new AppError(ErrorCode.INTERNAL, `Workflow "${w.id}" has no version ${w.currentVersion}.`);
  return { id: w.id, name: w.name, version: w.currentVersion, createdAt: iso(w.createdAt), updatedAt: iso(w.updatedAt), document: v.document };
}

async function requireWorkflow(db: Database, id: string): Promise<workflowsRepo.WorkflowRow> {
  const w = await workflowsRepo.findWorkflow(db, id);
  if (!w || w.workspaceId !== workspaceId()) throw notFound(`Workflow "${id}"`);
  return w;
}

/** Creates a workflow under a fresh id (or `preferredId` when it is free). */
async function insertWorkflow(db: Database, document: WorkflowDocument, reason: string, preferredId?: string): Promise<workflowsRepo.WorkflowRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = attempt === 0 && preferredId ? preferredId : newWorkflowId();
    const created = await workflowsRepo.createWorkflow(db, { id, workspaceId: workspaceId(), version: { document: withId(document, id), reason } });
    if (created) return created;
  }
  throw new AppError(ErrorCode.INTERNAL, "Could not find a free workflow id.");
}

/** All workflows of the workspace, most recently changed first. */
export async function listWorkflows(): Promise<WorkflowSummary[]> {
  const db = await getDatabase();
  const rows = await workflowsRepo.listWorkflows(db, workspaceId());
  const statuses = await latestRunStatuses(
    db,
    rows.map((w) => w.id),
  );
  return rows.map((w) => summary(w, statuses.get(w.id) ?? null));
}

/**
 * Creates a workflow: from `document` (templates, duplicates; a new id is always chosen) or empty
 * (a Start and an Output node). `name` overrides the document's name.
 */
export async function createWorkflow(input: { name?: string; document?: unknown }, actor?: AuditActor | null): Promise<WorkflowDetail> {
  const db = await getDatabase();
  let document = input.document === undefined ? createEmptyWorkflow(input.name ?? "Untitled workflow") : parseDocumentInput(input.document);
  if (input.name !== undefined) document = { ...document, name: input.name };
  const created = await insertWorkflow(db, document, "create");
  return audited(workspaceId(), "workflow.created", actor, { type: "workflow", id: created.id }, await detail(db, created), (d) => ({ name: d.name }));
}

/** The workflow with its current document. */
export async function getWorkflow(id: string): Promise<WorkflowDetail> {
  const db = await getDatabase();
  return detail(db, await requireWorkflow(db, id));
}

/**
 * Saves a new version. `baseVersion` is the version the editor started from: if the workflow has
 * moved on since, the save is refused with VERSION_CONFLICT (and the current version) unless `force`.
 * The workflow's name and description follow the document's.
 */
export async function saveWorkflow(
  id: string,
  input: { baseVersion: number; document: unknown; force?: boolean },
  actor?: AuditActor | null,
): Promise<WorkflowDetail> {
  const db = await getDatabase();
  await requireWorkflow(db, id);
  const document = withId(parseDocumentInput(input.document), id);
  const result = await workflowsRepo.appendVersion(db, {
    id,
    expectedVersion: input.force ? undefined : input.baseVersion,
    version: { document, reason: "save" },
  });
  return audited(workspaceId(), "workflow.saved", actor, { type: "workflow", id }, await afterAppend(db, id, result), (d) => ({
    version: d.version,
    force: !!input.force,
  }));
}

async function afterAppend(db: Database, id: string, result: workflowsRepo.AppendResult): Promise<WorkflowDetail> {
  if (result.ok) return detail(db, result.workflow);
  if (result.reason === "not_found") throw notFound(`Workflow "${id}"`);
  throw new AppError(
    ErrorCode.VERSION_CONFLICT,
    `The workflow was changed elsewhere: it is at version ${result.currentVersion}. Reload it, or save again with force to overwrite.`,
    { currentVersion: result.currentVersion },
  );
}

/** Renames a workflow (a new version whose document has the new name). */
export async function renameWorkflow(id: string, name: string, actor?: AuditActor | null): Promise<WorkflowDetail> {
  const db = await getDatabase();
  await requireWorkflow(db, id);
  const result = await workflowsRepo.appendVersion(db, {
    id,
    version: async (current, tx) => {
      const v = await versionsRepo.findVersion(tx, id, current.currentVersion);
      if (!v) throw notFound(`Version ${current.currentVersion} of workflow "${id}"`);
      return { document: { ...v.document, name }, reason: "rename" };
    },
  });
  return audited(workspaceId(), "workflow.renamed", actor, { type: "workflow", id }, await afterAppend(db, id, result), (d) => ({
    name: d.name,
    version: d.version,
  }));
}

/** Deletes a workflow and all its versions. */
export async function deleteWorkflow(id: string, actor?: AuditActor | null): Promise<void> {
  const db = await getDatabase();
  const w = await requireWorkflow(db, id);
  if (!(await workflowsRepo.deleteWorkflow(db, id))) throw notFound(`Workflow "${id}"`);
  await audited(workspaceId(), "workflow.deleted", actor, { type: "workflow", id }, w, (x) => ({ name: x.name, version: x.currentVersion }));
}

/** The versions of a workflow, newest first. */
export async function listVersions(id: string): Promise<VersionSummary[]> {
  const db = await getDatabase();
  await requireWorkflow(db, id);
  return (await versionsRepo.listVersions(db, id)).map((v) => ({
    version: v.version,
    createdAt: iso(v.createdAt),
    name: v.name,
    nodeCount: v.nodeCount,
    reason: v.reason,
  }));
}

/** One version of a workflow, as a detail (its document, its number, its name; updatedAt = when it was saved). */
export async function getVersion(id: string, version: number): Promise<WorkflowDetail> {
  const db = await getDatabase();
  const w = await requireWorkflow(db, id);
  const v = await versionsRepo.findVersion(db, id, version);
  if (!v) throw notFound(`Version ${version} of workflow "${id}"`);
  return { id, name: v.name, version: v.version, createdAt: iso(w.createdAt), updatedAt: iso(v.createdAt), document: v.document };
}

/** Restores version N: its document becomes a new version (reason "restore:N"); history is kept. */
export async function restoreVersion(id: string, version: number, actor?: AuditActor | null): Promise<WorkflowDetail> {
  const db = await getDatabase();
  await requireWorkflow(db, id);
  const v = await versionsRepo.findVersion(db, id, version);
  if (!v) throw notFound(`Version ${version} of workflow "${id}"`);
  const result = await workflowsRepo.appendVersion(db, { id, version: { document: withId(v.document, id), reason: `restore:${version}` } });
  return audited(workspaceId(), "workflow.restored", actor, { type: "workflow", id }, await afterAppend(db, id, result), (d) => ({
    from: version,
    version: d.version,
  }));
}

/** The current document for download, with `id` set to the workflow's id, and a file name for it. */
export async function exportWorkflow(id: string): Promise<{ fileName: string; document: WorkflowDocument }> {
  const { document, name } = await getWorkflow(id);
  // Credential ids become names: the importing workspace maps them back (credentials/portable.ts).
  const portable = await credentialsToNames(await getDatabase(), workspaceId(), withId(document, id));
  return { fileName: `${exportFileBase(name)}.aura.json`, document: portable };
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not contain
const UNSAFE_FILE_NAME_CHARS = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

/** A file name from a workflow name: path characters and control characters removed. */
function exportFileBase(name: string): string {
  const base = name.replace(UNSAFE_FILE_NAME_CHARS, "-").replace(/\s+/g, " ").trim().slice(0, 120);
  return base || "workflow";
}

/**
 * Imports a document (parseWorkflow; migrated if older). It keeps its `id` as the workflow id when
 * that id is free, otherwise it gets a new one. A name another workflow already has gets
 * "(imported)" or "(2)" (uniqueImportName); the answer carries the final name for the dialog to say.
 */
export async function importWorkflow(
  input: unknown,
  actor?: AuditActor | null,
): Promise<{ id: string; name: string; unmappedCredentials?: UnmappedCredential[] }> {
  const db = await getDatabase();
  const { document: raw, credentials } = importBody(input);
  const parsed = parseDocumentInput(raw);
  const taken = (await workflowsRepo.listWorkflows(db, workspaceId())).map((w) => w.name);
  const mapped = await credentialsFromNames(db, workspaceId(), parsed, credentials);
  const document = { ...mapped.document, name: uniqueImportName(parsed.name, taken) };
  const wanted = document.id && IdSchema.safeParse(document.id).success && isIdParam(document.id) ? document.id : undefined;
  const created = await insertWorkflow(db, document, "import", wanted);
  // Only when there are some: the answer of an import without credential names stays { id, name }.
  const answer = { id: created.id, name: created.name, ...(mapped.unmapped.length ? { unmappedCredentials: mapped.unmapped } : {}) };
  return audited(workspaceId(), "workflow.imported", actor, { type: "workflow", id: created.id }, answer, (r) => ({ name: r.name }));
}

/**
 * An import body is the document itself, or `{ document, credentials }` where `credentials` maps each
 * credential name of the file to a credential id of this workspace, or null to leave it unset.
 */
function importBody(input: unknown): { document: unknown; credentials: Record<string, string | null> } {
  if (input && typeof input === "object" && !("schemaVersion" in input) && "document" in input) {
    const { document, credentials } = input as { document: unknown; credentials?: unknown };
    const map = credentials && typeof credentials === "object" && !Array.isArray(credentials) ? (credentials as Record<string, unknown>) : {};
    return {
      document,
      credentials: Object.fromEntries(Object.entries(map).filter(([, v]) => v === null || typeof v === "string")) as Record<string, string | null>,
    };
  }
  return { document: input, credentials: {} };
}
