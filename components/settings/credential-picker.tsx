"use client";

import Link from "next/link";
import { CREDENTIAL_TYPE_LABELS, type CredentialType } from "@/lib/contracts";
import { useCredentials } from "@/lib/api/credentials";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/input";

/**
 * The inspector's credential field (widget "credential"): a select of this workspace's credentials of
 * the allowed types, by name, with "Server default" (no credential: the server's environment keys).
 * A reference to a credential that no longer exists stays visible as such, so it is not silently lost.
 */
export function CredentialPicker({
  id,
  value,
  types,
  invalid,
  onChange,
}: {
  id: string;
  value: unknown;
  types: readonly CredentialType[];
  invalid: boolean;
  onChange: (credentialId: string | undefined) => void;
}) {
  const list = useCredentials();
  const options = (list.data ?? []).filter((c) => !types.length || types.includes(c.type));
  const current = typeof value === "string" && value ? value : "";
  const missing = current && list.data && !list.data.some((c) => c.id === current);
  return (
    <div className="space-y-1">
      <select
        id={id}
        data-testid={id}
        aria-invalid={invalid || missing || undefined}
        className={cn(inputClass, "h-8")}
        value={current}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">Server default</option>
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({CREDENTIAL_TYPE_LABELS[c.type]})
          </option>
        ))}
        {missing && <option value={current}>Missing credential ({current})</option>}
      </select>
      {missing && <p className="text-[11px] text-danger">This credential no longer exists; runs of this node fail until you pick another.</p>}
      {list.isError && <p className="text-[11px] text-danger">Could not load credentials: {list.error.message}</p>}
      {list.data && !options.length && (
        <p className="text-[11px] text-muted">
          No {types.map((t) => CREDENTIAL_TYPE_LABELS[t]).join(" / ")} credential yet:{" "}
          <Link href="/settings/credentials" className="underline">
            add one
          </Link>
          .
        </p>
      )}
    </div>
  );
}
