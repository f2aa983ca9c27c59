import { Ban, CheckCircle2, CircleDashed, Hand, Loader2, XCircle } from "lucide-react";
import { cn } from "@/components/ui/cn";

export const STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatusName = (typeof STATUSES)[number];

export const STATUS_LABEL: Record<RunStatusName, string> = {
  queued: "Queued",
  running: "Running",
  waiting: "Waiting",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** Colour of each status (CSS colour, for charts too). */
export const STATUS_COLOR: Record<RunStatusName, string> = {
  queued: "var(--color-muted)",
  running: "var(--color-accent)",
  waiting: "var(--color-warning)",
  succeeded: "var(--color-success)",
  failed: "var(--color-danger)",
  cancelled: "#94a3b8",
};

const STYLE: Record<RunStatusName, string> = {
  queued: "bg-panel-2 text-muted",
  running: "bg-accent/10 text-accent",
  waiting: "bg-warning/10 text-warning",
  succeeded: "bg-success/10 text-success",
  failed: "bg-danger/10 text-danger",
  cancelled: "bg-panel-2 text-muted",
};

const ICON = { queued: CircleDashed, running: Loader2, waiting: Hand, succeeded: CheckCircle2, failed: XCircle, cancelled: Ban } as const;

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const s = (STATUSES as readonly string[]).includes(status) ? (status as RunStatusName) : "queued";
  const Icon = ICON[s];
  return (
    <span
      className={cn("inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium", STYLE[s], className)}
      data-testid="run-status"
      data-status={status}
    >
      <Icon size={12} className={cn(s === "running" && "animate-spin")} aria-hidden />
      {STATUS_LABEL[s] ?? status}
    </span>
  );
}
