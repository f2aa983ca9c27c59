import { cn } from "@/components/ui/cn";
import type { StreamStatus } from "@/lib/realtime/realtime-client";

/** "Live" dot of the workspace feed. */
export function LiveIndicator({ status }: { status: StreamStatus }) {
  const live = status === "live";
  return (
    <span
      className="inline-flex items-center gap-1.5 rounded-full border border-border bg-panel px-2.5 py-1 text-xs font-medium text-muted"
      data-testid="live-indicator"
      data-status={status}
    >
      <span className="relative flex h-2 w-2">
        {live && <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-success opacity-60" />}
        <span className={cn("relative inline-flex h-2 w-2 rounded-full", live ? "bg-success" : status === "error" ? "bg-danger" : "bg-warning")} />
      </span>
      {live ? "Live" : status === "error" ? "Offline" : "Connecting…"}
    </span>
  );
}
