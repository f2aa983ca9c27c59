"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { createFrameBatcher } from "@/lib/realtime/frame-batcher";
import { useRunEvents } from "@/lib/realtime/use-run-events";
import type { RunEvent } from "@/lib/realtime/events";

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
  const stream = useRunEvents(runId, { afterSeq: -1, onEvents: (e) => batcher.push(e) });
  return { events: events.current, version, stream: stream.status };
}
