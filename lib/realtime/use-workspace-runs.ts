"use client";

import { useEffect, useRef, useState } from "react";
import type { RealtimeClientSocket, StreamStatus } from "./realtime-client";
import { getRealtimeSocket } from "./use-run-events";
import type { RunChange, WorkspaceRunsMessage } from "../contracts/workspace-feed-protocol";

type FeedSocket = {
  connected: boolean;
  on(event: string, fn: (...args: never[]) => void): void;
  off(event: string, fn: (...args: never[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
};

export interface UseWorkspaceRunsOptions {
  /** Status changes of runs in the workspace, in order (≤ ~4 deliveries a second). */
  onChanges: (changes: RunChange[]) => void;
  /**
   * Called after a reconnect (the feed is live only: refetch what you show over HTTP). Not called
   * on the first connect.
   */
  onResync?: () => void;
  /** Stay idle while false. */
  enabled?: boolean;
  socket?: RealtimeClientSocket;
}

/**
 * Subscribes the page's socket to its workspace's run status feed (lib/realtime/workspace-feed.ts)
 * and resubscribes after every reconnect. Re-renders only when the connection status changes.
 */
export function useWorkspaceRuns(options: UseWorkspaceRunsOptions): { status: StreamStatus } {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const ref = useRef(options);
  ref.current = options;
  const enabled = options.enabled ?? true;
  const socketOption = options.socket;

  useEffect(() => {
    if (!enabled) {
      setStatus("closed");
      return;
    }
    const socket = (socketOption ?? getRealtimeSocket()) as unknown as FeedSocket;
    let connectedBefore = false;
    let closed = false;
    const subscribe = () => {
      socket.emit("workspace:subscribe", {}, (res: { ok: boolean }) => {
        if (closed) return;
        setStatus(res?.ok ? "live" : "error");
      });
    };
    const onConnect = () => {
      subscribe();
      if (connectedBefore) ref.current.onResync?.();
      connectedBefore = true;
    };
    const onDisconnect = () => setStatus("reconnecting");
    const onMessage = (message: WorkspaceRunsMessage) => ref.current.onChanges(message.changes);
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("workspace:runs", onMessage);
    if (socket.connected) onConnect();
    return () => {
      closed = true;
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("workspace:runs", onMessage);
      if (socket.connected) socket.emit("workspace:unsubscribe", {});
    };
  }, [enabled, socketOption]);

  return { status };
}
