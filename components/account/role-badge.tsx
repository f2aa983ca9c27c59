import type { Role } from "@/lib/contracts";
import { cn } from "@/components/ui/cn";

const TONE: Record<Role, string> = {
  owner: "border-accent/50 text-accent",
  admin: "border-accent/40 text-accent",
  editor: "border-success/40 text-success",
  viewer: "border-border text-muted",
};

/** A small label for a role (owner, admin, editor, viewer). */
export function RoleBadge({ role, className }: { role: Role; className?: string }) {
  return (
    <span data-testid="role-badge" className={cn("rounded border px-1.5 py-0.5 text-[11px] font-medium capitalize", TONE[role], className)}>
      {role}
    </span>
  );
}
