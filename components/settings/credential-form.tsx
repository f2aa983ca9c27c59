"use client";

import { useState } from "react";
import { CREDENTIAL_TYPE_LABELS, CREDENTIAL_TYPES, type CredentialType, type CredentialView } from "@/lib/contracts";
import { ApiRequestError } from "@/lib/api/client";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export interface CredentialFormValues {
  name: string;
  type: CredentialType;
  secret: string;
  baseUrl: string;
  username: string;
  headerName: string;
}

/** What the secret is called for each type. */
const SECRET_LABEL: Record<CredentialType, string> = {
  openai: "API key",
  anthropic: "API key",
  "http-bearer": "Token",
  "http-basic": "Password",
  "http-header": "Header value",
};

/** The field errors of a 400 answer, by field name ("$.secret" → "secret"), and the message for the rest. */
export function formErrors(error: unknown): { fields: Record<string, string>; message: string } | null {
  if (!error) return null;
  if (!(error instanceof ApiRequestError)) return { fields: {}, message: error instanceof Error ? error.message : "The request failed." };
  const fields: Record<string, string> = {};
  for (const i of error.issues) fields[i.path.replace(/^\$\.?/, "").split(/[.[]/)[0] || "form"] ??= i.message;
  return { fields, message: error.message };
}

/**
 * Create or edit one credential. The secret input is write-only: it starts empty, and when editing,
 * leaving it empty keeps the stored secret (the hint shows which one that is).
 */
export function CredentialForm({
  existing,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  existing?: CredentialView;
  busy: boolean;
  error: unknown;
  onSubmit: (values: CredentialFormValues) => void;
  onCancel: () => void;
}) {
  const [v, setV] = useState<CredentialFormValues>({
    name: existing?.name ?? "",
    type: existing?.type ?? "http-bearer",
    secret: "",
    baseUrl: existing?.baseUrl ?? "",
    username: existing?.username ?? "",
    headerName: existing?.headerName ?? "",
  });
  const errors = formErrors(error);
  const set = (k: keyof CredentialFormValues) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setV({ ...v, [k]: e.target.value });
  const field = (key: keyof CredentialFormValues, label: string, control: React.ReactNode, help?: string) => (
    <label className="block space-y-1 text-sm">
      <span className="text-xs font-medium text-fg/80">{label}</span>
      {control}
      {help && <span className="block text-[11px] text-muted">{help}</span>}
      {errors?.fields[key] && (
        <span className="block text-[11px] text-danger" data-testid={`credential-error-${key}`}>
          {errors.fields[key]}
        </span>
      )}
    </label>
  );
  return (
    <form
      className="space-y-3 rounded-lg border border-border bg-panel p-4"
      data-testid="credential-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(v);
      }}
    >
      {field(
        "name",
        "Name",
        <Input value={v.name} onChange={set("name")} data-testid="credential-name" maxLength={100} aria-invalid={!!errors?.fields.name} />,
      )}
      {field(
        "type",
        "Type",
        <select
          className="h-8 w-full rounded-md border border-border bg-panel px-2 text-sm"
          value={v.type}
          onChange={set("type")}
          disabled={!!existing}
          data-testid="credential-type"
        >
          {CREDENTIAL_TYPES.map((t) => (
            <option key={t} value={t}>
              {CREDENTIAL_TYPE_LABELS[t]}
            </option>
          ))}
        </select>,
        existing ? "The type cannot change; create a new credential instead." : undefined,
      )}
      {(v.type === "openai" || v.type === "anthropic") &&
        field(
          "baseUrl",
          "Base URL (optional)",
          <Input value={v.baseUrl} onChange={set("baseUrl")} placeholder="https://api.openai.com/v1" data-testid="credential-base-url" />,
        )}
      {v.type === "http-basic" && field("username", "User name", <Input value={v.username} onChange={set("username")} data-testid="credential-username" />)}
      {v.type === "http-header" &&
        field(
          "headerName",
          "Header name",
          <Input value={v.headerName} onChange={set("headerName")} placeholder="X-Api-Key" data-testid="credential-header-name" />,
        )}
      {field(
        "secret",
        SECRET_LABEL[v.type],
        <Input
          type="password"
          autoComplete="new-password"
          value={v.secret}
          onChange={set("secret")}
          data-testid="credential-secret"
          placeholder={existing ? `Unchanged${existing.hint ? ` (${existing.hint})` : ""}` : ""}
          aria-invalid={!!errors?.fields.secret}
        />,
        existing ? "Leave empty to keep the stored secret. It is never shown again." : "Stored encrypted; it is never shown again.",
      )}
      {errors && !Object.keys(errors.fields).length && (
        <p className="text-sm text-danger" role="alert" data-testid="credential-form-error">
          {errors.message}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={busy} data-testid="credential-save">
          {existing ? "Save" : "Create"}
        </Button>
      </div>
    </form>
  );
}

/** The request body for the form's values: only the fields the type has; an empty secret on edit means "keep". */
export function toBody(v: CredentialFormValues, editing: boolean) {
  const extra =
    v.type === "openai" || v.type === "anthropic"
      ? v.baseUrl.trim() || editing
        ? { baseUrl: v.baseUrl.trim() }
        : {}
      : v.type === "http-basic"
        ? { username: v.username }
        : v.type === "http-header"
          ? { headerName: v.headerName }
          : {};
  if (editing) return { name: v.name, ...(v.secret ? { secret: v.secret } : {}), ...extra };
  return { name: v.name, type: v.type, secret: v.secret, ...extra };
}
