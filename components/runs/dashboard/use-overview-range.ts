"use client";

import { useCallback, useSyncExternalStore } from "react";
import { RANGES } from "./format";

const KEY = "aura-overview-range";
/** The window both /runs and a workflow's runs page open with until the user picks another. */
export const DEFAULT_RANGE = "24h";

const listeners = new Set<() => void>();
function subscribe(onChange: () => void) {
  listeners.add(onChange);
  // Another tab picking a window changes this one's default too.
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

function read(): string {
  try {
    const saved = localStorage.getItem(KEY);
    return saved && RANGES.some((r) => r.key === saved) ? saved : DEFAULT_RANGE;
  } catch {
    return DEFAULT_RANGE;
  }
}

/** The overview window ("1h", "24h", "7d", "30d"), shared by every dashboard page and remembered in the browser. */
export function useOverviewRange(): [string, (range: string) => void] {
  const range = useSyncExternalStore(subscribe, read, () => DEFAULT_RANGE);
  const choose = useCallback((next: string) => {
    try {
      localStorage.setItem(KEY, next);
    } catch {
      /* private mode: the choice is not remembered */
    }
    for (const l of listeners) l();
  }, []);
  return [range, choose];
}
