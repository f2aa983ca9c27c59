"use client";

import { useState } from "react";
import { KeyRound, Pencil, Plus, Trash2 } from "lucide-react";
import { CREDENTIAL_TYPE_LABELS, type CreateCredentialBody, type CredentialView } from "@/lib/contracts";
import { useCredentialMutations, useCredentials } from "@/lib/api/credentials";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime } from "@/components/ui/format-time";
import { CredentialForm, toBody } from "./credential-form";

/**
 * Settings → Credentials: the workspace's model keys and HTTP auth. Lists name, type and hint (the
 * secret never reaches the browser); create, edit (a new secret or keep the old one) and delete
 * (refused while a workflow uses it: the message names the workflows).
 */
export function CredentialsPage() {
  const list = useCredentials();
  const m = useCredentialMutations();
  const [editing, setEditing] = useState<CredentialView | "new" | null>(null);
  const [deleting, setDeleting] = useState<CredentialView | null>(null);
  const saving = editing === "new" ? m.create : m.update;

  return (
    <main className="mx-auto w-full max-w-4xl space-y-4 overflow-auto p-6">
      <div className="flex items-center gap-3">
        <KeyRound size={20} />
        <h1 className="text-lg font-semibold">Credentials</h1>
        <div className="flex-1" />
        {editing === null && (
          <Button
            variant="primary"
            onClick={() => {
              m.create.reset();
              setEditing("new");
            }}
            data-testid="credential-new"
          >
            <Plus size={14} /> New credential
          </Button>
        )}
      </div>
      <p className="text-sm text-muted">
        API keys and HTTP authentication for this workspace, stored encrypted. Agent and HTTP request nodes pick one by name; nodes without one use the
        server&apos;s environment keys. A secret is never shown again after it is saved.
      </p>

      {editing !== null && (
        <CredentialForm
          key={editing === "new" ? "new" : editing.id}
          existing={editing === "new" ? undefined : editing}
          busy={saving.isPending}
          error={saving.error}
          onCancel={() => setEditing(null)}
          onSubmit={(values) => {
            const done = { onSuccess: () => setEditing(null) };
            if (editing === "new") m.create.mutate(toBody(values, false) as CreateCredentialBody, done);
            else m.update.mutate({ id: editing.id, body: toBody(values, true) }, done);
          }}
        />
      )}

      {list.isError && (
        <p className="text-sm text-danger" role="alert">
          Could not load the credentials: {list.error.message}
        </p>
      )}
      {m.remove.error && (
        <p className="text-sm text-danger" role="alert" data-testid="credential-delete-error">
          {m.remove.error.message}
        </p>
      )}
      {list.data && list.data.length === 0 && <p className="text-sm text-muted">No credentials yet.</p>}
      {list.data && list.data.length > 0 && (
        <table className="w-full text-sm" data-testid="credential-table">
          <thead className="text-left text-xs text-muted">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Type</th>
              <th className="py-1 font-medium">Secret</th>
              <th className="py-1 font-medium">Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id} className="border-t border-border" data-testid="credential-row" data-name={c.name}>
                <td className="py-2 font-medium">{c.name}</td>
                <td className="py-2 text-muted">
                  {CREDENTIAL_TYPE_LABELS[c.type]}
                  {c.username ? ` · ${c.username}` : c.headerName ? ` · ${c.headerName}` : c.baseUrl ? ` · ${c.baseUrl}` : ""}
                </td>
                <td className="py-2 font-mono text-xs text-muted">{c.hint ? `••••${c.hint.slice(1)}` : "••••"}</td>
                <td className="py-2 text-muted">{formatDateTime(c.updatedAt)}</td>
                <td className="py-2 text-right">
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={`Edit ${c.name}`}
                    onClick={() => {
                      m.update.reset();
                      setEditing(c);
                    }}
                  >
                    <Pencil size={14} />
                  </Button>
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={`Delete ${c.name}`}
                    onClick={() => {
                      m.remove.reset();
                      setDeleting(c);
                    }}
                  >
                    <Trash2 size={14} />
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <ConfirmDialog
        open={deleting !== null}
        title="Delete credential"
        message={`Delete "${deleting?.name}"? Workflows that use it must pick another credential first.`}
        confirmLabel="Delete"
        danger
        busy={m.remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && m.remove.mutate(deleting.id, { onSettled: () => setDeleting(null) })}
      />
    </main>
  );
}
