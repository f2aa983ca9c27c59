"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Moon, Sun } from "lucide-react";
import { useTheme } from "@/components/ui/use-theme";
import { cn } from "@/components/ui/cn";
import { isOpenPage } from "@/lib/api/auth-paths";
import { useSession } from "@/lib/api/session";
import { UserMenu } from "@/components/account/user-menu";
import { WorkspaceSwitcher } from "@/components/account/workspace-switcher";

const NAV = [
  { href: "/", label: "Workflows" },
  { href: "/runs", label: "Runs" },
  { href: "/approvals", label: "Approvals" },
  { href: "/api-docs", label: "API" },
];

/** The app's top bar. On the open pages (sign-in, setup, links) only the logo and the theme toggle: nobody is signed in there. */
export function AppHeader() {
  const pathname = usePathname();
  const { theme, toggle } = useTheme();
  const open = isOpenPage(pathname);
  const session = useSession({ enabled: !open });
  return (
    <header className="flex h-12 shrink-0 items-center gap-4 border-b border-border bg-panel px-4">
      <Link href="/" className="flex items-center gap-2 font-semibold">
        {/* eslint-disable-next-line @next/next/no-img-element -- a 24 px static SVG logo: next/image has nothing to optimize */}
        <img src="/favicon.svg" alt="" className="h-6 w-6" />
        Aura Studio
      </Link>
      {!open && session.data && <WorkspaceSwitcher session={session.data} />}
      {!open && (
        <nav className="flex items-center gap-1 text-sm">
          {NAV.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className={cn(
                "rounded px-2 py-1 hover:bg-panel-2",
                (item.href === "/" ? pathname === "/" : pathname.startsWith(item.href)) && "bg-panel-2 font-medium",
              )}
            >
              {item.label}
            </Link>
          ))}
        </nav>
      )}
      <div className="flex-1" />
      <button
        type="button"
        onClick={toggle}
        className="rounded p-1.5 hover:bg-panel-2"
        aria-label={theme === "dark" ? "Switch to light theme" : "Switch to dark theme"}
        title="Toggle theme"
      >
        {theme === "dark" ? <Sun size={16} /> : <Moon size={16} />}
      </button>
      {!open && session.data && <UserMenu session={session.data} />}
    </header>
  );
}
