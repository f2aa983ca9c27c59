"use client";

import { cn } from "@/components/ui/cn";

const MAX = 200_000;

/** Pretty JSON in a scrollable block (very large values are cut, with a note). */
export function JsonView({ value, className, testId }: { value: unknown; className?: string; testId?: string }) {
  let text = value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const cut = text.length > MAX;
  if (cut) text = `${text.slice(0, MAX)}\n… (${text.length - MAX} more characters)`;
  return (
    <pre
      className={cn("overflow-auto rounded-lg bg-panel-2 p-2.5 font-mono text-[11px] leading-relaxed whitespace-pre-wrap break-words", className)}
      data-testid={testId}
    >
      {text}
    </pre>
  );
}
