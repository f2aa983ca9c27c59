"use client";

import { useState } from "react";
import { KeyRound, UserMinus } from "lucide-react";
import { toast } from "sonner";
import { RoleSchema, type Member, type Role } from "@/lib/contracts";
import { useChangeRole, useMembers, useRemoveMember, useResetAccess, type CreatedLink } from "@/lib/api/accounts";
import { useSession } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime } from "@/components/ui/format-time";
import { accountErrorText } from "../error-text";
import { OneTimeSecret } from "../one-time-secret";
import { RoleGate, SectionHeader, tdClass } from "./section";
import { SettingsTable } from "./settings-table";

type Pending = { kind: "remove" | "reset"; member: Member };

/** Admin+: the workspace's members, their roles, removal and access resets (a one-time link). */
export function MembersSection() {
  return (
    <div className="space-y-6">
      <SectionHeader title="Members" description="Who works in this workspace and with which role. Only an owner can make or change owners." />
      <RoleGate minRole="admin">
        <Members />
      </RoleGate>
    </div>
  );
}

function Members() {
  const session = useSession();
  const members = useMembers();
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const reset = useResetAccess();
  const [pending, setPending] = useState<Pending | null>(null);
  const [resetLink, setResetLink] = useState<{ link: CreatedLink; email: string } | null>(null);
  const me = session.data?.user.id;
  const iAmOwner = session.data?.workspace.role === "owner";
  const assignable = RoleSchema.options.filter((r) => iAmOwner || r !== "owner");

  const confirm = () => {
    if (!pending) return;
    const { kind, member } = pending;
    const done = () => setPending(null);
    if (kind === "remove") {
      remove.mutate(member.userId, {
        onSuccess: () => toast.success(`Removed ${member.email}`),
        onError: (e) => toast.error(`Could not remove: ${accountErrorText(e)}`),
        onSettled: done,
      });
    } else {
      reset.mutate(member.userId, {
        onSuccess: (link) => setResetLink({ link, email: member.email }),
        onError: (e) => toast.error(`Could not reset access: ${accountErrorText(e)}`),
        onSettled: done,
      });
    }
  };

  return (
    <>
      {resetLink && (
        <OneTimeSecret
          label={`Reset link for ${resetLink.email}`}
          value={resetLink.link.url}
          note={`Their sessions and tokens were ended; with this link they set a new password (until ${formatDateTime(resetLink.link.expiresAt)}).`}
          onDone={() => setResetLink(null)}
        />
      )}
      <SettingsTable label="Members" testId="members-table" columns={["Member", "Role", "Joined"]} query={members} what="the members">
        {members.data?.map((m) => {
          const self = m.userId === me;
          // An admin cannot change or remove an owner (the server says so too).
          const locked = m.role === "owner" && !iAmOwner;
          return (
            <tr key={m.userId} className="border-b border-border last:border-0" data-testid="member-row">
              <td className={tdClass}>
                <div className="font-medium">
                  {m.name || m.email} {self && <span className="text-xs font-normal text-muted">(you)</span>}
                </div>
                {m.name && <div className="text-xs text-muted">{m.email}</div>}
              </td>
              <td className={tdClass}>
                <select
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  disabled={locked || changeRole.isPending}
                  onChange={(e) =>
                    changeRole.mutate(
                      { userId: m.userId, role: e.target.value as Role },
                      {
                        onSuccess: () => toast.success(`${m.email} is now ${e.target.value}`),
                        onError: (err) => toast.error(`Could not change the role: ${accountErrorText(err)}`),
                      },
                    )
                  }
                  className="h-8 rounded-md border border-border bg-panel px-2 text-sm capitalize"
                >
                  {(locked ? [m.role] : assignable).map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td className={`${tdClass} text-xs text-muted`}>{formatDateTime(m.joinedAt)}</td>
              <td className={`${tdClass} text-right whitespace-nowrap`}>
                {!self && !locked && (
                  <>
                    <Button size="sm" variant="ghost" onClick={() => setPending({ kind: "reset", member: m })} aria-label={`Reset access of ${m.email}`}>
                      <KeyRound size={13} /> Reset access
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setPending({ kind: "remove", member: m })} aria-label={`Remove ${m.email}`}>
                      <UserMinus size={13} /> Remove
                    </Button>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </SettingsTable>
      <ConfirmDialog
        open={!!pending}
        title={pending?.kind === "remove" ? "Remove member?" : "Reset access?"}
        message={
          pending?.kind === "remove"
            ? `${pending.member.email} loses access to this workspace; their API tokens for it are revoked.`
            : `${pending?.member.email} is signed out everywhere and their API tokens stop working. You get a one-time link for them to set a new password.`
        }
        confirmLabel={pending?.kind === "remove" ? "Remove" : "Reset access"}
        danger
        busy={remove.isPending || reset.isPending}
        onCancel={() => setPending(null)}
        onConfirm={confirm}
      />
    </>
  );
}
