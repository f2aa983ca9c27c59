import Link from "next/link";
import { Loader2 } from "lucide-react";
import { AuthCard } from "./auth-card";
import { FormAlert } from "./field";

/** The link page while it asks the server what the link is. */
export function LinkLoading({ title }: { title: string }) {
  return (
    <AuthCard title={title}>
      <p className="flex items-center gap-2 text-sm text-muted" aria-busy="true">
        <Loader2 size={14} className="animate-spin" /> Checking the link…
      </p>
    </AuthCard>
  );
}

/** An expired, used or unknown link: say so, and what to do instead. */
export function LinkExpired({ title, what }: { title: string; what: string }) {
  return (
    <AuthCard title={title}>
      <div className="space-y-3" data-testid="link-expired">
        <FormAlert message={`This ${what} link has expired or was already used.`} />
        <p className="text-sm text-muted">Ask an admin of the workspace for a new link. Links work once and only for a limited time.</p>
        <Link href="/sign-in" className="text-sm text-accent underline-offset-2 hover:underline">
          Go to sign-in
        </Link>
      </div>
    </AuthCard>
  );
}

/** A link that could not be checked for another reason (server down, …). */
export function LinkError({ title, message }: { title: string; message: string }) {
  return (
    <AuthCard title={title}>
      <FormAlert message={message} />
    </AuthCard>
  );
}
