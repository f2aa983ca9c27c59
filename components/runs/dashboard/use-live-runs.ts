"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { RunSummary } from "@/lib/contracts";
import { dashboardKeys, type RunsPage } from "@/lib/api/dashboard";
import { useWorkspaceRuns } from "@/lib/realtime/use-workspace-runs";
import type { RunChange } from "@/lib/contracts/workspace-feed-protocol";

/** Applies a status change to a run summary (what the list shows until the next refetch). */
export function applyChange(run: RunSummary, c: RunChange): RunSummary {
  const at = new Date(c.ts).toISOString();
  const next: RunSummary = { ...run, status: c.status };
  if (c.status === "running") {
    next.startedAt = run.startedAt ?? at;
    next.finishedAt = null;
    next.error = null;
  } else if (c.status === "queued") {
    next.finishedAt = null;
    next.error = null;
  } else if (c.status === "succeeded" || c.status === "failed" || c.status === "cancelled") {
    next.finishedAt = at;
    next.durationMs = run.startedAt ? Math.max(0, c.ts - Date.parse(run.startedAt)) : (c.durationMs ?? null);
    if (c.error) next.error = { code: c.error.code, message: c.error.message, nodeId: c.error.nodeId ?? null };
    if (c.tokens) next.tokens = { input: run.tokens.input + c.tokens.input, output: run.tokens.output + c.tokens.output };
    if (c.costUsd) next.costUsd = run.costUsd + c.costUsd;
  }
  return next;
}

/**
 * Keeps every runs list and the overview of the page live from the workspace feed: runs in a loaded
 * list change in place; a run no list knows yet (a new run) refetches the lists (at most twice a
 * second); the overview refetches at most every 2 s. Returns the feed status and the ids changed in
 * the last 2 s (rows flash).
 */
export function useLiveRuns() {
  const qc = useQueryClient();
  const [recent, setRecent] = useState<ReadonlySet<string>>(new Set());
  const timers = useRef<{ lists: ReturnType<typeof setTimeout> | null; overview: ReturnType<typeof setTimeout> | null }>({ lists: null, overview: null });

  const later = useCallback(
    (which: "lists" | "overview", ms: number) => {
      if (timers.current[which]) return;
      timers.current[which] = setTimeout(() => {
        timers.current[which] = null;
        void qc.invalidateQueries({ queryKey: which === "lists" ? dashboardKeys.runsAll() : dashboardKeys.overviewAll() });
      }, ms);
    },
    [qc],
  );

  useEffect(
    () => () => {
      for (const t of Object.values(timers.current)) if (t) clearTimeout(t);
    },
    [],
  );

  const { status } = useWorkspaceRuns({
    onChanges: (changes) => {
      const known = new Set<string>();
      qc.setQueriesData<InfiniteData<RunsPage>>({ queryKey: dashboardKeys.runsAll() }, (data) => {
        if (!data) return data;
        let touched = false;
        const pages = data.pages.map((page) => {
          let pageTouched = false;
          const runs = page.runs.map((r) => {
            let out = r;
            for (const c of changes) if (c.runId === r.id && c.seq >= 0) out = applyChange(out, c);
            if (out !== r) {
              known.add(r.id);
              pageTouched = true;
            }
            return out;
          });
          if (!pageTouched) return page;
          touched = true;
          return { ...page, runs };
        });
        return touched ? { ...data, pages } : data;
      });
      if (changes.some((c) => !known.has(c.runId))) later("lists", 500);
      later("overview", 2000);
      setRecent((prev) => new Set([...prev, ...changes.map((c) => c.runId)]));
      setTimeout(
        () =>
          setRecent((prev) => {
            const next = new Set(prev);
            for (const c of changes) next.delete(c.runId);
            return next;
          }),
        2000,
      );
    },
    onResync: () => void qc.invalidateQueries({ queryKey: dashboardKeys.all }),
  });

  return { status, recent };
}
