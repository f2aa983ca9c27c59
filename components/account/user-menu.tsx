"use client";

import { useRef, useState } from "react";
import Link from "next/link";
import { LogOut, Settings } from "lucide-react";
import { toast } from "sonner";
import type { SessionInfo } from "@/lib/contracts";
import { useSignOut } from "@/lib/api/session";
import { useDismiss } from "@/components/ui/use-dismiss";
import { accountErrorText } from "./error-text";
import { RoleBadge } from "./role-badge";

/** The header's account menu: who is signed in, their role here, Settings and Sign out. */
export function UserMenu({ session }: { session: SessionInfo }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, open, () => setOpen(false));
  const signOut = useSignOut();
  const { user, workspace } = session;
  const initial = (user.name || user.email).trim().charAt(0).toUpperCase() || "?";

  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Account: ${user.email}`}
        data-testid="user-menu"
        onClick={() => setOpen((o) => !o)}
        className="flex h-8 w-8 items-center justify-center rounded-full bg-accent text-sm font-semibold text-accent-fg hover:opacity-90"
      >
        {initial}
      </button>
      {open && (
        <div
          role="menu"
          aria-label="Account"
          className="absolute top-10 right-0 z-40 w-64 rounded-lg border border-border bg-panel p-1 shadow-lg"
          data-testid="user-menu-panel"
        >
          <div className="space-y-1 px-2 py-2">
            {user.name && <p className="truncate text-sm font-medium">{user.name}</p>}
            <p className="truncate text-xs text-muted" data-testid="user-email">
              {user.email}
            </p>
            <p className="flex items-center gap-1.5 text-xs text-muted">
              <RoleBadge role={workspace.role} /> in {workspace.name}
            </p>
          </div>
          <div className="my-1 h-px bg-border" />
          <Link
            href="/settings"
            role="menuitem"
            className="flex items-center gap-2 rounded px-2 py-1.5 text-sm hover:bg-panel-2"
            onClick={() => setOpen(false)}
          >
            <Settings size={14} aria-hidden /> Settings
          </Link>
          <button
            type="button"
            role="menuitem"
            data-testid="sign-out"
            disabled={signOut.isPending}
            className="flex w-full items-center gap-2 rounded px-2 py-1.5 text-left text-sm hover:bg-panel-2"
            onClick={() => signOut.mutate(undefined, { onError: (e) => toast.error(`Could not sign out: ${accountErrorText(e)}`) })}
          >
            <LogOut size={14} aria-hidden /> Sign out
          </button>
        </div>
      )}
    </div>
  );
}
