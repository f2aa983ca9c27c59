import "server-only";
import { customAlphabet } from "nanoid";
import type { Database } from "./client";

const newId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 16);

/** One memory item (the engine's MemoryRecord shape). */
export interface MemoryItemRecord {
  id: string;
  namespace: string;
  content: string;
  tags: string[];
  createdAt: number;
}

function record(row: { id: string; namespace: string; content: string; tags: string; createdAt: Date }): MemoryItemRecord {
  let tags: string[] = [];
  try {
    tags = JSON.parse(row.tags) as string[];
  } catch {
    // A corrupt tags column reads as no tags rather than hiding the memory item.
  }
  return { id: row.id, namespace: row.namespace, content: row.content, tags, createdAt: row.createdAt.getTime() };
}

/** Stores a memory item in a workspace's namespace. */
export async function insertMemory(db: Database, workspaceId: string, namespace: string, content: string, tags: string[]): Promise<MemoryItemRecord> {
  return record(await db.prisma.memoryItem.create({ data: { id: `mem_${newId()}`, workspaceId, namespace, content, tags: JSON.stringify(tags) } }));
}

/** The newest `limit` items of a namespace, newest first (the candidates a similarity search ranks). */
export async function recentMemory(db: Database, workspaceId: string, namespace: string, limit: number): Promise<MemoryItemRecord[]> {
  const rows = await db.prisma.memoryItem.findMany({ where: { workspaceId, namespace }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
  return rows.map(record);
}

/** Memory items of a workspace (optionally one namespace), oldest first (inspection and tests). */
export async function listMemory(db: Database, workspaceId: string, namespace?: string): Promise<MemoryItemRecord[]> {
  const rows = await db.prisma.memoryItem.findMany({
    where: { workspaceId, ...(namespace ? { namespace } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(record);
}
