"use client";

import { memo } from "react";
import { useEditor } from "@/lib/editor";
import { nodeStatus } from "@/lib/editor/run-overlay";
import { formatDuration, STATUS_META, StatusIcon } from "./run-status";

/**
 * A node's live run state on the canvas: a coloured ring, a badge (icon, status, attempt, duration) and
 * the error of a failed node. Reads only this node's overlay entry (per-node selectors), so a frame of
 * events re-renders the nodes they touched. `data-run-status` is what tests read.
 */
function RunNodeOverlayView({ id }: { id: string }) {
  const status = useEditor((s) => nodeStatus(s.run, id));
  const n = useEditor((s) => s.run.nodes.get(id));
  if (!status) return null;
  const meta = STATUS_META[status];
  let sub = "";
  if (status === "retrying" && n) sub = `attempt ${n.attempt} failed · retry ${n.nextAttempt ?? n.attempt + 1}`;
  else if (status === "running" && n && n.active > 1) sub = `${n.active} items`;
  else if (status === "running" && n && n.attempt > 1) sub = `attempt ${n.attempt}`;
  else if ((status === "succeeded" || status === "failed") && n) sub = `${n.runs > 1 ? `×${n.runs} · ` : ""}${n.attempt > 1 ? `attempt ${n.attempt} · ` : ""}${formatDuration(n.durationMs)}`;
  const showError = status === "failed" && n?.error;
  return (
    <>
      <div className={`run-ring ${meta.tone}`} data-testid={`run-status-${id}`} data-run-status={status} data-attempt={n?.attempt ?? 0} aria-hidden />
      <div className={`run-badge ${meta.tone}`} role="status" aria-label={`${meta.label}${sub ? `, ${sub}` : ""}`} title={n?.error ? `${n.error.code}: ${n.error.message}` : meta.label}>
        <StatusIcon status={status} size={11} />
        {status === "waiting" ? "Waiting" : meta.label}
        {sub && <span className="run-badge-sub">· {sub}</span>}
      </div>
      {showError && (
        <div className="run-node-error" data-testid={`run-error-${id}`} title={`${n!.error!.code}: ${n!.error!.message}`}>
          {n!.handled ? "Handled: " : ""}
          {n!.error!.message}
        </div>
      )}
    </>
  );
}

export const RunNodeOverlay = memo(RunNodeOverlayView);
