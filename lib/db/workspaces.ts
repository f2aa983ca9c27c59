import "server-only";
import type { Database } from "./client";

/** The workspace every workflow belongs to until workspaces can be created. */
export const DEFAULT_WORKSPACE_ID = "ws_default";

/** Creates the default workspace if it does not exist yet (idempotent, safe to race). */
export async function ensureDefaultWorkspace(db: Database): Promise<void> {
  await db.prisma.workspace.upsert({
    where: { id: DEFAULT_WORKSPACE_ID },
    create: { id: DEFAULT_WORKSPACE_ID, name: "Default workspace" },
    update: {},
  });
}

/** The workspace with this id, or null. */
export function findWorkspace(db: Database, id: string) {
  return db.prisma.workspace.findUnique({ where: { id } });
}
