"use client";

import { useState } from "react";
import { ChevronRight, Pin, PinOff } from "lucide-react";
import type { WorkflowNode } from "@/lib/workflow";
import { canPin, parsePinText, removePin, setPin, typedPin, useEditor, useEditorStoreApi } from "@/lib/editor";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/input";

/**
 * The inspector's "Pinned output": pin typed JSON (refused with a visible message when it does not
 * parse, is not an object or is over 1 MB), edit or remove the pin. Runs started from the editor skip
 * a pinned node and use this output instead. Every change is an ordinary (undoable) document edit.
 */
export function PinSection({ node }: { node: WorkflowNode }) {
  const pin = useEditor((s) => s.doc.pins[node.id]);
  if (!canPin(node.kind)) return null;
  // Remount the editor when the pin changes elsewhere (pinned from the run section, undo), so the text follows.
  return <PinEditor key={pin ? `${pin.pinnedAt}:${pin.fromRunId ?? ""}` : "none"} node={node} />;
}

function PinEditor({ node }: { node: WorkflowNode }) {
  const store = useEditorStoreApi();
  const pin = useEditor((s) => s.doc.pins[node.id]);
  const [text, setText] = useState(() => (pin ? JSON.stringify(pin.output, null, 2) : ""));
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    const parsed = parsePinText(text);
    if (!parsed.ok) return setError(parsed.message);
    setError(null);
    store.getState().apply((d) => setPin(d, node.id, pin && JSON.stringify(pin.output) === JSON.stringify(parsed.output) ? pin : typedPin(parsed.output)));
  };

  return (
    <details open={!!pin} className="group border-b border-border" data-testid="inspector-pin">
      <summary className="flex cursor-pointer list-none items-center gap-1 px-4 py-2.5 text-[11px] font-semibold tracking-wider text-muted uppercase select-none hover:text-fg">
        <ChevronRight size={13} className="transition-transform group-open:rotate-90" aria-hidden />
        Pinned output
        {pin && (
          <span
            className="ml-auto rounded bg-accent/15 px-1.5 py-0.5 text-[10px] font-semibold tracking-normal text-accent normal-case"
            data-testid="inspector-pin-badge"
          >
            pinned
          </span>
        )}
      </summary>
      <div className="space-y-2 px-4 pb-4 text-xs">
        <p className="text-muted">
          {pin ? (
            <>
              Runs from the editor skip this node and write this output instead
              {pin.fromRunId ? (
                <>
                  {" "}
                  (pinned from run <span className="font-mono">{pin.fromRunId}</span>
                  {pin.port ? <>, output “{pin.port}”</> : null})
                </>
              ) : (
                " (typed)"
              )}
              .
            </>
          ) : (
            "Pin an output (the state fields the node writes, as JSON) to skip this node in runs from the editor. Webhooks, schedules and the API run it as usual."
          )}
        </p>
        <textarea
          aria-label="Pinned output (JSON)"
          data-testid="inspector-pin-json"
          className={cn(inputClass, "min-h-24 font-mono text-[11px]")}
          value={text}
          placeholder='{ "answer": "…" }'
          aria-invalid={!!error || undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
        {error && (
          <p role="alert" className="rounded-md border border-danger/30 bg-danger/5 p-2 text-danger" data-testid="inspector-pin-error">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button size="sm" onClick={save} data-testid="inspector-pin-save">
            <Pin size={13} /> {pin ? "Update pin" : "Pin output"}
          </Button>
          {pin && (
            <Button size="sm" variant="ghost" onClick={() => store.getState().apply((d) => removePin(d, node.id))} data-testid="inspector-unpin">
              <PinOff size={13} /> Unpin
            </Button>
          )}
        </div>
      </div>
    </details>
  );
}
