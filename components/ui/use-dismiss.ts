"use client";

import { useEffect, useRef, type RefObject } from "react";

/** Keys that act inside an open menu (move focus, choose an item) and so leave it open. */
const MENU_KEYS = new Set(["Tab", "Enter", " ", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "Shift", "Control", "Alt", "Meta"]);

/**
 * The one closing behaviour of every menu and popover: it closes on Escape, on a pointer press
 * outside `ref` (the menu together with its trigger), and on any other shortcut key (undo, delete,
 * "?"), so it never stays open over what that key did.
 * Listeners are on the document in the capture phase: React Flow's pane stops pointer events from
 * bubbling, so a bubbling listener would never hear a click on the canvas.
 */
export function useDismiss(ref: RefObject<HTMLElement | null>, open: boolean, onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close.current();
    };
    const onKeyDown = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName));
      if (e.key !== "Escape" && typing && ref.current?.contains(e.target)) return; // typing into the popover itself
      if (!MENU_KEYS.has(e.key)) close.current();
    };
    document.addEventListener("pointerdown", onPointerDown, true);
    document.addEventListener("keydown", onKeyDown, true);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown, true);
      document.removeEventListener("keydown", onKeyDown, true);
    };
  }, [open, ref]);
}
