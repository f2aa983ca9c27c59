"use client";

import Link from "next/link";
import { useMemo } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { Loader2 } from "lucide-react";
import { useWorkflow } from "@/lib/api/workflows";
import { browserStorage, clearDraft, EditorStoreProvider, readDraft, type CreateEditorStoreOptions } from "@/lib/editor";
import type { WorkflowDetail } from "@/lib/contracts";
import { Editor } from "./editor";

/** Loads a workflow (and its local draft, if any) and opens the editor on it. */
export function EditorPage({ workflowId }: { workflowId: string }) {
  const { data, error, isLoading } = useWorkflow(workflowId);
  if (isLoading || (!data && !error)) {
    return (
      <div className="flex h-full items-center justify-center gap-2 text-sm text-muted" data-testid="editor-loading">
        <Loader2 size={16} className="animate-spin" /> Opening workflow…
      </div>
    );
  }
  if (error || !data) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 text-sm" data-testid="editor-error">
        <p className="font-semibold">Could not open this workflow.</p>
        <p className="text-muted">{error?.message ?? "Not found."}</p>
        <Link href="/" className="text-accent hover:underline">
          Back to workflows
        </Link>
      </div>
    );
  }
  return <LoadedEditor key={workflowId} detail={data} />;
}

function LoadedEditor({ detail }: { detail: WorkflowDetail }) {
  // Computed once per open: later query updates (after saves) must not reset the editor.
  const options = useMemo<CreateEditorStoreOptions>(() => {
    const storage = browserStorage();
    let draft = readDraft(storage, detail.id);
    if (draft && JSON.stringify(draft.document) === JSON.stringify(detail.document)) {
      clearDraft(storage, detail.id);
      draft = null;
    }
    return { workflowId: detail.id, version: detail.version, document: detail.document, draft, storage };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per open: a refetch after a save must not recreate the store
  }, []);
  return (
    <EditorStoreProvider options={options}>
      <ReactFlowProvider>
        <Editor serverVersion={detail.version} />
      </ReactFlowProvider>
    </EditorStoreProvider>
  );
}
