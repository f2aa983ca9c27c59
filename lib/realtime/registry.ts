import { processSlot } from "../process-singleton";
import type { RunEvent } from "../contracts/events";
import type { RunEventSource } from "../contracts/run-event-source";
import type { RealtimeServer } from "./socket-server";
import { runTaps } from "./taps";

/**
 * Process-wide handles, kept on globalThis because the custom server's bundle and Next's route bundles
 * load separate copies of this module:
 * - the realtime server that server.ts attached (route handlers and use-cases publish through it);
 * - the event store it replays from, registered by lib/server once run events are persisted.
 */
const realtime = processSlot<RealtimeServer>("realtime");
const eventSource = processSlot<RunEventSource>("runEventSource");

/** Called once by server.ts after attachRealtime. */
export function setRealtimeServer(server: RealtimeServer): void {
  realtime.set(server);
}

/** The realtime server of this process, or null (CLI runner, queue worker, tests without sockets). */
export function getRealtimeServer(): RealtimeServer | null {
  return realtime.get() ?? null;
}

/**
 * Delivers events that were ALREADY persisted to live subscribers; a no-op in processes without a
 * realtime server (their browsers catch up from the store on subscribe).
 */
export function publishRunEvents(events: readonly RunEvent[]): void {
  realtime.get()?.publish(events);
  // Metrics, traces and the workspace feed (see taps.ts).
  runTaps(events);
}

/** lib/server registers the database-backed event store here at boot. */
export function registerRunEventSource(source: RunEventSource): void {
  eventSource.set(source);
}

/**
 * The source server.ts hands to attachRealtime: forwards to the registered store; until one is
 * registered there are no runs (subscriptions get RUN_NOT_FOUND).
 */
export const registeredRunEventSource: RunEventSource = {
  listAfter: (runId, afterSeq, limit) => eventSource.get()?.listAfter(runId, afterSeq, limit) ?? Promise.resolve([]),
  runInfo: (runId) => eventSource.get()?.runInfo(runId) ?? Promise.resolve(null),
  workspaceOfWorkflow: (workflowId) => eventSource.get()?.workspaceOfWorkflow(workflowId) ?? Promise.resolve(null),
};
