"use client";

/** The editor store in React: one store per open editor, created by the provider (like xyflow's). */
import { createContext, useContext, useState } from "react";
import { useStore } from "zustand";
import { createEditorStore, type CreateEditorStoreOptions, type EditorState, type EditorStore } from "./store";

const EditorStoreContext = createContext<EditorStore | null>(null);

export function EditorStoreProvider({ options, children }: { options: CreateEditorStoreOptions; children: React.ReactNode }) {
  const [store] = useState(() => createEditorStore(options));
  return <EditorStoreContext.Provider value={store}>{children}</EditorStoreContext.Provider>;
}

/** The store itself, for handlers that read state at call time (no re-render). */
export function useEditorStoreApi(): EditorStore {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error("useEditor must be used inside <EditorStoreProvider>");
  return store;
}

/** A slice of editor state; re-renders only when the selected value changes. */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorStoreApi(), selector);
}
