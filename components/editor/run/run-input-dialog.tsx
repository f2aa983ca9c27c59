"use client";

import { useMemo, useState } from "react";
import { AlertTriangle, Loader2, Play } from "lucide-react";
import { startFieldsOf, type WorkflowDocument } from "@/lib/workflow";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { exampleText, examplesText, initialRunText, parseRunInput, type RunInputSource, type RunInputText } from "./run-input";

const lastInputKey = (workflowId: string) => `aura-run-input:${workflowId}`;

/**
 * The input last run from this browser for this workflow (saved on Run). Kept in localStorage rather
 * than read from the last run on the server: it is there at once (the dialog opens filled in, no
 * request), and it is what this user typed, not the input of a webhook or schedule run.
 */
function loadLastInput(workflowId: string): RunInputText | null {
  try {
    const raw = localStorage.getItem(lastInputKey(workflowId));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as RunInputText) : null;
  } catch {
    return null;
  }
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

/**
 * The run input form generated from the Start node's fields (typed inputs, JSON validated). It opens
 * filled in with the last input run from this browser, else the fields' examples, so a template's
 * first run is one press of Run.
 */
export function RunInputDialog({ open, onClose, workflowId, doc, dirty, savedVersion, busy, onRun }: RunInputDialogProps) {
  const fields = useMemo(() => startFieldsOf(doc), [doc]);
  const [initial] = useState(() => initialRunText(fields, typeof window === "undefined" ? null : loadLastInput(workflowId)));
  const [text, setText] = useState<RunInputText>(initial.text);
  const [source, setSource] = useState<RunInputSource | "edited">(initial.source);
  const examples = useMemo(() => examplesText(fields), [fields]);
  const hasExamples = Object.keys(examples).length > 0;
  const [touched, setTouched] = useState(false);
  const { input, errors } = parseRunInput(fields, text);
  const invalid = Object.keys(errors).length > 0;
  const submit = (mode: "saved" | "save-first") => {
    setTouched(true);
    if (invalid) return;
    try {
      localStorage.setItem(lastInputKey(workflowId), JSON.stringify(text));
    } catch {
      // Storage full or disabled (private mode): the run goes on; the dialog just won't remember this input.
    }
    onRun(input, mode);
  };
  const set = (name: string, value: string) => {
    setText((t) => ({ ...t, [name]: value }));
    setSource("edited");
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Run workflow"
      footer={
        dirty ? (
          <>
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button
              onClick={() => submit("saved")}
              disabled={busy}
              data-testid="run-saved-version"
              title={`Run v${savedVersion} as saved on the server; your unsaved edits are not part of this run`}
            >
              Run saved v{savedVersion}
            </Button>
            <Button variant="primary" onClick={() => submit("save-first")} disabled={busy} data-testid="run-submit">
              {busy ? <Loader2 size={14} className="animate-spin" /> : <Play size={14} />} Save and run
            </Button>
          </>
        ) : (
          <>
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
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
              You have unsaved changes. <b>Save and run</b> saves them as a new version and runs it; <b>Run saved v{savedVersion}</b> runs the last saved
              version without your edits.
            </span>
          </p>
        )}
        {fields.length === 0 && <p className="text-muted">This workflow takes no input (its Start node has no fields).</p>}
        {fields.length > 0 && (source === "examples" || source === "last" || (source === "edited" && hasExamples)) && (
          <p className="flex items-center gap-2 text-xs text-muted" data-testid="run-input-source" data-source={source}>
            <span className="flex-1">
              {source === "examples"
                ? "Filled in with the example values of the Start fields."
                : source === "last"
                  ? "Filled in with your last input for this workflow."
                  : "Your input."}
            </span>
            {source !== "examples" && hasExamples && (
              <Button
                size="sm"
                variant="ghost"
                data-testid="run-use-examples"
                onClick={() => {
                  setText(examples);
                  setSource("examples");
                }}
              >
                Use examples
              </Button>
            )}
          </p>
        )}
        {fields.map((f) => {
          const err = touched || text[f.name] !== undefined ? errors[f.name] : undefined;
          const id = `run-field-${f.name}`;
          const example = exampleText(f);
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
                <textarea
                  id={id}
                  value={text[f.name] ?? ""}
                  onChange={(e) => set(f.name, e.target.value)}
                  aria-invalid={!!err}
                  className={cn(inputClass, "min-h-24 font-mono text-xs")}
                  spellCheck={false}
                  placeholder={example ?? '{"key": "value"} or [1, 2]'}
                  data-testid={id}
                />
              ) : f.type === "number" ? (
                <input
                  id={id}
                  type="number"
                  step="any"
                  value={text[f.name] ?? ""}
                  onChange={(e) => set(f.name, e.target.value)}
                  aria-invalid={!!err}
                  className={cn(inputClass, "h-8")}
                  placeholder={example && `e.g. ${example}`}
                  data-testid={id}
                />
              ) : (
                <textarea
                  id={id}
                  rows={2}
                  value={text[f.name] ?? ""}
                  onChange={(e) => set(f.name, e.target.value)}
                  aria-invalid={!!err}
                  className={cn(inputClass, "min-h-9 text-sm")}
                  placeholder={example && `e.g. ${example}`}
                  data-testid={id}
                />
              )}
              {f.description && f.type !== "boolean" && <p className="mt-1 text-[11px] text-muted">{f.description}</p>}
              {err && (
                <p className="mt-1 text-[11px] text-danger" data-testid={`${id}-error`}>
                  {err}
                </p>
              )}
            </div>
          );
        })}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
