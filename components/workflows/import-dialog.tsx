"use client";

import { useEffect, useRef, useState } from "react";
import { AlertTriangle, CheckCircle2, FileJson, Loader2, Upload } from "lucide-react";
import { useImportWorkflow } from "@/lib/api/workflows";
import { credentialApi } from "@/lib/api/credentials";
import type { CredentialView } from "@/lib/contracts";
import { CredentialMapping, unknownCredentialNames } from "@/components/settings/credential-mapping";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { describeImportError, looksLikeJsonFile, type ImportProblem } from "./import-errors";

export interface ImportDialogProps {
  open: boolean;
  onClose: () => void;
  /** A file dropped onto the page before the dialog opened: imported as soon as the dialog opens. */
  pendingFile?: File | null;
  onImported: (id: string) => void;
}

/**
 * Import a workflow document from a file (picker or drag and drop) or pasted JSON. The document goes
 * to POST /api/workflows/import as is; the server's issues (400) or size message (413) are shown as
 * plain text, and nothing is saved until it accepts the document.
 */
export function ImportDialog({ open, onClose, pendingFile, onImported }: ImportDialogProps) {
  const importWorkflow = useImportWorkflow();
  const [text, setText] = useState("");
  const [source, setSource] = useState<string | null>(null);
  const [problem, setProblem] = useState<ImportProblem | null>(null);
  /** Set when the import was saved under another name than the file's: the dialog says so before opening it. */
  const [renamed, setRenamed] = useState<{ id: string; name: string; original: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  /** A file naming credentials this workspace lacks waits here until each name is mapped or left unset. */
  const [mapping, setMapping] = useState<{ document: unknown; names: string[]; credentials: CredentialView[]; choice: Record<string, string | null> } | null>(
    null,
  );
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = importWorkflow.isPending;

  useEffect(() => {
    if (!open) {
      setText("");
      setSource(null);
      setProblem(null);
      setRenamed(null);
      setMapping(null);
      setDragging(false);
      importWorkflow.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset once when the dialog closes; the mutation object is new every render
  }, [open]);

  const submit = async (json: string, from: string | null) => {
    setProblem(null);
    setRenamed(null);
    setSource(from);
    let document: unknown;
    try {
      document = JSON.parse(json);
    } catch (err) {
      setProblem(describeImportError(err));
      return;
    }
    // Exports name their credentials; names this workspace does not have are mapped first.
    const credentials = await credentialApi.list().catch(() => []);
    const names = unknownCredentialNames(document, credentials);
    if (names.length) {
      setMapping({ document, names, credentials, choice: {} });
      return;
    }
    await send(document);
  };

  const send = async (document: unknown, credentials?: Record<string, string | null>) => {
    try {
      const { id, name } = await importWorkflow.mutateAsync(credentials ? { document, credentials } : document);
      setMapping(null);
      const original = typeof (document as { name?: unknown }).name === "string" ? (document as { name: string }).name.trim() : name;
      if (name !== original) setRenamed({ id, name, original });
      else onImported(id);
    } catch (err) {
      setProblem(describeImportError(err));
    }
  };

  const readFile = async (file: File) => {
    if (!looksLikeJsonFile(file)) {
      setSource(file.name);
      setProblem({ title: "Not a JSON file", message: `"${file.name}" is not a .json file. Export a workflow as .aura.json and import that.`, issues: [] });
      return;
    }
    await submit(await file.text(), file.name);
  };

  useEffect(() => {
    if (open && pendingFile) void readFile(pendingFile);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read each dropped file once; readFile is a new closure every render
  }, [open, pendingFile]);

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Import workflow"
      className="w-[min(640px,94vw)]"
      footer={
        <>
          <Button onClick={onClose}>{renamed ? "Close" : "Cancel"}</Button>
          {renamed && (
            <Button variant="primary" data-testid="import-open" onClick={() => onImported(renamed.id)}>
              Open “{renamed.name}”
            </Button>
          )}
          {mapping && !renamed && (
            <Button
              variant="primary"
              data-testid="import-continue"
              disabled={busy}
              onClick={() => void send(mapping.document, Object.fromEntries(mapping.names.map((n) => [n, mapping.choice[n] ?? null])))}
            >
              Continue import
            </Button>
          )}
          {!renamed && !mapping && (
            <Button variant="primary" data-testid="import-submit" disabled={busy || !text.trim()} onClick={() => void submit(text, null)}>
              {busy && <Loader2 size={14} className="animate-spin" />}
              Import pasted JSON
            </Button>
          )}
        </>
      }
    >
      <div data-testid="import-dialog" className="space-y-4">
        <div
          data-testid="import-dropzone"
          role="button"
          tabIndex={0}
          aria-label="Choose a workflow file to import, or drop one here"
          onClick={() => fileInput.current?.click()}
          onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && fileInput.current?.click()}
          onDragOver={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setDragging(false);
            const file = e.dataTransfer.files[0];
            if (file) void readFile(file);
          }}
          className={cn(
            "flex cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-7 text-center transition-colors",
            dragging ? "border-accent bg-accent/10" : "border-border hover:border-accent/60 hover:bg-panel-2",
          )}
        >
          <div className="flex h-10 w-10 items-center justify-center rounded-full bg-accent/10 text-accent">
            {busy ? <Loader2 size={20} className="animate-spin" /> : <Upload size={20} />}
          </div>
          <div className="font-medium">Drop a .aura.json file here, or click to browse</div>
          <div className="text-xs text-muted">Exports from Aura Studio and React Flow JSON are accepted · up to 5 MB and 5,000 nodes</div>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            className="hidden"
            data-testid="import-file-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void readFile(file);
            }}
          />
        </div>

        <div className="flex items-center gap-3 text-xs text-muted">
          <div className="h-px flex-1 bg-border" />
          or paste JSON
          <div className="h-px flex-1 bg-border" />
        </div>

        <Textarea
          aria-label="Workflow JSON"
          data-testid="import-paste"
          placeholder='{ "schemaVersion": 1, "name": "My workflow", "nodes": [ … ] }'
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          className="h-32 resize-y"
        />

        {mapping && (
          <CredentialMapping
            names={mapping.names}
            credentials={mapping.credentials}
            value={mapping.choice}
            onChange={(choice) => setMapping({ ...mapping, choice })}
          />
        )}

        {renamed && (
          <div role="status" data-testid="import-renamed" className="flex items-start gap-2 rounded-md border border-success/40 bg-success/5 p-3">
            <CheckCircle2 size={16} className="mt-0.5 shrink-0 text-success" />
            <p className="text-sm">
              Imported as <strong data-testid="import-renamed-name">{renamed.name}</strong>, because a workflow named “{renamed.original}” already exists.
            </p>
          </div>
        )}

        {problem && (
          <div role="alert" data-testid="import-error" className="rounded-md border border-danger/40 bg-danger/5 p-3">
            <div className="flex items-start gap-2">
              <AlertTriangle size={16} className="mt-0.5 shrink-0 text-danger" />
              <div className="min-w-0 flex-1">
                <div className="font-medium text-danger" data-testid="import-error-title">
                  {problem.title}
                </div>
                {source && (
                  <div className="mt-0.5 flex items-center gap-1 text-xs text-muted">
                    <FileJson size={12} /> {source}
                  </div>
                )}
                {problem.message && problem.issues.length === 0 && (
                  <p className="mt-1 break-words text-sm" data-testid="import-error-message">
                    {problem.message}
                  </p>
                )}
              </div>
            </div>
            {problem.issues.length > 0 && (
              <ul className="mt-2 max-h-56 space-y-1 overflow-auto" data-testid="import-issues">
                {problem.issues.map((issue, i) => (
                  <li key={i} data-testid="import-issue" className="rounded border border-border bg-panel px-2 py-1.5 text-xs">
                    <div className="text-sm break-words" data-testid="import-issue-text">
                      {issue.text}
                    </div>
                    {/* The server's own wording stays as detail, for whoever fixes the file by hand. */}
                    <div className="mt-0.5 flex flex-wrap items-center gap-2 text-muted">
                      <code className="font-mono" data-testid="import-issue-path">
                        {issue.path}
                      </code>
                      <span className="rounded bg-panel-2 px-1.5 py-px font-mono text-[10px]">{issue.code}</span>
                      <span className="break-words">{issue.message}</span>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}
