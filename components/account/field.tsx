"use client";

import { useId } from "react";
import { Input } from "@/components/ui/input";

export interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  hint?: React.ReactNode;
}

/** A labelled input with an optional hint under it (the label is a real <label>, so tests and screen readers find it by name). */
export function Field({ label, hint, className, ...props }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <Input id={id} aria-describedby={hint ? hintId : undefined} className={className ?? "h-9"} {...props} />
      {hint && (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A labelled <select>. */
export function SelectField({ label, children, ...props }: { label: string } & Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "id">) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <select
        id={id}
        className="h-9 w-full rounded-md border border-border bg-panel px-2 text-sm outline-none focus:border-accent focus:ring-1 focus:ring-accent"
        {...props}
      >
        {children}
      </select>
    </div>
  );
}

/** A form's error, announced to screen readers. */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid="form-error" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger">
      {message}
    </p>
  );
}
