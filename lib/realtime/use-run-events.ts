"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import type { RunEvent } from "../contracts/events";
import { REALTIME_PATH, type RealtimeError, type RunEventsMessage } from "../contracts/protocol";
import { realtimeClientFor, type RealtimeClientSocket, type RunStream, type StreamStatus } from "./realtime-client";

let sharedSocket: RealtimeClientSocket | null = null;

/** The page's one Socket.IO connection (same origin, created on first use). */
export function getRealtimeSocket(): RealtimeClientSocket {
  if (!sharedSocket) {
    sharedSocket = io({ path: REALTIME_PATH, transports: ["websocket", "polling"] });
  }
  return sharedSocket;
}

export interface UseRunEventsOptions {
  /**
   * Called with each delivery (≤ ~20 a second, already in seq order, never a seq twice). Not a React
   * state update: append to a buffer and commit to the store once per animation frame.
   */
  onEvents: (events: RunEvent[], message: RunEventsMessage) => void;
  /** Start after this seq (e.g. the last event loaded over HTTP); -1 (default) replays the whole run. Read once per runId. */
  afterSeq?: number;
  /** Another socket than the page's shared one (tests, other servers). */
  socket?: RealtimeClientSocket;
}

export interface UseRunEventsResult {
  status: StreamStatus;
  error: RealtimeError | null;
  /** Last seq delivered so far (what a reconnect resumes from). */
  lastSeq: () => number;
}

/**
 * Streams a run's events: subscribes from `afterSeq`, keeps the last seq seen and, after any reconnect,
 * resubscribes from it, so `onEvents` sees every seq exactly once. Re-renders only on status changes.
 * Pass a null runId to stay idle.
 */
export function useRunEvents(runId: string | null | undefined, options: UseRunEventsOptions): UseRunEventsResult {
  return useStream(runId, options, (client, id, afterSeq, handlers) => client.subscribeRun(id, afterSeq, handlers));
}

/**
 * Streams new events of every run of a workflow (dashboards, "a run started elsewhere"). Live only:
 * events published while disconnected are not replayed; subscribe to the run for a complete log.
 */
export function useWorkflowRunEvents(workflowId: string | null | undefined, options: Omit<UseRunEventsOptions, "afterSeq">): UseRunEventsResult {
  return useStream(workflowId, options, (client, id, _afterSeq, handlers) => client.subscribeWorkflow(id, handlers));
}

function useStream(
  id: string | null | undefined,
  options: UseRunEventsOptions,
  open: (
    client: ReturnType<typeof realtimeClientFor>,
    id: string,
    afterSeq: number,
    handlers: Parameters<ReturnType<typeof realtimeClientFor>["subscribeRun"]>[2],
  ) => RunStream,
): UseRunEventsResult {
  const [status, setStatus] = useState<StreamStatus>(id ? "connecting" : "closed");
  const [error, setError] = useState<RealtimeError | null>(null);
  // Latest callback and start seq without resubscribing when they change.
  const onEventsRef = useRef(options.onEvents);
  onEventsRef.current = options.onEvents;
  const afterSeqRef = useRef(options.afterSeq ?? -1);
  afterSeqRef.current = options.afterSeq ?? -1;
  const streamRef = useRef<RunStream | null>(null);
  const socket = options.socket;

  useEffect(() => {
    if (!id) {
      setStatus("closed");
      return;
    }
    const client = realtimeClientFor(socket ?? getRealtimeSocket());
    setError(null);
    setStatus("connecting");
    const stream = open(client, id, afterSeqRef.current, {
      onEvents: (events, message) => onEventsRef.current(events, message),
      onStatus: (next, err) => {
        setStatus(next);
        setError(err ?? null);
      },
    });
    streamRef.current = stream;
    return () => {
      stream.close();
      if (streamRef.current === stream) streamRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `open` is a fresh closure each render but selects the same behaviour for a given hook
  }, [id, socket]);

  const lastSeq = useCallback(() => streamRef.current?.lastSeq() ?? afterSeqRef.current, []);
  return { status, error, lastSeq };
}
