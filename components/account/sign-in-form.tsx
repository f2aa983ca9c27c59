"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { safeNextPath } from "@/lib/api/auth-paths";
import { hardNavigate, sessionApi } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { AuthCard } from "./auth-card";
import { accountErrorText } from "./error-text";
import { Field, FormAlert } from "./field";

/**
 * Email and password; on success a full page load of `next` (only a same-site path: see
 * safeNextPath), so every query starts fresh under the new session.
 */
export function SignInForm({ next }: { next: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({ mutationFn: sessionApi.signIn, onSuccess: () => hardNavigate(safeNextPath(next)) });
  return (
    <AuthCard title="Sign in" description="to Aura Studio">
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate({ email: email.trim(), password });
        }}
      >
        <Field label="Email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <FormAlert message={signIn.isError ? accountErrorText(signIn.error) : null} />
        <Button
          type="submit"
          variant="primary"
          className="h-9 w-full justify-center"
          disabled={signIn.isPending || signIn.isSuccess}
          data-testid="sign-in-submit"
        >
          {signIn.isPending && <Loader2 size={14} className="animate-spin" />} Sign in
        </Button>
        <p className="text-xs text-muted">Forgot your password? Ask an admin of your workspace to reset your access.</p>
      </form>
    </AuthCard>
  );
}
