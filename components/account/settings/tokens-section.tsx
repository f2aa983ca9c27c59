"use client";

import { useState } from "react";
import { Loader2, Plus, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { RoleSchema, type ApiTokenView, type Role } from "@/lib/contracts";
import { useCreateToken, useRevokeToken, useTokens, type CreatedToken } from "@/lib/api/accounts";
import { roleAtLeast, useRole } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime } from "@/components/ui/format-time";
import { accountErrorText } from "../error-text";
import { Field, FormAlert, SelectField } from "../field";
import { OneTimeSecret } from "../one-time-secret";
import { RoleBadge } from "../role-badge";
import { Panel, SectionHeader, tdClass } from "./section";
import { SettingsTable } from "./settings-table";

const EXPIRY_DAYS = [
  { value: "", label: "Never" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
];

/** The caller's API tokens in this workspace: create (shown once), list, revoke. */
export function TokensSection() {
  const tokens = useTokens();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  const revoke = useRevokeToken();

  return (
    <div className="space-y-6">
      <SectionHeader
        title="API tokens"
        description="For scripts, CI and the aura CLI: send Authorization: Bearer <token>. A token acts as you, in this workspace, with at most your role."
      />
      {created ? (
        <OneTimeSecret
          label={`API token “${created.name}”`}
          value={created.token}
          note="Store it in your secret manager; revoke it here when it leaks."
          onDone={() => setCreated(null)}
        />
      ) : (
        <CreateTokenForm onCreated={setCreated} />
      )}
      <SettingsTable
        label="Your tokens"
        testId="tokens-table"
        columns={["Name", "Role", "Starts with", "Created", "Last used", "Expires"]}
        query={tokens}
        what="the tokens"
        empty="No tokens yet."
      >
        {tokens.data?.map((t) => (
          <tr key={t.id} className="border-b border-border last:border-0" data-testid="token-row">
            <td className={tdClass}>{t.name}</td>
            <td className={tdClass}>
              <RoleBadge role={t.role} />
            </td>
            <td className={`${tdClass} font-mono text-xs`}>{t.prefix}…</td>
            <td className={`${tdClass} text-xs text-muted`}>{formatDateTime(t.createdAt)}</td>
            <td className={`${tdClass} text-xs text-muted`}>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</td>
            <td className={`${tdClass} text-xs text-muted`}>{t.expiresAt ? formatDateTime(t.expiresAt) : "never"}</td>
            <td className={`${tdClass} text-right`}>
              <Button size="sm" variant="ghost" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
                <Trash2 size={13} /> Revoke
              </Button>
            </td>
          </tr>
        ))}
      </SettingsTable>
      <ConfirmDialog
        open={!!revoking}
        title="Revoke token?"
        message={`“${revoking?.name}” stops working at once. Whatever uses it will get 401.`}
        confirmLabel="Revoke"
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          const target = revoking;
          if (!target) return;
          revoke.mutate(target.id, {
            onSuccess: () => toast.success(`Revoked “${target.name}”`),
            onError: (e) => toast.error(`Could not revoke: ${accountErrorText(e)}`),
            onSettled: () => setRevoking(null),
          });
        }}
      />
    </div>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (t: CreatedToken) => void }) {
  const myRole = useRole();
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const [days, setDays] = useState("");
  // A token never gets more than its user's role (the server refuses it anyway).
  const roles = RoleSchema.options.filter((r) => myRole !== null && roleAtLeast(myRole, r));
  const chosen = role || myRole || "viewer";
  return (
    <Panel label="Create a token">
      <form
        className="grid items-end gap-3 p-4 sm:grid-cols-[1fr_9rem_9rem_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { name: name.trim(), role: chosen, expiresInDays: days ? Number(days) : undefined },
            {
              onSuccess: (t) => {
                setName("");
                onCreated(t);
              },
            },
          );
        }}
      >
        <Field label="Token name" placeholder="e.g. CI pipeline" required maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        <SelectField label="Token role" value={chosen} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <SelectField label="Expires" value={days} onChange={(e) => setDays(e.target.value)}>
          {EXPIRY_DAYS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" className="h-9" disabled={!name.trim() || create.isPending} data-testid="token-create">
          {create.isPending ? <Loader2 size={14} className="animate-spin" /> : <Plus size={14} />} Create token
        </Button>
        {create.isError && (
          <div className="sm:col-span-4">
            <FormAlert message={accountErrorText(create.error)} />
          </div>
        )}
      </form>
    </Panel>
  );
}
