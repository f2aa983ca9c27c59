"use client";

import { useEffect, useMemo } from "react";
import { createFrameBatcher } from "@/lib/realtime/frame-batcher";
import { getRealtimeSocket, useRunEvents } from "@/lib/realtime/use-run-events";
import type { RunEvent } from "@/lib/contracts/events";
import { useEditor, type EditorStore } from "@/lib/editor";

declare global {
  interface Window {
    /** Set by tests and benches before the page loads to get `window.__auraLive`. */
    __AURA_TEST_HOOKS__?: boolean;
    __auraLive?: { store: EditorStore; push: (events: RunEvent[]) => void; socket: () => ReturnType<typeof getRealtimeSocket>; commits: () => number };
  }
}

/**
 * Streams the watched run's events into the editor store: every delivery goes to a frame batcher,
 * so the overlay is committed at most once per animation frame however fast events arrive. The
 * subscription replays the run from its first event and resumes from the last seq after a reconnect.
 */
export function useLiveRun(store: EditorStore) {
  const runId = useEditor((s) => s.run.runId);
  const { batcher, counter } = useMemo(() => {
    const counter = { commits: 0 };
    const batcher = createFrameBatcher<RunEvent>((events) => {
      counter.commits++;
      store.getState().applyRunEvents(events);
    });
    return { batcher, counter };
  }, [store]);
  useEffect(() => () => batcher.cancel(), [batcher]);

  useEffect(() => {
    if (typeof window === "undefined" || !window.__AURA_TEST_HOOKS__) return;
    window.__auraLive = { store, push: (events) => batcher.push(events), socket: getRealtimeSocket, commits: () => counter.commits };
    return () => {
      delete window.__auraLive;
    };
  }, [store, batcher, counter]);

  return useRunEvents(runId, { afterSeq: -1, onEvents: (events) => batcher.push(events) });
}
