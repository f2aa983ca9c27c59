import "server-only";
import { randomBytes } from "node:crypto";
import type { Database } from "@/lib/db/client";
import * as accounts from "@/lib/db/accounts";
import type { SessionInfo } from "@/lib/contracts";
import { forgetMemberships, workspacesOf, type Caller } from "./caller";
import { AuthError, AuthErrorCode } from "./errors";

/** Who the caller is and where (GET /api/auth/session). */
export async function sessionInfo(db: Database, caller: Caller): Promise<SessionInfo> {
  let all = await workspacesOf(db, caller.userId);
  // The list is cached for seconds: a workspace joined or created a moment ago (in another process) reloads it.
  if (!all.some((w) => w.id === caller.workspaceId)) {
    forgetMemberships(caller.userId);
    all = await workspacesOf(db, caller.userId);
  }
  // A token sees only its own workspace.
  const workspaces = caller.via === "token" ? all.filter((w) => w.id === caller.workspaceId) : all;
  const current = workspaces.find((w) => w.id === caller.workspaceId) ?? { id: caller.workspaceId, name: "", role: caller.role };
  return {
    user: { id: caller.userId, email: caller.email, name: caller.name },
    workspace: { ...current, role: caller.role },
    workspaces,
    via: caller.via,
  };
}

/** Creates a workspace; the caller becomes its owner. */
export async function createWorkspace(db: Database, caller: Caller, name: string) {
  if (caller.via !== "session") throw new AuthError(AuthErrorCode.FORBIDDEN, "Create workspaces from a signed-in browser, not with an API token.");
  const ws = await accounts.createWorkspaceRow(db, `ws_${randomBytes(8).toString("hex")}`, name, caller.userId);
  forgetMemberships(caller.userId);
  return { id: ws.id, name: ws.name, role: "owner" as const };
}

/** Checks the caller is a member of `workspaceId` (the route then sets the workspace cookie). */
export async function assertMember(db: Database, caller: Caller, workspaceId: string) {
  if (caller.via !== "session") throw new AuthError(AuthErrorCode.FORBIDDEN, "A token belongs to one workspace; it cannot switch.");
  const ws = (await workspacesOf(db, caller.userId)).find((w) => w.id === workspaceId);
  if (!ws) throw new AuthError(AuthErrorCode.NOT_FOUND, `You are not a member of workspace "${workspaceId}".`);
  return ws;
}
