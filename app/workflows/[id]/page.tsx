import type { Metadata } from "next";
import { EditorPage } from "@/components/editor/editor-page";

export const metadata: Metadata = { title: "Editor · Aura Studio" };

/** The workflow editor: a thin route; everything lives in components/editor. */
export default async function WorkflowEditorRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditorPage workflowId={id} />;
}
