"use client";

import { useCallback, useSyncExternalStore } from "react";

type Theme = "light" | "dark";

function subscribe(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

const read = (): Theme => (document.documentElement.classList.contains("dark") ? "dark" : "light");

/** The current theme (the `dark` class on <html>) and a toggle that remembers the choice. */
export function useTheme() {
  const theme = useSyncExternalStore<Theme>(subscribe, read, () => "light");
  const toggle = useCallback(() => {
    const next: Theme = read() === "dark" ? "light" : "dark";
    document.documentElement.classList.toggle("dark", next === "dark");
    try {
      localStorage.setItem("aura-theme", next);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, []);
  return { theme, toggle };
}
