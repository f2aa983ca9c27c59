import os from "node:os";

/** What a process does: serve UI + API ("web"), execute runs ("worker"), or both ("all", the default). */
export type AuraRole = "all" | "web" | "worker";

const ROLES: readonly AuraRole[] = ["all", "web", "worker"];

/** AURA_ROLE, checked: a typo must stop the start, not turn a worker into a web server. */
export function auraRole(env: NodeJS.ProcessEnv = process.env): AuraRole {
  const value = (env.AURA_ROLE ?? "all").trim() || "all";
  if (!(ROLES as readonly string[]).includes(value)) throw new Error(`AURA_ROLE="${value}" is not a role; use one of: ${ROLES.join(", ")}.`);
  return value as AuraRole;
}

/** True when runs go through the shared BullMQ queue: REDIS_URL is set. */
export function queueMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.REDIS_URL;
}

/** Prefix of every Redis key of the queue (AURA_QUEUE_PREFIX, default "aura"): several installations or tests can share one Redis. */
export function queuePrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.AURA_QUEUE_PREFIX?.trim() || "aura";
}

/** How many runs one worker process executes at once (AURA_WORKER_CONCURRENCY, default 32; runs mostly wait on models). */
export function workerConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.AURA_WORKER_CONCURRENCY);
  return Number.isInteger(n) && n > 0 ? n : 32;
}

/** How long SIGTERM lets runs in flight finish before their leases are released for another worker (AURA_DRAIN_MS, default 25 s). */
export function drainMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.AURA_DRAIN_MS);
  return Number.isFinite(n) && n >= 0 ? n : 25_000;
}

/** This process as metrics and the workers panel name it: `role@host:pid`. */
export function processLabel(role: AuraRole): string {
  return `${role}@${os.hostname()}:${process.pid}`;
}

/**
 * Checks a start in a given role can work; throws a message that says how to fix it. A web-only or
 * worker-only process without REDIS_URL would accept runs nobody executes, or execute nothing.
 */
export function checkRoleSetup(role: AuraRole, env: NodeJS.ProcessEnv = process.env): void {
  if (role !== "all" && !queueMode(env))
    throw new Error(`AURA_ROLE=${role} needs REDIS_URL (the shared run queue); set REDIS_URL, or leave AURA_ROLE unset to run everything in one process.`);
}
