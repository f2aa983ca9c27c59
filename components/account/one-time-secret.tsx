"use client";

import { useState } from "react";
import { Check, Copy, KeyRound } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/**
 * A secret (API token, invitation or reset link) the server shows exactly once: the value, a copy
 * button and a plain warning that it cannot be shown again.
 */
export function OneTimeSecret({ label, value, note, onDone }: { label: string; value: string; note?: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      toast.error("Copying failed: select the text and copy it by hand.");
    }
  };
  return (
    <div className="space-y-2 rounded-lg border border-warning/50 bg-warning/5 p-3" data-testid="one-time-secret" role="status">
      <p className="flex items-center gap-1.5 text-sm font-semibold">
        <KeyRound size={14} aria-hidden /> {label}
      </p>
      <div className="flex items-center gap-2">
        <input
          readOnly
          aria-label={label}
          value={value}
          data-testid="one-time-secret-value"
          onFocus={(e) => e.currentTarget.select()}
          className="h-8 min-w-0 flex-1 rounded-md border border-border bg-panel px-2 font-mono text-xs"
        />
        <Button size="md" onClick={() => void copy()} data-testid="one-time-secret-copy">
          {copied ? <Check size={14} /> : <Copy size={14} />} {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <p className="text-xs text-warning">Copy it now: you will not see it again.{note ? ` ${note}` : ""}</p>
      <Button size="sm" variant="ghost" onClick={onDone}>
        Done
      </Button>
    </div>
  );
}
