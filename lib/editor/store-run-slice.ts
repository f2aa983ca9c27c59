/** The editor store's run overlay slice: the run watched on the canvas and the replay of a fast run's path. */
import type { StoreApi } from "zustand/vanilla";
import { IDLE_OVERLAY, reduceRunEvents, watchOverlay } from "./run-overlay";
import { planReplay } from "./run-replay";
import type { EditorState } from "./store-types";

type RunSlice = Pick<EditorState, "run" | "replay" | "watchRun" | "applyRunEvents">;

export function createRunSlice(set: StoreApi<EditorState>["setState"], get: StoreApi<EditorState>["getState"]): RunSlice {
  return {
    run: IDLE_OVERLAY,
    replay: null,
    watchRun: (runId) => {
      // Watching another run ends any replay at once: it never plays over a new run.
      if (get().run.runId !== runId) set({ run: watchOverlay(runId), replay: null });
    },
    applyRunEvents: (events) => {
      const prev = get().run;
      const run = reduceRunEvents(prev, events);
      if (run === prev) return;
      const replay = planReplay(prev, run);
      if (!replay) return set({ run });
      set({ run, replay });
      // Dropped once played, so a node drawn again later (scrolled into view, zoom level changed) does not replay.
      setTimeout(() => {
        if (get().replay === replay) set({ replay: null });
      }, replay.totalMs + 100);
    },
  };
}
