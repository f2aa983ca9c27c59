"use client";

import type { Role } from "@/lib/contracts";
import { roleAtLeast, useRole } from "@/lib/api/session";

/** A settings page's heading and one line saying what it is for. */
export function SectionHeader({ title, description, action }: { title: string; description: string; action?: React.ReactNode }) {
  return (
    <header className="mb-5 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h2 className="text-xl font-semibold tracking-tight">{title}</h2>
        <p className="mt-1 text-sm text-muted">{description}</p>
      </div>
      {action}
    </header>
  );
}

/** Renders its children only for `minRole` and above; others get a sentence instead of a 403 from the server. */
export function RoleGate({ minRole, children }: { minRole: Role; children: React.ReactNode }) {
  const role = useRole();
  if (role === null) return <p className="text-sm text-muted">Loading…</p>;
  if (!roleAtLeast(role, minRole)) {
    return (
      <p className="rounded-lg border border-border bg-panel p-4 text-sm text-muted" data-testid="role-gate">
        This page is for {minRole}s of the workspace; you are a {role}.
      </p>
    );
  }
  return <>{children}</>;
}

/** The bordered box a settings table or form sits in. */
export function Panel({ children, label }: { children: React.ReactNode; label?: string }) {
  return (
    <section aria-label={label} className="overflow-hidden rounded-xl border border-border bg-panel">
      {children}
    </section>
  );
}

export const thClass = "px-3 py-2 text-left text-xs font-medium text-muted";
export const tdClass = "px-3 py-2 align-middle";
