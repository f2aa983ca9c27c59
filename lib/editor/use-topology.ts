"use client";

/**
 * Runs the topology analysis for the open editor while the overlay is on:
 * - in a Web Worker (lib/topology/worker.ts), never on the main thread; only the newest request's
 *   answer is used, and the worker itself skips requests superseded before they started;
 * - again after document edits that can change the analysis (debounced; moves do not count);
 * - with observed stats from `GET /api/workflows/:id/topology?runs=N` when the server has that
 *   endpoint (a 404 or any failure leaves the analysis structure-only);
 * - during live runs of this workflow, with per-attempt records built from node events, aggregated
 *   (`aggregateRunStats`) and merged at most once per `liveThrottleMs`; when a run ends the server's
 *   figures are fetched again and take over.
 * Results go to the editor's topology store (topology-store.ts).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import { aggregateRunStats } from "@/lib/topology/aggregate-stats";
import type { TopologyStats } from "@/lib/topology/stats";
import type { TopologyWorkerRequest, TopologyWorkerResponse } from "@/lib/topology/worker-protocol";
import type { RunEvent } from "@/lib/contracts/events";
import { useWorkflowRunEvents } from "@/lib/realtime/use-run-events";
import { useEditorStoreApi } from "./context";
import { createLiveRecorder, mergeStats, statsFromTopologyResponse, type LiveRecorder } from "./topology-observed";
import { topologyStoreFor } from "./topology-store";
import { topologyInputChanged } from "./topology-visuals";

export interface UseTopologyOptions {
  /** How many recent runs the server aggregates (`?runs=N`). */
  runs?: number;
  /** Delay after the last edit before re-analysing (ms). */
  debounceMs?: number;
  /** At most one live re-aggregation per this many ms. */
  liveThrottleMs?: number;
  /** Bottlenecks to list. */
  topBottlenecks?: number;
}

/** Where the observed stats of a workflow come from (the dashboard's endpoint). */
/** Observed stats only (`view=stats`): the analysis itself runs in the worker, and a whole report is slow to parse on the main thread. */
export const topologyEndpoint = (workflowId: string, runs: number) => `/api/workflows/${encodeURIComponent(workflowId)}/topology?runs=${runs}&view=stats`;

export function useTopology(options: UseTopologyOptions = {}): void {
  const { runs = 20, debounceMs = 300, liveThrottleMs = 1000, topBottlenecks = 12 } = options;
  const editor = useEditorStoreApi();
  const topo = topologyStoreFor(editor);
  const enabled = useStore(topo, (s) => s.enabled);
  const workflowId = useStore(editor, (s) => s.workflowId);
  // Start the worker, the fetch and the socket one task after the toggle: React runs a click's
  // effects inside the click's task, which would then exceed 50 ms on a slow machine.
  const [active, setActive] = useState(false);
  useEffect(() => {
    if (!enabled) {
      setActive(false);
      return;
    }
    const t = setTimeout(() => setActive(true), 0);
    return () => clearTimeout(t);
  }, [enabled]);

  /** Stats the next analysis uses (server + live), and a function that asks for a new analysis now. */
  const stats = useRef<TopologyStats | null>(null);
  const server = useRef<{ stats: TopologyStats | null; available: boolean }>({ stats: null, available: false });
  const recorder = useRef<LiveRecorder | null>(null);
  recorder.current ??= createLiveRecorder(() => editor.getState().doc);
  const reanalyse = useRef<(() => void) | null>(null);
  const liveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** Recomputes the merged stats and, when the overlay is on, re-analyses. */
  const refreshStats = useCallback(() => {
    const rec = recorder.current!;
    let live: TopologyStats | null = null;
    const records = rec.records();
    if (records.length) {
      try {
        live = aggregateRunStats(records);
      } catch {
        live = null; // a malformed event: keep the last good figures
      }
    }
    stats.current = mergeStats(server.current.stats, live);
    topo.getState().setObserved({ runs: stats.current?.runs ?? 0, server: server.current.available, liveRuns: rec.activeRuns().length });
    reanalyse.current?.();
  }, [topo]);

  const fetchServerStats = useCallback(
    async (signal?: AbortSignal) => {
      const finishedBefore = recorder.current!.finishedRuns();
      try {
        const res = await fetch(topologyEndpoint(workflowId, runs), { signal, headers: { accept: "application/json" } });
        if (!res.ok) {
          // 404: the server has no topology endpoint (or no such workflow); structure-only it is.
          server.current = { stats: null, available: false };
        } else {
          server.current = { stats: statsFromTopologyResponse(await res.json()), available: true };
          // Runs that had finished before this fetch are in the server's figures now.
          recorder.current!.drop(finishedBefore);
        }
      } catch {
        if (signal?.aborted) return;
        server.current = { stats: null, available: false };
      }
      refreshStats();
    },
    [workflowId, runs, refreshStats],
  );

  // The worker and re-analysis on edits, while the overlay is on.
  useEffect(() => {
    if (!active || typeof Worker === "undefined") return;
    const worker = new Worker(new URL("../topology/worker.ts", import.meta.url));
    let requestId = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const analyse = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      requestId += 1;
      if (topo.getState().status !== "analysing") topo.getState().setStatus("analysing");
      const message: TopologyWorkerRequest = {
        type: "analyze",
        requestId,
        doc: editor.getState().doc,
        stats: stats.current ?? undefined,
        options: { topBottlenecks },
      };
      worker.postMessage(message);
    };
    const schedule = (delay: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(analyse, delay);
    };
    worker.onmessage = (e: MessageEvent<TopologyWorkerResponse>) => {
      const m = e.data;
      if (m.requestId !== requestId) return; // an older answer: a newer request is on its way
      if (m.type === "overlay") topo.getState().setOverlay(m.overlay, m.elapsedMs);
      else if (m.type === "error") topo.getState().setStatus("error", m.message);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      topo.getState().setStatus("error", `The topology worker stopped: ${e.message || "unknown error"}. Turn the overlay off and on to restart it.`);
    };
    analyse();
    let lastDoc = editor.getState().doc;
    const unsubscribe = editor.subscribe((s) => {
      if (s.doc === lastDoc) return;
      const prev = lastDoc;
      lastDoc = s.doc;
      if (topologyInputChanged(prev, s.doc)) schedule(debounceMs);
    });
    reanalyse.current = () => schedule(0);
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      worker.terminate();
      reanalyse.current = null;
      topo.getState().setStatus("idle");
    };
  }, [active, editor, topo, debounceMs, topBottlenecks]);

  // Observed stats from the server, fetched each time the overlay is turned on.
  useEffect(() => {
    if (!active) return;
    const ctrl = new AbortController();
    void fetchServerStats(ctrl.signal);
    return () => ctrl.abort();
  }, [active, fetchServerStats]);

  // Live runs: node events → records → throttled re-aggregation; a finished run refetches the server's figures.
  const onEvents = useCallback(
    (events: RunEvent[]) => {
      const rec = recorder.current!;
      if (!rec.push(events)) return;
      if (!liveTimer.current) {
        liveTimer.current = setTimeout(() => {
          liveTimer.current = null;
          refreshStats();
        }, liveThrottleMs);
      }
      if (server.current.available && events.some((e) => e.type === "run.finished" || e.type === "run.failed" || e.type === "run.cancelled")) {
        if (refetchTimer.current) clearTimeout(refetchTimer.current);
        refetchTimer.current = setTimeout(() => {
          refetchTimer.current = null;
          void fetchServerStats();
        }, 1500);
      }
    },
    [refreshStats, fetchServerStats, liveThrottleMs],
  );
  useWorkflowRunEvents(active ? workflowId : null, { onEvents });

  useEffect(
    () => () => {
      if (liveTimer.current) clearTimeout(liveTimer.current);
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
    },
    [],
  );
}
