"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { hardNavigate, sessionApi } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { AuthCard } from "./auth-card";
import { accountErrorText } from "./error-text";
import { FormAlert } from "./field";
import { NewPasswordField } from "./new-password-field";
import { LinkError, LinkExpired, LinkLoading } from "./link-states";
import { useAccessLink } from "./use-access-link";

const TITLE = "Set a new password";

/** A reset link from an admin: choose a new password, then sign in with it. */
export function ResetForm({ token }: { token: string }) {
  const link = useAccessLink(token);
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation({ mutationFn: (pw: string) => sessionApi.useLink(token, { password: pw }), onSuccess: () => hardNavigate("/sign-in") });

  if (link.isPending) return <LinkLoading title={TITLE} />;
  if (link.expired) return <LinkExpired title={TITLE} what="reset" />;
  if (link.isError) return <LinkError title={TITLE} message={accountErrorText(link.error)} />;
  if (link.data.kind !== "reset") return <LinkError title={TITLE} message="This is an invitation link, not a password reset." />;

  return (
    <AuthCard
      title={TITLE}
      description={
        <>
          For your account{link.data.email ? ` ${link.data.email}` : ""} in <strong className="text-fg">{link.data.workspaceName}</strong>. Afterwards, sign in
          with the new password.
        </>
      }
    >
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (password !== repeat) return setMismatch(true);
          setMismatch(false);
          reset.mutate(password);
        }}
      >
        <NewPasswordField label="New password" value={password} onChange={setPassword} autoFocus repeat={{ value: repeat, onChange: setRepeat }} />
        <FormAlert message={mismatch ? "The two passwords differ." : reset.isError ? accountErrorText(reset.error) : null} />
        <Button type="submit" variant="primary" className="h-9 w-full justify-center" disabled={reset.isPending || reset.isSuccess} data-testid="reset-submit">
          {reset.isPending && <Loader2 size={14} className="animate-spin" />} Set password
        </Button>
      </form>
    </AuthCard>
  );
}
