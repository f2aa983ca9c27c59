"use client";

import { memo } from "react";
import { useEditor } from "@/lib/editor";
import { nodeStatus } from "@/lib/editor/run-overlay";
import { useZoomedOut } from "../use-zoomed-out";
import { formatDuration, STATUS_META, StatusIcon } from "./run-status";

/**
 * A node's live run state on the canvas: a coloured ring, a badge (icon, status, attempt, duration) and
 * the error of a failed node. Reads only this node's overlay entry (per-node selectors), so a frame of
 * events re-renders the nodes they touched. `data-run-status` and `data-attempt` are what tests read.
 *
 * Zoomed out (level of detail) the ring becomes a flat status tint over the card and the badge is not
 * drawn: its text would be under 1 px tall, and with hundreds of nodes in view the badge's text
 * layout and the ring's animated shadow made a status storm cost 100-500 ms frames (profiled).
 */
function RunNodeOverlayView({ id }: { id: string }) {
  const status = useEditor((s) => nodeStatus(s.run, id));
  const n = useEditor((s) => s.run.nodes.get(id));
  const zoomedOut = useZoomedOut();
  // A fast run's replay holds this node's state back until its turn (a CSS animation delay).
  const replayDelay = useEditor((s) => (s.replay && s.replay.runId === s.run.runId ? s.replay.delays.get(id) : undefined));
  if (!status) return null;
  const meta = STATUS_META[status];
  const replay = replayDelay !== undefined ? " run-replay" : "";
  const replayStyle = replayDelay !== undefined ? ({ "--replay-delay": `${replayDelay}ms` } as React.CSSProperties) : undefined;
  const showError = status === "failed" && n?.error;
  const ring = (
    <div
      className={`run-ring ${meta.tone}${zoomedOut ? " run-lod" : ""}${replay}`}
      style={replayStyle}
      data-testid={`run-status-${id}`}
      data-run-status={status}
      data-attempt={n?.attempt ?? 0}
      data-replay-delay={replayDelay}
      aria-hidden
    />
  );
  const error = showError && (
    <div className="run-node-error" data-testid={`run-error-${id}`} title={`${n.error!.code}: ${n.error!.message}`}>
      {n.handled ? "Handled: " : ""}
      {n.error!.message}
    </div>
  );
  if (zoomedOut)
    return (
      <>
        {ring}
        {error}
      </>
    );
  let sub = "";
  if (status === "retrying" && n) sub = `attempt ${n.attempt} failed · retry ${n.nextAttempt ?? n.attempt + 1}`;
  else if (status === "running" && n && n.active > 1) sub = `${n.active} items`;
  else if (status === "running" && n && n.attempt > 1) sub = `attempt ${n.attempt}`;
  else if ((status === "succeeded" || status === "failed") && n)
    sub = `${n.runs > 1 ? `×${n.runs} · ` : ""}${n.attempt > 1 ? `attempt ${n.attempt} · ` : ""}${formatDuration(n.durationMs)}`;
  return (
    <>
      {ring}
      <div
        className={`run-badge ${meta.tone}${replay}`}
        style={replayStyle}
        role="status"
        aria-label={`${meta.label}${sub ? `, ${sub}` : ""}`}
        title={n?.error ? `${n.error.code}: ${n.error.message}` : meta.label}
      >
        <StatusIcon status={status} size={11} />
        {status === "waiting" ? "Waiting" : meta.label}
        {sub && <span className="run-badge-sub">· {sub}</span>}
      </div>
      {error}
    </>
  );
}

export const RunNodeOverlay = memo(RunNodeOverlayView);
