import "server-only";
import type { WorkflowDocument } from "@/lib/workflow";
import type { Workflow } from "./generated/sqlite/client";
import type { Database, DbClient } from "./client";
import { serializeDocument } from "./documents";

/** A workflow row: identity plus the cached facts of its current version. */
export type WorkflowRow = Workflow;

/** What a new version stores; `name`, `description` and `nodeCount` are cached on the workflow too. */
export interface NewVersion {
  document: WorkflowDocument;
  /** "create", "save", "rename", "import", "restore:<n>". */
  reason: string;
}

function cachedFacts(document: WorkflowDocument) {
  return { name: document.name, description: document.description, nodeCount: document.nodes.length };
}

/** Workflows of a workspace, most recently changed first. */
export function listWorkflows(db: Database, workspaceId: string): Promise<WorkflowRow[]> {
  return db.prisma.workflow.findMany({ where: { workspaceId }, orderBy: [{ updatedAt: "desc" }, { id: "asc" }] });
}

/** Ids and names of a workspace's workflows (name search resolves to ids; workflows are few next to runs). */
export function listWorkflowNames(db: Database, workspaceId: string): Promise<{ id: string; name: string }[]> {
  return db.prisma.workflow.findMany({ where: { workspaceId }, select: { id: true, name: true } });
}

/** The workflow with this id, or null. */
export function findWorkflow(db: Database, id: string): Promise<WorkflowRow | null> {
  return db.prisma.workflow.findUnique({ where: { id } });
}

/** True if a workflow uses this id. */
export async function workflowIdTaken(db: Database, id: string): Promise<boolean> {
  return (await db.prisma.workflow.count({ where: { id } })) > 0;
}

/** The error Prisma raises on a unique constraint (here: an id already used). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  // P2002 from model queries; raw queries report P2010 with the driver's error kind; the run hot
  // path's own connections throw better-sqlite3's SqliteError (sqlite-writes.ts) and node-postgres's
  // errors with the SQLSTATE (pg-writes.ts).
  return (
    e.code === "23505" ||
    e.code === "P2002" ||
    (e.code === "P2010" && e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation") ||
    e.code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
    e.code === "SQLITE_CONSTRAINT_UNIQUE"
  );
}

/**
 * Creates a workflow with its version 1 in one transaction. Returns null if the id is taken.
 */
export async function createWorkflow(db: Database, input: { id: string; workspaceId: string; version: NewVersion }): Promise<WorkflowRow | null> {
  const { id, workspaceId, version } = input;
  const facts = cachedFacts(version.document);
  try {
    const [workflow] = await db.prisma.$transaction([
      db.prisma.workflow.create({ data: { id, workspaceId, currentVersion: 1, ...facts } }),
      db.prisma.workflowVersion.create({
        data: {
          workflowId: id,
          version: 1,
          reason: version.reason,
          name: facts.name,
          nodeCount: facts.nodeCount,
          document: serializeDocument(version.document),
        },
      }),
    ]);
    return workflow;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export type AppendResult = { ok: true; workflow: WorkflowRow } | { ok: false; reason: "not_found" } | { ok: false; reason: "conflict"; currentVersion: number };

class LostRace extends Error {}

/**
 * Appends version `current + 1` to a workflow. With `expectedVersion`, refuses (conflict) unless the
 * workflow's current version is that one (optimistic concurrency); without it, appends on top of
 * whatever is current. The check and the write are one compare-and-set in a transaction, so two
 * concurrent saves on the same base cannot both win.
 */
export async function appendVersion(
  db: Database,
  input: { id: string; expectedVersion?: number; version: NewVersion | ((current: WorkflowRow, tx: Database) => Promise<NewVersion> | NewVersion) },
): Promise<AppendResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.prisma.$transaction(async (tx) => {
        const current = await tx.workflow.findUnique({ where: { id: input.id } });
        if (!current) return { ok: false, reason: "not_found" } as const;
        if (input.expectedVersion !== undefined && current.currentVersion !== input.expectedVersion) {
          return { ok: false, reason: "conflict", currentVersion: current.currentVersion } as const;
        }
        // The callback reads through this transaction (on SQLite a plain query would wait for it to end).
        const inTx: Database = { ...db, prisma: tx as unknown as DbClient };
        const version = typeof input.version === "function" ? await input.version(current, inTx) : input.version;
        const next = current.currentVersion + 1;
        const facts = cachedFacts(version.document);
        const moved = await tx.workflow.updateMany({
          where: { id: input.id, currentVersion: current.currentVersion },
          data: { currentVersion: next, ...facts },
        });
        if (moved.count !== 1) throw new LostRace();
        await tx.workflowVersion.create({
          data: {
            workflowId: input.id,
            version: next,
            reason: version.reason,
            name: facts.name,
            nodeCount: facts.nodeCount,
            document: serializeDocument(version.document),
          },
        });
        const workflow = await tx.workflow.findUniqueOrThrow({ where: { id: input.id } });
        return { ok: true, workflow } as const;
      });
    } catch (error) {
      // Another writer moved the workflow between our read and our write: read again (a save with
      // an expected version then reports the conflict).
      if ((error instanceof LostRace || isUniqueViolation(error)) && attempt < 10) continue;
      throw error;
    }
  }
}

/** Deletes a workflow and its versions. Returns false if there was none. */
export async function deleteWorkflow(db: Database, id: string): Promise<boolean> {
  const { count } = await db.prisma.workflow.deleteMany({ where: { id } });
  return count > 0;
}
