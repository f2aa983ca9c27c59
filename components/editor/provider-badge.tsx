"use client";

import { memo, useMemo } from "react";
import { Hourglass, ZapOff } from "lucide-react";
import { useEditor } from "@/lib/editor";
import { nodeStatus } from "@/lib/editor/run-overlay";
import { useProviders } from "@/lib/api/providers";
import { nodeProviderKeys } from "./provider-keys";

const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))} s`;

/**
 * What a node's providers are doing, as small badges on its card: "Circuit open" while the breaker of
 * a model provider or HTTP host the node calls is open (or probing), from GET /api/providers polled
 * every 5 s and shared by all nodes; and, during a live run, "Waiting for rate limit" while the node's
 * call waits in its provider's line (node.throttled events in the run overlay).
 */
function ProviderBadgeView({ id, kind, config }: { id: string; kind: string; config: Record<string, unknown> }) {
  const keys = useMemo(() => nodeProviderKeys(kind, config), [kind, config]);
  const providers = useProviders({ enabled: keys.length > 0 });
  const throttled = useEditor((s) => (nodeStatus(s.run, id) === "running" ? s.run.nodes.get(id)?.throttled : undefined));
  const open = (providers.data?.breakers ?? []).filter((b) => b.state !== "closed" && keys.includes(b.key));
  if (!open.length && !throttled) return null;
  return (
    <div className="pointer-events-auto absolute -top-3 right-2 z-10 flex gap-1">
      {open.map((b) => (
        <span
          key={b.key}
          data-testid={`breaker-badge-${id}`}
          data-breaker-state={b.state}
          title={`${b.key}: circuit ${b.state} since ${new Date(b.since).toLocaleTimeString()}${b.probeAt ? `; probes at ${new Date(b.probeAt).toLocaleTimeString()}` : ""}. Calls fail fast with CIRCUIT_OPEN (a Model router moves to its next candidate).`}
          className="inline-flex items-center gap-1 rounded-full border border-danger/40 bg-danger/10 px-1.5 py-0.5 text-[10px] font-medium text-danger"
        >
          <ZapOff size={10} aria-hidden /> {b.state === "open" ? "Circuit open" : "Probing"}: {b.key.replace(/^(model|http):/, "")}
        </span>
      ))}
      {throttled && (
        <span
          data-testid={`throttled-badge-${id}`}
          title={`Waiting for the ${throttled.limit === "tokens" ? "tokens" : "requests"}-per-minute limit of ${throttled.provider}${throttled.position ? ` (place ${throttled.position} in line)` : ""}.`}
          className="inline-flex items-center gap-1 rounded-full border border-warning/40 bg-warning/10 px-1.5 py-0.5 text-[10px] font-medium text-warning"
        >
          <Hourglass size={10} aria-hidden /> Waiting for rate limit{throttled.etaMs ? ` · ~${seconds(throttled.etaMs)}` : ""}
        </span>
      )}
    </div>
  );
}

export const ProviderBadge = memo(ProviderBadgeView);
