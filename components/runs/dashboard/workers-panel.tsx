"use client";

import { Server } from "lucide-react";
import { useQueueStatus, type QueueProcess } from "@/lib/api/queue";
import { formatCount } from "./format";

/** "3 s ago" for a heartbeat (seconds are what matter: one comes every 2 s). */
function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

function ProcessRow({ p, now }: { p: QueueProcess; now: number }) {
  return (
    <tr className="border-t border-border" data-testid="worker-row">
      <td className="py-1.5 pr-3 font-mono text-xs">{p.host}</td>
      <td className="py-1.5 pr-3 font-mono text-xs">{p.pid}</td>
      <td className="py-1.5 pr-3">
        {p.role}
        {p.draining && <span className="ml-1.5 rounded bg-warning/10 px-1 text-xs text-warning">draining</span>}
      </td>
      <td className="py-1.5 pr-3 tabular-nums">{formatCount(p.inFlight)}</td>
      <td className="py-1.5 text-muted">{ago(p.lastHeartbeatAt, now)}</td>
    </tr>
  );
}

/**
 * The processes that serve and execute runs and the run queue, on the runs dashboard: host, pid,
 * role, runs in flight, last heartbeat; jobs waiting, active and delayed (GET /api/queue).
 */
export function WorkersPanel() {
  const status = useQueueStatus();
  const s = status.data;
  // The heartbeat's age when the answer arrived (render stays pure: no clock read here).
  const now = status.dataUpdatedAt;
  return (
    <section className="rounded-xl border border-border bg-panel p-4 shadow-sm" data-testid="workers-panel" aria-labelledby="workers-title">
      <header className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="workers-title" className="inline-flex items-center gap-1.5 text-sm font-semibold">
          <Server size={14} /> Workers
        </h2>
        {s && <span className="text-xs text-muted">{s.mode === "queue" ? "Queue mode (Redis)" : "One process"}</span>}
      </header>
      {status.error && !s && <p className="text-sm text-danger">Could not read the queue: {status.error.message}</p>}
      {!s && !status.error && <p className="text-sm text-muted">Loading…</p>}
      {s && (
        <div className="grid gap-4 md:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
          <dl className="grid grid-cols-3 gap-2 text-center" data-testid="queue-counts">
            {(["waiting", "active", "delayed"] as const).map((k) => (
              <div key={k} className="rounded-lg border border-border px-2 py-1.5">
                <dt className="text-xs text-muted">{k}</dt>
                <dd className="text-lg font-semibold tabular-nums" data-testid={`queue-${k}`}>
                  {formatCount(s.queue[k])}
                </dd>
              </div>
            ))}
          </dl>
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-muted">
              <tr>
                <th className="pr-3 font-medium">Host</th>
                <th className="pr-3 font-medium">PID</th>
                <th className="pr-3 font-medium">Role</th>
                <th className="pr-3 font-medium">In flight</th>
                <th className="font-medium">Heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {s.processes.map((p) => (
                <ProcessRow key={p.label} p={p} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
