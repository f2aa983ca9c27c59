"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { hardNavigate, sessionApi, sessionKeys } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { AuthCard } from "./auth-card";
import { accountErrorText } from "./error-text";
import { Field, FormAlert } from "./field";
import { NewPasswordField } from "./new-password-field";

/**
 * First start: create the owner account. A client on the server's own machine needs nothing else;
 * anyone else types the one-time setup token the server printed in its log. Once an owner exists
 * this page only forwards to the sign-in.
 */
export function SetupForm() {
  const router = useRouter();
  const status = useQuery({ queryKey: sessionKeys.setup, queryFn: sessionApi.setupStatus, retry: false });
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [setupToken, setSetupToken] = useState("");
  const setup = useMutation({ mutationFn: sessionApi.setup, onSuccess: () => hardNavigate("/") });

  const done = status.data && !status.data.pending;
  useEffect(() => {
    if (done) router.replace("/sign-in");
  }, [done, router]);

  if (status.isPending || done) {
    return (
      <AuthCard title="Set up Aura Studio">
        <p className="flex items-center gap-2 text-sm text-muted" aria-busy="true">
          <Loader2 size={14} className="animate-spin" /> {done ? "Setup is done; opening the sign-in…" : "Checking…"}
        </p>
      </AuthCard>
    );
  }
  if (status.isError) {
    return (
      <AuthCard title="Set up Aura Studio">
        <FormAlert message={`Could not ask the server: ${accountErrorText(status.error)}`} />
      </AuthCard>
    );
  }
  const local = status.data.local;
  return (
    <AuthCard title="Set up Aura Studio" description="Create the owner account. The owner manages members, roles and credentials of the default workspace.">
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          setup.mutate({ email: email.trim(), password, name: name.trim() || undefined, setupToken: local ? undefined : setupToken.trim() });
        }}
      >
        <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <Field label="Name (optional)" autoComplete="name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        <NewPasswordField value={password} onChange={setPassword} />
        {!local && (
          <Field
            label="Setup token (printed in the server log)"
            required
            autoComplete="off"
            spellCheck={false}
            value={setupToken}
            onChange={(e) => setSetupToken(e.target.value)}
            className="h-9 font-mono"
            hint="You are not on the server's machine, so prove you can read its log: the token is on the line that says setup is pending."
          />
        )}
        <FormAlert message={setup.isError ? accountErrorText(setup.error) : null} />
        <Button type="submit" variant="primary" className="h-9 w-full justify-center" disabled={setup.isPending || setup.isSuccess} data-testid="setup-submit">
          {setup.isPending && <Loader2 size={14} className="animate-spin" />} Create owner account
        </Button>
      </form>
    </AuthCard>
  );
}
