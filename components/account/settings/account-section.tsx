"use client";

import { useState } from "react";
import { Loader2 } from "lucide-react";
import { toast } from "sonner";
import { useChangePassword, useSession } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { accountErrorText } from "../error-text";
import { Field, FormAlert } from "../field";
import { NewPasswordField } from "../new-password-field";
import { RoleBadge } from "../role-badge";
import { Panel, SectionHeader } from "./section";

/** Who you are and the password change (other sessions of the account end when it changes). */
export function AccountSection() {
  const session = useSession();
  const change = useChangePassword();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const info = session.data;

  return (
    <div>
      <SectionHeader title="Account" description="Your sign-in and your role in this workspace." />
      {info && (
        <Panel label="Profile">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 p-4 text-sm">
            <dt className="text-muted">Email</dt>
            <dd data-testid="account-email">{info.user.email}</dd>
            <dt className="text-muted">Name</dt>
            <dd>{info.user.name || "—"}</dd>
            <dt className="text-muted">Workspace</dt>
            <dd className="flex items-center gap-2">
              {info.workspace.name} <RoleBadge role={info.workspace.role} />
            </dd>
          </dl>
        </Panel>
      )}
      <h3 className="mt-8 mb-3 text-sm font-semibold">Change password</h3>
      <Panel label="Change password">
        <form
          className="max-w-sm space-y-3 p-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (next !== repeat) return setMismatch(true);
            setMismatch(false);
            change.mutate(
              { currentPassword: current, newPassword: next },
              {
                onSuccess: () => {
                  setCurrent("");
                  setNext("");
                  setRepeat("");
                  toast.success("Password changed. Your other sessions were signed out.");
                },
              },
            );
          }}
        >
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <NewPasswordField label="New password" value={next} onChange={setNext} repeat={{ value: repeat, onChange: setRepeat }} />
          <FormAlert message={mismatch ? "The two new passwords differ." : change.isError ? accountErrorText(change.error) : null} />
          <Button type="submit" variant="primary" disabled={change.isPending}>
            {change.isPending && <Loader2 size={14} className="animate-spin" />} Change password
          </Button>
        </form>
      </Panel>
    </div>
  );
}
