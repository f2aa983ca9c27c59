"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { createFrameBatcher } from "@/lib/realtime/frame-batcher";
import { getRealtimeSocket, useRunEvents } from "@/lib/realtime/use-run-events";
import type { RunEvent } from "@/lib/contracts/events";

/**
 * Every event of a run, live: replayed from the first seq over the socket, then streamed; after a
 * reconnect the stream resumes from the last seq seen. Appends once per animation frame; `onBatch`
 * sees each committed batch (to feed a store). `version` changes on every commit.
 */
export function useRunEventLog(runId: string, onBatch?: (events: RunEvent[]) => void) {
  const events = useRef<RunEvent[]>([]);
  const [version, setVersion] = useState(0);
  const onBatchRef = useRef(onBatch);
  onBatchRef.current = onBatch;
  const batcher = useMemo(
    () =>
      createFrameBatcher<RunEvent>((batch) => {
        const list = events.current;
        const last = list.length ? list[list.length - 1].seq : -1;
        // The stream never repeats a seq; keep the log strictly ascending even if it did.
        const fresh = batch[0] && batch[0].seq <= last ? batch.filter((e) => e.seq > last) : batch;
        if (!fresh.length) return;
        for (const e of fresh) list.push(e);
        onBatchRef.current?.(fresh);
        setVersion((v) => v + 1);
      }),
    [],
  );
  useEffect(() => () => batcher.cancel(), [batcher]);
  useEffect(() => {
    events.current = [];
    setVersion((v) => v + 1);
  }, [runId]);
  // Test hook (window.__AURA_TEST_HOOKS__): every seq as delivered (before any dedup) and the socket.
  const raw = useRef<number[]>([]);
  useEffect(() => {
    const w = window as unknown as { __AURA_TEST_HOOKS__?: boolean; __auraRunLog?: unknown };
    if (!w.__AURA_TEST_HOOKS__) return;
    raw.current = [];
    w.__auraRunLog = { delivered: () => [...raw.current], logged: () => events.current.map((e) => e.seq), socket: getRealtimeSocket };
    return () => {
      delete w.__auraRunLog;
    };
  }, [runId]);
  const stream = useRunEvents(runId, {
    afterSeq: -1,
    onEvents: (e) => {
      for (const x of e) raw.current.push(x.seq);
      batcher.push(e);
    },
  });
  return { events: events.current, version, stream: stream.status };
}
