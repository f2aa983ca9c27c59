"use client";

import { useEffect, useState } from "react";
import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";

export interface NameDialogProps {
  open: boolean;
  title: string;
  label: string;
  submitLabel: string;
  initialName: string;
  busy?: boolean;
  error?: string | null;
  onSubmit: (name: string) => void;
  onClose: () => void;
}

/** A one-field dialog for naming a workflow (create and rename). */
export function NameDialog({ open, title, label, submitLabel, initialName, busy, error, onSubmit, onClose }: NameDialogProps) {
  const [name, setName] = useState(initialName);
  useEffect(() => {
    if (open) setName(initialName);
  }, [open, initialName]);
  const trimmed = name.trim();
  const tooLong = trimmed.length > 200;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      className="w-[min(440px,92vw)]"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="name-dialog-form" disabled={!trimmed || tooLong || busy} data-testid="name-dialog-submit">
            {busy && <Loader2 size={14} className="animate-spin" />}
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        id="name-dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed && !tooLong && !busy) onSubmit(trimmed);
        }}
        className="space-y-1.5"
      >
        <label htmlFor="workflow-name-input" className="text-xs font-medium text-muted">
          {label}
        </label>
        <Input
          id="workflow-name-input"
          data-testid="workflow-name-input"
          autoFocus
          value={name}
          maxLength={240}
          aria-invalid={tooLong || !!error || undefined}
          onChange={(e) => setName(e.target.value)}
          onFocus={(e) => e.currentTarget.select()}
          className="h-9"
        />
        {tooLong && <p className="text-xs text-danger">Use at most 200 characters.</p>}
        {error && (
          <p className="text-xs text-danger" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
