"use client";

import { KeyRound } from "lucide-react";
import { CREDENTIAL_TYPE_LABELS, type CredentialView } from "@/lib/contracts";
import { credentialRefs, parseWorkflow } from "@/lib/workflow";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/input";

/**
 * The credential names an import file refers to that this workspace does not have (exports carry
 * names, never ids or secrets). Empty when the file does not parse: the server reports that.
 */
export function unknownCredentialNames(document: unknown, credentials: readonly CredentialView[]): string[] {
  const parsed = parseWorkflow(document);
  if (!parsed.ok) return [];
  const known = new Set(credentials.map((c) => c.name));
  const names = credentialRefs(parsed.document).flatMap((r) => (r.credentialName && !known.has(r.credentialName) ? [r.credentialName] : []));
  return [...new Set(names)];
}

/**
 * The import dialog's step for those names: map each to a credential of this workspace, or leave it
 * unset (the node then needs a credential picked before it can run). `value[name]` is an id or null.
 */
export function CredentialMapping({
  names,
  credentials,
  value,
  onChange,
}: {
  names: readonly string[];
  credentials: readonly CredentialView[];
  value: Record<string, string | null>;
  onChange: (next: Record<string, string | null>) => void;
}) {
  return (
    <div className="space-y-2 rounded-md border border-warning/40 bg-warning/5 p-3" data-testid="import-credentials">
      <div className="flex items-center gap-2 text-sm font-medium">
        <KeyRound size={14} /> This workflow uses credentials this workspace does not have
      </div>
      <p className="text-xs text-muted">Pick one of your credentials for each, or leave it unset and choose one on the node later.</p>
      {names.map((name) => (
        <label key={name} className="flex items-center gap-3 text-sm">
          <span className="min-w-0 flex-1 truncate font-medium">{name}</span>
          <select
            className={cn(inputClass, "h-8 w-64")}
            data-testid={`import-credential-${name}`}
            value={value[name] ?? ""}
            onChange={(e) => onChange({ ...value, [name]: e.target.value || null })}
          >
            <option value="">Leave unset</option>
            {credentials.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({CREDENTIAL_TYPE_LABELS[c.type]})
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  );
}
