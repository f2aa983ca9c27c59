import type { Metadata } from "next";
import { SettingsNav } from "@/components/account/settings/settings-nav";

export const metadata: Metadata = { title: "Settings · Aura Studio" };

/** Every settings page: the nav on the left (components/account/settings/settings-nav.tsx lists the pages), the page on the right. */
export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="h-full overflow-auto">
      <div className="mx-auto flex max-w-6xl gap-8 px-6 py-8">
        <SettingsNav />
        <div className="min-w-0 flex-1">{children}</div>
      </div>
    </div>
  );
}
