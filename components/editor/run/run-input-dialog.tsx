"use client";

import { useMemo, useState } from "react";
import { AlertTriangle, Loader2, Play } from "lucide-react";
import type { WorkflowDocument } from "@/lib/workflow";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";

export interface StartField {
  name: string;
  type: "string" | "number" | "boolean" | "json";
  required: boolean;
  description: string;
}

/** The Start node's input fields of a document. */
export function startFields(doc: WorkflowDocument): StartField[] {
  const start = doc.nodes.find((n) => n.kind === "start");
  const fields = (start?.config as { fields?: Partial<StartField>[] } | undefined)?.fields ?? [];
  return fields.filter((f) => f.name).map((f) => ({ name: f.name!, type: f.type ?? "string", required: f.required ?? true, description: f.description ?? "" }));
}

const draftKey = (workflowId: string) => `aura-run-input:${workflowId}`;
function loadDraft(workflowId: string): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(draftKey(workflowId)) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

/** Text of each field → typed input, with a message per invalid field. */
export function parseRunInput(fields: StartField[], text: Record<string, string>): { input: Record<string, unknown>; errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = text[f.name] ?? (f.type === "boolean" ? "false" : "");
    if (f.type === "boolean") {
      input[f.name] = raw === "true";
      continue;
    }
    if (raw.trim() === "") {
      if (f.required) errors[f.name] = "Required.";
      continue;
    }
    if (f.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) errors[f.name] = "Enter a number.";
      else input[f.name] = n;
    } else if (f.type === "json") {
      try {
        input[f.name] = JSON.parse(raw);
      } catch (e) {
        errors[f.name] = `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
      }
    } else input[f.name] = raw;
  }
  return { input, errors };
}

export interface RunInputDialogProps {
  open: boolean;
  onClose: () => void;
  workflowId: string;
  /** The document that will run (the saved one, or the current one when saving first). */
  doc: WorkflowDocument;
  /** Unsaved changes exist: the user picks "save and run" or "run the saved version". */
  dirty: boolean;
  savedVersion: number;
  busy: boolean;
  onRun: (input: Record<string, unknown>, mode: "saved" | "save-first") => void;
}

/** The run input form generated from the Start node's fields (typed inputs, JSON validated). */
export function RunInputDialog({ open, onClose, workflowId, doc, dirty, savedVersion, busy, onRun }: RunInputDialogProps) {
  const fields = useMemo(() => startFields(doc), [doc]);
  const [text, setText] = useState<Record<string, string>>(() => (typeof window === "undefined" ? {} : loadDraft(workflowId)));
  const [touched, setTouched] = useState(false);
  const { input, errors } = parseRunInput(fields, text);
  const invalid = Object.keys(errors).length > 0;
  const submit = (mode: "saved" | "save-first") => {
    setTouched(true);
    if (invalid) return;
    try {
      localStorage.setItem(draftKey(workflowId), JSON.stringify(text));
    } catch {
      // Storage full or blocked: the run still starts, only the remembered input is lost.
    }
    onRun(input, mode);
  };
  const set = (name: string, value: string) => setText((t) => ({ ...t, [name]: value }));

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Run workflow"
      footer={
        dirty ? (
          <>
            <Button variant="ghost" onClick={onClose}>Cancel</Button>
            <Button onClick={() => submit("saved")} disabled={busy} data-testid="run-saved-version" title={`Run v${savedVersion} as saved on the server; your unsaved edits are not part of this run`}>
              Run saved v{savedVersion}
            </Button>
            <Button variant="primary" onClick={() => submit("save-first")} disabled={busy} data-testid="run-submit">
              {busy ? <Loader2 size={14} className="animate-spin" /> : <Play size={14} />} Save and run
            </Button>
          </>
        ) : (
          <>
            <Button variant="ghost" onClick={onClose}>Cancel</Button>
            <Button variant="primary" onClick={() => submit("saved")} disabled={busy} data-testid="run-submit">
              {busy ? <Loader2 size={14} className="animate-spin" /> : <Play size={14} />} Run v{savedVersion}
            </Button>
          </>
        )
      }
    >
      <form
        data-testid="run-input-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit(dirty ? "save-first" : "saved");
        }}
        className="space-y-3"
      >
        {dirty && (
          <p className="flex gap-2 rounded-lg border border-warning/40 bg-warning/5 p-2.5 text-xs" data-testid="run-dirty-notice">
            <AlertTriangle size={14} className="mt-0.5 shrink-0 text-warning" aria-hidden />
            <span>
              You have unsaved changes. <b>Save and run</b> saves them as a new version and runs it; <b>Run saved v{savedVersion}</b> runs the last saved version without your edits.
            </span>
          </p>
        )}
        {fields.length === 0 && <p className="text-muted">This workflow takes no input (its Start node has no fields).</p>}
        {fields.map((f) => {
          const err = touched || text[f.name] !== undefined ? errors[f.name] : undefined;
          const id = `run-field-${f.name}`;
          return (
            <div key={f.name}>
              <label htmlFor={id} className="mb-1 flex items-baseline gap-2 text-xs font-medium">
                <span className="font-mono">{f.name}</span>
                <span className="text-[10px] text-muted uppercase">{f.type}</span>
                {f.required && f.type !== "boolean" && <span className="text-danger">*</span>}
              </label>
              {f.type === "boolean" ? (
                <label className="flex items-center gap-2 text-sm">
                  <input id={id} type="checkbox" checked={text[f.name] === "true"} onChange={(e) => set(f.name, String(e.target.checked))} data-testid={id} />
                  {f.description || "Yes"}
                </label>
              ) : f.type === "json" ? (
                <textarea id={id} value={text[f.name] ?? ""} onChange={(e) => set(f.name, e.target.value)} aria-invalid={!!err} className={cn(inputClass, "min-h-24 font-mono text-xs")} spellCheck={false} placeholder='{"key": "value"} or [1, 2]' data-testid={id} />
              ) : f.type === "number" ? (
                <input id={id} type="number" step="any" value={text[f.name] ?? ""} onChange={(e) => set(f.name, e.target.value)} aria-invalid={!!err} className={cn(inputClass, "h-8")} data-testid={id} />
              ) : (
                <textarea id={id} rows={2} value={text[f.name] ?? ""} onChange={(e) => set(f.name, e.target.value)} aria-invalid={!!err} className={cn(inputClass, "min-h-9 text-sm")} data-testid={id} />
              )}
              {f.description && f.type !== "boolean" && <p className="mt-1 text-[11px] text-muted">{f.description}</p>}
              {err && <p className="mt-1 text-[11px] text-danger" data-testid={`${id}-error`}>{err}</p>}
            </div>
          );
        })}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
