"use client";

import { useState } from "react";
import { Loader2, Plus, Trash2 } from "lucide-react";
import { toast } from "sonner";
import type { Invitation } from "@/lib/contracts";
import { useCreateInvitation, useInvitations, useRevokeInvitation, type CreatedLink } from "@/lib/api/accounts";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime } from "@/components/ui/format-time";
import { accountErrorText } from "../error-text";
import { Field, FormAlert, SelectField } from "../field";
import { OneTimeSecret } from "../one-time-secret";
import { RoleBadge } from "../role-badge";
import { Panel, RoleGate, SectionHeader, tdClass } from "./section";
import { SettingsTable } from "./settings-table";

const INVITE_ROLES = ["viewer", "editor", "admin"] as const;
const EXPIRY_HOURS = [
  { value: 24, label: "1 day" },
  { value: 72, label: "3 days" },
  { value: 168, label: "7 days" },
];

/** Admin+: one-time invitation links (shown once), the open ones, revoke. */
export function InvitationsSection() {
  return (
    <div className="space-y-6">
      <SectionHeader
        title="Invitations"
        description="Invite people by a one-time link. Whoever opens it first creates an account (or joins with theirs) with the role you chose."
      />
      <RoleGate minRole="admin">
        <Invitations />
      </RoleGate>
    </div>
  );
}

function Invitations() {
  const invitations = useInvitations();
  const [created, setCreated] = useState<CreatedLink | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const revoke = useRevokeInvitation();
  return (
    <>
      {created ? (
        <OneTimeSecret
          label="Invitation link"
          value={created.url}
          note={`Send it to the person; it works once, until ${formatDateTime(created.expiresAt)}.`}
          onDone={() => setCreated(null)}
        />
      ) : (
        <CreateInvitationForm onCreated={setCreated} />
      )}
      <SettingsTable
        label="Open invitations"
        testId="invitations-table"
        columns={["For", "Role", "Created", "Expires"]}
        query={invitations}
        what="the invitations"
        empty="No open invitations."
      >
        {invitations.data?.map((inv) => (
          <tr key={inv.id} className="border-b border-border last:border-0" data-testid="invitation-row">
            <td className={tdClass}>{inv.email ?? <span className="text-muted">anyone with the link</span>}</td>
            <td className={tdClass}>
              <RoleBadge role={inv.role} />
            </td>
            <td className={`${tdClass} text-xs text-muted`}>{formatDateTime(inv.createdAt)}</td>
            <td className={`${tdClass} text-xs text-muted`}>{formatDateTime(inv.expiresAt)}</td>
            <td className={`${tdClass} text-right`}>
              <Button size="sm" variant="ghost" onClick={() => setRevoking(inv)} aria-label={`Revoke invitation ${inv.email ?? inv.id}`}>
                <Trash2 size={13} /> Revoke
              </Button>
            </td>
          </tr>
        ))}
      </SettingsTable>
      <ConfirmDialog
        open={!!revoking}
        title="Revoke invitation?"
        message="The link stops working at once."
        confirmLabel="Revoke"
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          const target = revoking;
          if (!target) return;
          revoke.mutate(target.id, {
            onSuccess: () => toast.success("Invitation revoked"),
            onError: (e) => toast.error(`Could not revoke: ${accountErrorText(e)}`),
            onSettled: () => setRevoking(null),
          });
        }}
      />
    </>
  );
}

function CreateInvitationForm({ onCreated }: { onCreated: (link: CreatedLink) => void }) {
  const create = useCreateInvitation();
  const [role, setRole] = useState<(typeof INVITE_ROLES)[number]>("viewer");
  const [email, setEmail] = useState("");
  const [hours, setHours] = useState(72);
  return (
    <Panel label="Invite someone">
      <form
        className="grid items-end gap-3 p-4 sm:grid-cols-[9rem_1fr_9rem_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { role, email: email.trim() || undefined, expiresInHours: hours },
            {
              onSuccess: (link) => {
                setEmail("");
                onCreated(link);
              },
            },
          );
        }}
      >
        <SelectField label="Invite as" value={role} onChange={(e) => setRole(e.target.value as (typeof INVITE_ROLES)[number])}>
          {INVITE_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <Field label="Email (optional, a note for admins)" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <SelectField label="Link expires in" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
          {EXPIRY_HOURS.map((h) => (
            <option key={h.value} value={h.value}>
              {h.label}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" className="h-9" disabled={create.isPending} data-testid="invitation-create">
          {create.isPending ? <Loader2 size={14} className="animate-spin" /> : <Plus size={14} />} Create link
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
