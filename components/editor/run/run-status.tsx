"use client";

import { Ban, CheckCircle2, Clock, Hand, Loader2, RotateCw, SkipForward, XCircle } from "lucide-react";
import type { LiveNodeStatus, LiveRunStatus } from "@/lib/editor/run-overlay";

/** Label, icon and colour class of every live status, shared by the canvas, the run view and the inbox. */
export const STATUS_META: Record<
  LiveNodeStatus | Exclude<LiveRunStatus, "idle"> | "cancelled",
  { label: string; tone: string; Icon: React.ComponentType<{ size?: number; className?: string }> }
> = {
  queued: { label: "Queued", tone: "run-tone-queued", Icon: Clock },
  running: { label: "Running", tone: "run-tone-running", Icon: Loader2 },
  succeeded: { label: "Succeeded", tone: "run-tone-succeeded", Icon: CheckCircle2 },
  failed: { label: "Failed", tone: "run-tone-failed", Icon: XCircle },
  retrying: { label: "Retrying", tone: "run-tone-retrying", Icon: RotateCw },
  waiting: { label: "Waiting for approval", tone: "run-tone-waiting", Icon: Hand },
  skipped: { label: "Skipped", tone: "run-tone-skipped", Icon: SkipForward },
  cancelled: { label: "Cancelled", tone: "run-tone-cancelled", Icon: Ban },
};

/** A status icon (spinning while running). */
export function StatusIcon({ status, size = 12 }: { status: keyof typeof STATUS_META; size?: number }) {
  const { Icon } = STATUS_META[status];
  return <Icon size={size} className={status === "running" ? "animate-spin" : status === "retrying" ? "animate-[spin_2s_linear_infinite]" : undefined} />;
}

/** A pill with icon and label in the status colour. */
export function StatusPill({ status, children, testId }: { status: keyof typeof STATUS_META; children?: React.ReactNode; testId?: string }) {
  const meta = STATUS_META[status];
  return (
    <span className={`run-pill ${meta.tone}`} data-testid={testId} data-status={status}>
      <StatusIcon status={status} />
      {children ?? meta.label}
    </span>
  );
}

/** Durations are formatted in one place for the whole app. */
export { formatDuration } from "@/components/ui/format-time";

export function formatCost(usd: number | null | undefined): string {
  if (!usd) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(3)}`;
}
