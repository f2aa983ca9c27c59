import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { processSingleton } from "@/lib/process-singleton";

/**
 * The workspace (and, for requests, the caller) a use-case acts in. Route handlers run inside the
 * scope the route wrapper (api-route.ts) opens after authorizing; webhooks and schedules open it
 * with the trigger's workspace. Use-cases read it with currentWorkspaceId(); outside any scope they
 * throw, so no code path can fall back to "some" workspace by accident.
 */
export interface Scope {
  workspaceId: string;
  actor: { id: string; email: string; ip: string; userAgent: string | null; via: "session" | "token" } | null;
}

const storage = processSingleton("request-scope", () => new AsyncLocalStorage<Scope>());

/** Runs `fn` inside `scope`. */
export const withScope = <T>(scope: Scope, fn: () => T): T => storage.run(scope, fn);

/** Runs `fn` acting in `workspaceId` with no person behind it (a webhook, a schedule, the local CLI). */
export const inWorkspace = <T>(workspaceId: string, fn: () => T): T => storage.run({ workspaceId, actor: null }, fn);

export function currentScope(): Scope {
  const scope = storage.getStore();
  if (!scope) throw new Error("No workspace scope: call this use-case from a route (api-route.ts) or inside inWorkspace().");
  return scope;
}

/** The workspace of the current request or job. */
export const currentWorkspaceId = (): string => currentScope().workspaceId;

/** The person behind the current request, or null (no scope, or a webhook/schedule/system action). */
export const scopeActor = (): Scope["actor"] => storage.getStore()?.actor ?? null;

/**
 * Makes the rest of a script (a bench, a fixture) act in `workspaceId`, from this point of its async
 * flow on. Never call it in the server: requests get their scope from the route wrapper.
 */
export const enterWorkspaceForScript = (workspaceId: string): void => storage.enterWith({ workspaceId, actor: null });
