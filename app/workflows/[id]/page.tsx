import type { Metadata } from "next";
import { preload } from "react-dom";
import { EditorPage } from "@/components/editor/editor-page";

export const metadata: Metadata = { title: "Editor · Aura Studio" };

/** The workflow editor: a thin route; everything lives in components/editor. */
export default async function WorkflowEditorRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Start loading the document with the HTML, not after hydration (the editor's fetch reuses it).
  preload(`/api/workflows/${encodeURIComponent(id)}`, { as: "fetch", crossOrigin: "anonymous" });
  return <EditorPage workflowId={id} />;
}
