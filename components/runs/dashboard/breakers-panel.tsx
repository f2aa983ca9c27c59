"use client";

import { ShieldAlert } from "lucide-react";
import type { BreakerStatus } from "@/lib/contracts/providers-api";
import { useProviders } from "@/lib/api/providers";
import { cn } from "@/components/ui/cn";
import { formatTimeOfDay } from "@/components/ui/format-time";

const TONE: Record<BreakerStatus["state"], string> = {
  closed: "border-success/40 bg-success/10 text-success",
  "half-open": "border-warning/40 bg-warning/10 text-warning",
  open: "border-danger/40 bg-danger/10 text-danger",
};

function StateChip({ state }: { state: BreakerStatus["state"] }) {
  return <span className={cn("rounded-full border px-1.5 py-0.5 text-[11px] font-medium", TONE[state])}>{state}</span>;
}

/**
 * The circuit breakers of the workspace's model providers and HTTP hosts (this server process): state,
 * since when, when an open one probes, failures in the window, calls waiting for a rate limit, and the
 * recent transitions. Polled every 5 s. On the runs dashboard and Settings → Providers.
 */
export function BreakersPanel({ hideWhenEmpty = false }: { hideWhenEmpty?: boolean }) {
  const q = useProviders();
  const breakers = q.data?.breakers ?? [];
  if (hideWhenEmpty && !breakers.length) return null;
  return (
    <section className="rounded-xl border border-border bg-panel p-4 shadow-sm" data-testid="breakers-panel" aria-labelledby="breakers-title">
      <header className="mb-3 flex items-center gap-1.5">
        <ShieldAlert size={14} aria-hidden />
        <h2 id="breakers-title" className="text-sm font-semibold">
          Circuit breakers
        </h2>
      </header>
      {q.isError && (
        <p className="text-sm text-danger" role="alert">
          Could not load the breakers: {q.error.message}
        </p>
      )}
      {q.data && !breakers.length && <p className="text-sm text-muted">No provider or host has been called since the server started.</p>}
      {breakers.length > 0 && (
        <ul className="divide-y divide-border text-sm">
          {breakers.map((b) => (
            <li key={b.key} className="py-2" data-testid={`breaker-${b.key}`} data-breaker-state={b.state}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs">{b.key}</span>
                <StateChip state={b.state} />
                <span className="text-xs text-muted">
                  since {formatTimeOfDay(b.since)}
                  {b.probeAt ? ` · probes at ${formatTimeOfDay(b.probeAt)}` : ""} · {b.recentFailures} failure{b.recentFailures === 1 ? "" : "s"} in the window
                  {b.waiting ? ` · ${b.waiting} waiting for the rate limit` : ""}
                </span>
              </div>
              {b.history.length > 0 && (
                <ol className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-muted" aria-label={`History of ${b.key}`}>
                  {b.history.slice(-8).map((h, i) => (
                    <li key={i} title={h.reason}>
                      {formatTimeOfDay(h.at)} → <span className="font-medium">{h.state}</span>
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
