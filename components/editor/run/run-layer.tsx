"use client";

import { useCallback, useEffect } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEditorStoreApi } from "@/lib/editor";
import { RunBar } from "./run-bar";
import { useLiveRun } from "./use-live-run";
import "./run.css";

/** Watches a run: `?run=<id>` in the URL ⇄ the store's overlay. Returns the watch function. */
export function useWatchRun() {
  const store = useEditorStoreApi();
  const router = useRouter();
  const pathname = usePathname();
  return useCallback(
    (runId: string | null) => {
      store.getState().watchRun(runId);
      router.replace(runId ? `${pathname}?run=${encodeURIComponent(runId)}` : pathname, { scroll: false });
    },
    [store, router, pathname],
  );
}

/**
 * The live run layer over the canvas: the ?run= param, the event stream and the run bar. Nodes and edges
 * draw their own run state (RunNodeOverlay, TopologyEdge) through per-element selectors.
 */
export function RunLayer() {
  const store = useEditorStoreApi();
  const params = useSearchParams();
  const fromUrl = params.get("run");
  const watch = useWatchRun();
  useEffect(() => {
    if (fromUrl && store.getState().run.runId !== fromUrl) store.getState().watchRun(fromUrl);
  }, [fromUrl, store]);
  const { status } = useLiveRun(store);
  return <RunBar stream={status} onWatch={watch} />;
}
