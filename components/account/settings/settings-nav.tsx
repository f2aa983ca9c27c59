"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { Role } from "@/lib/contracts";
import { roleAtLeast, useRole } from "@/lib/api/session";
import { cn } from "@/components/ui/cn";

/**
 * The settings pages, each with the least role that may use it (the server enforces the same; this
 * only hides what would answer 403). Add a page here to give it a link.
 */
export const SETTINGS_NAV: { href: string; label: string; minRole: Role }[] = [
  { href: "/settings", label: "Account", minRole: "viewer" },
  { href: "/settings/tokens", label: "API tokens", minRole: "viewer" },
  { href: "/settings/members", label: "Members", minRole: "admin" },
  { href: "/settings/invitations", label: "Invitations", minRole: "admin" },
  { href: "/settings/credentials", label: "Credentials", minRole: "admin" },
  { href: "/settings/audit", label: "Audit log", minRole: "admin" },
  { href: "/settings/providers", label: "Providers", minRole: "viewer" },
];

export function SettingsNav() {
  const pathname = usePathname();
  const role = useRole();
  const items = SETTINGS_NAV.filter((item) => role !== null && roleAtLeast(role, item.minRole));
  return (
    <nav aria-label="Settings" className="w-44 shrink-0">
      <h1 className="mb-3 px-2 text-lg font-semibold tracking-tight">Settings</h1>
      <ul className="space-y-0.5 text-sm">
        {items.map((item) => {
          const active = item.href === "/settings" ? pathname === "/settings" : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn("block rounded px-2 py-1.5 hover:bg-panel-2", active && "bg-panel-2 font-medium")}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
