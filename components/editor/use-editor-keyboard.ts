"use client";

import { useEffect, useRef } from "react";
import { parseClipboard, type ClipboardPayload, type EditorStore } from "@/lib/editor";

/** The in-memory clipboard, shared by every editor in this tab (fallback when the system one is unavailable). */
let memoryClipboard: ClipboardPayload | null = null;

/** True when the key went to something the user types into (inputs, textareas, selects, editable text). */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (t as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "range", "color"].includes(type);
  }
  return false;
}

export interface KeyboardHandlers {
  save: () => void;
  help: () => void;
}

/**
 * Editor shortcuts on the window, ignored while typing (save excepted). Copy/paste go through the
 * browser's copy/paste events so the system clipboard carries the JSON payload between tabs and
 * workflows; a Ctrl+V without a paste event falls back to the in-memory clipboard.
 */
export function useEditorKeyboard(store: EditorStore, handlers: KeyboardHandlers) {
  const h = useRef(handlers);
  h.current = handlers;

  useEffect(() => {
    let pasteHandled = false;
    const inDialog = () => !!document.querySelector("dialog[open]");

    const onKeyDown = (e: KeyboardEvent) => {
      const mod = e.metaKey || e.ctrlKey;
      const key = e.key.toLowerCase();
      if (mod && key === "s") {
        e.preventDefault();
        h.current.save();
        return;
      }
      if (isTypingTarget(e.target) || inDialog()) return;
      const s = store.getState();
      if (mod && key === "z" && !e.shiftKey) {
        e.preventDefault();
        s.undo();
      } else if ((mod && key === "z" && e.shiftKey) || (e.ctrlKey && key === "y")) {
        e.preventDefault();
        s.redo();
      } else if (mod && key === "d") {
        e.preventDefault();
        s.duplicate();
      } else if (mod && key === "a") {
        e.preventDefault();
        s.selectAll();
      } else if (mod && key === "c") {
        const payload = s.copy();
        if (payload) {
          memoryClipboard = payload;
          navigator.clipboard?.writeText(JSON.stringify(payload)).catch(() => {});
        }
      } else if (mod && key === "v") {
        pasteHandled = false;
        setTimeout(() => {
          if (!pasteHandled && memoryClipboard) store.getState().paste(memoryClipboard);
          pasteHandled = true;
        }, 50);
      } else if (!mod && (e.key === "Delete" || e.key === "Backspace")) {
        e.preventDefault();
        s.deleteSelection();
      } else if (e.key === "Escape") {
        s.select([]);
      } else if (e.key === "?" || (e.shiftKey && e.key === "/")) {
        e.preventDefault();
        h.current.help();
      }
    };

    const onCopy = (e: ClipboardEvent) => {
      if (isTypingTarget(e.target) || window.getSelection()?.toString()) return;
      const payload = store.getState().copy();
      if (!payload) return;
      memoryClipboard = payload;
      e.clipboardData?.setData("text/plain", JSON.stringify(payload));
      e.preventDefault();
    };
    const onCut = (e: ClipboardEvent) => {
      if (isTypingTarget(e.target) || window.getSelection()?.toString()) return;
      onCopy(e);
      if (e.defaultPrevented) store.getState().deleteSelection();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTypingTarget(e.target) || inDialog()) return;
      if (pasteHandled) return;
      const text = e.clipboardData?.getData("text/plain");
      const payload = parseClipboard(text) ?? (!text ? memoryClipboard : null);
      pasteHandled = true;
      if (payload) {
        e.preventDefault();
        store.getState().paste(payload);
      }
    };

    window.addEventListener("keydown", onKeyDown);
    document.addEventListener("copy", onCopy);
    document.addEventListener("cut", onCut);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCut);
      document.removeEventListener("paste", onPaste);
    };
  }, [store]);
}
