"use client";

import { useState } from "react";
import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { hardNavigate, sessionApi, useSession } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format-time";
import { AuthCard } from "./auth-card";
import { accountErrorText } from "./error-text";
import { Field, FormAlert } from "./field";
import { NewPasswordField } from "./new-password-field";
import { LinkError, LinkExpired, LinkLoading } from "./link-states";
import { RoleBadge } from "./role-badge";
import { useAccessLink } from "./use-access-link";

const TITLE = "Join a workspace";

/**
 * An invitation link: names the workspace and role, then either creates the account (a visitor) or
 * adds the signed-in user to the workspace with one button.
 */
export function InviteView({ token }: { token: string }) {
  const link = useAccessLink(token);
  // On an open page a 401 is just "not signed in" (the fetch helper does not redirect here).
  const session = useSession();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const accept = useMutation({
    mutationFn: (body: Parameters<typeof sessionApi.useLink>[1]) => sessionApi.useLink(token, body),
    onSuccess: () => hardNavigate("/"),
  });

  if (link.isPending || session.isPending) return <LinkLoading title={TITLE} />;
  if (link.expired) return <LinkExpired title={TITLE} what="invitation" />;
  if (link.isError) return <LinkError title={TITLE} message={accountErrorText(link.error)} />;
  const info = link.data;
  if (info.kind !== "invite") {
    return <LinkError title={TITLE} message="This is a password reset link, not an invitation." />;
  }

  const description = (
    <span data-testid="invite-summary">
      You are invited to <strong className="text-fg">{info.workspaceName}</strong>
      {info.role && (
        <>
          {" "}
          as <RoleBadge role={info.role} />
        </>
      )}
      . The link works until {formatDateTime(info.expiresAt)}.
    </span>
  );
  const error = <FormAlert message={accept.isError ? accountErrorText(accept.error) : null} />;

  if (session.data) {
    return (
      <AuthCard title={TITLE} description={description}>
        <div className="space-y-3">
          <p className="text-sm">
            Signed in as <strong>{session.data.user.email}</strong>.
          </p>
          {error}
          <Button
            variant="primary"
            className="h-9 w-full justify-center"
            disabled={accept.isPending || accept.isSuccess}
            onClick={() => accept.mutate({})}
            data-testid="invite-join"
          >
            {accept.isPending && <Loader2 size={14} className="animate-spin" />} Join {info.workspaceName}
          </Button>
        </div>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={TITLE} description={description}>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          accept.mutate({ email: email.trim(), name: name.trim() || undefined, password });
        }}
      >
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder={info.email ?? undefined}
        />
        <Field label="Name" autoComplete="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <NewPasswordField value={password} onChange={setPassword} />
        {error}
        <Button
          type="submit"
          variant="primary"
          className="h-9 w-full justify-center"
          disabled={accept.isPending || accept.isSuccess}
          data-testid="invite-create-account"
        >
          {accept.isPending && <Loader2 size={14} className="animate-spin" />} Create account and join
        </Button>
        <p className="text-xs text-muted">
          Already have an account?{" "}
          <Link href={`/sign-in?next=${encodeURIComponent(`/invite/${token}`)}`} className="text-accent hover:underline">
            Sign in
          </Link>{" "}
          first, then open this link again.
        </p>
      </form>
    </AuthCard>
  );
}
