"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { RunEvent, RunEventType } from "@/lib/contracts/events";
import { cn } from "@/components/ui/cn";
import { formatTimeOfDay } from "@/components/ui/format-time";

const ROW = 28;
const HEIGHT = 420;
const OVERSCAN = 10;

function summary(e: RunEvent): string {
  switch (e.type) {
    case "run.queued":
      return `${e.position ? `queued, position ${e.position}` : "queued"}${e.usePinnedData ? " · uses pinned outputs" : ""}`;
    case "run.started":
      return `${e.resumed ? "resumed" : "started"} ${e.workflowName}`;
    case "run.finished":
      return `finished in ${e.durationMs} ms · result ${JSON.stringify(e.result)?.slice(0, 120)}`;
    case "run.failed":
      return `${e.error.code}: ${e.error.message}`;
    case "run.cancelled":
      return e.reason ?? "cancelled";
    case "node.started":
      return `attempt ${e.attempt}${e.itemIndex !== undefined ? ` · item ${e.itemIndex}` : ""}`;
    case "node.finished":
      return `${e.durationMs} ms${e.port ? ` → ${e.port}` : ""}${e.tokens ? ` · ${e.tokens.input}/${e.tokens.output} tok` : ""}${e.itemIndex !== undefined ? ` · item ${e.itemIndex}` : ""}`;
    case "node.failed":
      return `${e.error.code}: ${e.error.message}${e.handled ? " (handled)" : ""}`;
    case "node.retrying":
      return `attempt ${e.attempt} failed (${e.error.code}); attempt ${e.nextAttempt} in ${e.delayMs} ms`;
    case "node.skipped":
      return e.reason;
    case "node.waiting":
      return e.instructions || "waiting for approval";
    case "node.escalation":
      return `${e.level} ${e.outcome}${e.to ? ` → ${e.to}` : ""}${e.confidence != null ? ` · confidence ${e.confidence} / ${e.threshold}` : ""}${e.reason ? ` · ${e.reason}` : ""}`;
    case "token":
      return JSON.stringify(e.text);
    case "state.update":
      return JSON.stringify(e.values).slice(0, 160);
    default:
      return "";
  }
}

const tone = (t: RunEventType) =>
  t.endsWith("failed")
    ? "text-[var(--run-failed)]"
    : t.endsWith("finished")
      ? "text-[var(--run-succeeded)]"
      : t === "node.retrying"
        ? "text-[var(--run-retrying)]"
        : t === "node.waiting"
          ? "text-[var(--run-waiting)]"
          : t.endsWith("started")
            ? "text-[var(--run-running)]"
            : "text-muted";

/**
 * The run's event log: filters by type and node, virtualised (only the rows in view are in the DOM),
 * following the tail while scrolled to the bottom. The container's data attributes describe the whole
 * log (count, distinct seqs, first/last seq) for tests.
 */
export function EventLog({ events, version, onSelectNode }: { events: readonly RunEvent[]; version: number; onSelectNode?: (id: string) => void }) {
  const [type, setType] = useState<string>("");
  const [node, setNode] = useState<string>("");
  const [scrollTop, setScrollTop] = useState(0);
  const [follow, setFollow] = useState(true);
  const ref = useRef<HTMLDivElement>(null);

  const { filtered, types, nodes, distinct } = useMemo(() => {
    const types = new Set<string>();
    const nodes = new Set<string>();
    const seqs = new Set<number>();
    const filtered: RunEvent[] = [];
    for (const e of events) {
      types.add(e.type);
      seqs.add(e.seq);
      const nid = "nodeId" in e ? e.nodeId : undefined;
      if (nid) nodes.add(nid);
      if (type && (type.endsWith(".*") ? !e.type.startsWith(type.slice(0, -1)) : e.type !== type)) continue;
      if (node && nid !== node) continue;
      filtered.push(e);
    }
    return { filtered, types: [...types].sort(), nodes: [...nodes].sort(), distinct: seqs.size };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- events grows in place; version is what changes when it does
  }, [events, version, type, node]);

  useEffect(() => {
    if (follow && ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [filtered, follow]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(filtered.length, Math.ceil((scrollTop + HEIGHT) / ROW) + OVERSCAN);
  const rows = filtered.slice(first, last);

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <select
          value={type}
          onChange={(e) => setType(e.target.value)}
          className="h-7 rounded-md border border-border bg-panel px-1.5"
          aria-label="Filter by event type"
          data-testid="log-filter-type"
        >
          <option value="">All types</option>
          <option value="run.*">run.*</option>
          <option value="node.*">node.*</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <select
          value={node}
          onChange={(e) => setNode(e.target.value)}
          className="h-7 rounded-md border border-border bg-panel px-1.5"
          aria-label="Filter by node"
          data-testid="log-filter-node"
        >
          <option value="">All nodes</option>
          {nodes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <span className="text-muted" data-testid="log-shown">
          {filtered.length === events.length ? `${events.length} events` : `${filtered.length} of ${events.length} events`}
        </span>
        <label className="ml-auto flex items-center gap-1.5 text-muted">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
      </div>
      <div
        ref={ref}
        className="relative overflow-auto rounded-lg border border-border bg-panel font-mono text-[11px]"
        style={{ height: HEIGHT }}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW;
          if (atBottom !== follow) setFollow(atBottom);
        }}
        data-testid="event-log"
        data-count={events.length}
        data-distinct={distinct}
        data-first-seq={events[0]?.seq ?? -1}
        data-last-seq={events.at(-1)?.seq ?? -1}
        role="log"
        aria-label="Event log"
      >
        <div style={{ height: filtered.length * ROW, position: "relative" }}>
          {rows.map((e, i) => {
            const nid = "nodeId" in e ? e.nodeId : undefined;
            return (
              <div
                key={e.seq}
                className="absolute inset-x-0 flex items-center gap-3 border-b border-border/50 px-2.5 hover:bg-panel-2"
                style={{ top: (first + i) * ROW, height: ROW }}
                data-seq={e.seq}
              >
                <span className="w-12 shrink-0 text-right text-muted">{e.seq}</span>
                <span className="w-32 shrink-0 whitespace-nowrap text-muted tabular-nums">{formatTimeOfDay(e.ts, { withMs: true })}</span>
                <span className={cn("w-28 shrink-0 font-semibold", tone(e.type))}>{e.type}</span>
                <span className="w-28 shrink-0 truncate">
                  {nid && (
                    <button type="button" className="hover:underline" onClick={() => onSelectNode?.(nid)}>
                      {nid}
                    </button>
                  )}
                </span>
                {"pinned" in e && e.pinned && (
                  <span
                    className="shrink-0 rounded bg-accent/15 px-1.5 text-[10px] font-semibold text-accent"
                    title="The node did not execute: its pinned output stood in for it"
                    data-testid="event-pinned"
                  >
                    pinned
                  </span>
                )}
                <span className="min-w-0 flex-1 truncate text-fg/80" title={summary(e)}>
                  {summary(e)}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
