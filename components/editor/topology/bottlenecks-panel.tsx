"use client";

import { useState } from "react";
import { Activity, AlertTriangle, Lightbulb, Loader2, Radio, Wand2, X } from "lucide-react";
import { toast } from "sonner";
import type { Bottleneck, ReasonCode, Suggestion, SuggestionCode, TopologySummary } from "@/lib/topology/report";
import { isFixable } from "@/lib/topology/fixes";
import { useEditor, useEditorStoreApi } from "@/lib/editor";
import { previewFix } from "@/lib/editor/fix-actions";
import { useTopologyState, useTopologyStoreApi, type ObservedInfo } from "@/lib/editor/topology-store";
import { formatDuration, heatLevel, heatVars } from "@/lib/editor/topology-visuals";
import { cn } from "@/components/ui/cn";
import { useRevealElement } from "./use-reveal";

const REASON_LABEL: Record<ReasonCode, string> = {
  CRITICAL_PATH: "Critical path",
  SINGLE_POINT_OF_FAILURE: "Single point of failure",
  HIGH_BETWEENNESS: "Crossroads",
  JOIN: "Join",
  JOIN_WAIT: "Join wait",
  FAN_OUT: "Fan-out",
  FAILURES: "Failures",
  FAILED_EXECUTIONS: "Failed runs",
  RETRIES: "Retries",
  QUEUE_WAIT: "Queueing",
  SLOW_TAIL: "Slow tail",
  LOOP: "Loop",
  COST: "Cost",
  PARALLELISABLE: "Parallelisable",
  TOOL: "Tool",
  BRIDGE: "Bridge",
  EDGE_TAKEN: "Often taken",
  EDGE_NEVER_TAKEN: "Never taken",
};

/** What the Fix button of each fixable suggestion says. */
const FIX_LABEL: Partial<Record<SuggestionCode, string>> = {
  ADD_TIMEOUT: "Add a time limit",
  ADD_RETRIES: "Add retries",
  ADD_ERROR_ROUTE: "Add a fallback route",
  PARALLELISE: "Run in parallel",
  ADD_FALLBACK_MODEL: "Add a model router",
  ADD_MODEL_ROUTER: "Add a model router",
  RAISE_FAN_OUT_CAP: "Raise the map's cap",
  RAISE_RUN_CONCURRENCY: "Raise concurrent runs",
};

/** The overlay's side panel: basis, summary figures and the ranked bottlenecks, each jumping to its node. */
export function BottlenecksPanel() {
  const topo = useTopologyStoreApi();
  const overlay = useTopologyState((s) => s.overlay);
  const status = useTopologyState((s) => s.status);
  const error = useTopologyState((s) => s.error);
  const elapsedMs = useTopologyState((s) => s.elapsedMs);
  const observed = useTopologyState((s) => s.observed);
  const reveal = useRevealElement();
  const [active, setActive] = useState<string | null>(null);

  return (
    <aside
      className="pointer-events-auto flex max-h-full w-[20rem] flex-col overflow-hidden rounded-2xl border border-border bg-panel/95 shadow-2xl backdrop-blur"
      aria-label="Bottlenecks"
      data-testid="bottlenecks-panel"
    >
      <header className="flex items-center gap-2 border-b border-border px-4 py-3">
        <span className="flex h-7 w-7 items-center justify-center rounded-lg bg-gradient-to-br from-amber-400 to-rose-500 text-white shadow-sm">
          <Activity size={15} aria-hidden />
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="text-sm leading-tight font-semibold">Topology</h2>
          <Basis summary={overlay?.summary} observed={observed} />
        </div>
        {status === "analysing" && <Loader2 size={14} className="animate-spin text-muted" aria-label="Analysing" data-testid="topology-analysing" />}
        <button
          type="button"
          className="rounded-md p-1 text-muted hover:bg-panel-2 hover:text-fg"
          onClick={() => topo.getState().setEnabled(false)}
          aria-label="Close topology overlay"
          title="Close (T)"
        >
          <X size={15} />
        </button>
      </header>
      {error && (
        <p className="flex items-start gap-2 border-b border-border bg-danger/10 px-4 py-2 text-xs text-danger" role="alert" data-testid="topology-error">
          <AlertTriangle size={14} className="mt-0.5 shrink-0" aria-hidden /> {error}
        </p>
      )}
      {!overlay ? (
        <div className="flex items-center gap-2 px-4 py-6 text-sm text-muted">
          <Loader2 size={15} className="animate-spin" aria-hidden /> Analysing the workflow…
        </div>
      ) : (
        <div className="min-h-0 flex-1 overflow-y-auto">
          <Summary summary={overlay.summary} />
          <div className="flex items-baseline justify-between px-4 pt-3 pb-1.5">
            <h3 className="text-[11px] font-semibold tracking-wider text-muted uppercase">Bottlenecks</h3>
            <span className="text-[11px] text-muted">{overlay.bottlenecks.length ? `top ${overlay.bottlenecks.length}` : ""}</span>
          </div>
          {overlay.bottlenecks.length === 0 ? (
            <p className="px-4 pb-4 text-sm text-muted" data-testid="bottlenecks-empty">
              No bottlenecks: nothing scores above the threshold.
            </p>
          ) : (
            <ol className="space-y-1 px-2 pb-2" data-testid="bottlenecks-list">
              {overlay.bottlenecks.map((b) => {
                const key = `${b.type}:${b.id}`;
                return (
                  <BottleneckItem
                    key={key}
                    b={b}
                    active={active === key}
                    onClick={() => {
                      setActive(key);
                      reveal(b.type, b.id);
                    }}
                  />
                );
              })}
            </ol>
          )}
          {elapsedMs !== null && (
            <p className="border-t border-border px-4 py-2 text-[10px] text-muted" data-testid="topology-elapsed">
              Analysed in {elapsedMs < 1 ? "<1" : Math.round(elapsedMs)} ms in a background worker · {overlay.summary.nodeCount} nodes,{" "}
              {overlay.summary.edgeCount} edges
            </p>
          )}
        </div>
      )}
    </aside>
  );
}

function Basis({ summary, observed }: { summary?: TopologySummary; observed: ObservedInfo }) {
  if (observed.liveRuns > 0)
    return (
      <p className="flex items-center gap-1 text-[11px] text-success" data-testid="topology-basis">
        <Radio size={11} className="animate-pulse" aria-hidden /> Live · {observed.liveRuns} run{observed.liveRuns === 1 ? "" : "s"} in progress ·{" "}
        {observed.runs} observed
      </p>
    );
  const basis = summary?.basis ?? "estimated";
  const text =
    basis === "estimated"
      ? "Structure, with estimated step times"
      : basis === "observed"
        ? `Observed over ${summary?.runs ?? observed.runs} runs`
        : `Observed over ${summary?.runs ?? observed.runs} runs, partly estimated`;
  return (
    <p className="text-[11px] text-muted" data-testid="topology-basis" data-basis={basis}>
      {text}
    </p>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: React.ReactNode; hint?: string; testId: string }) {
  return (
    <div className="rounded-lg bg-panel-2/70 px-2.5 py-2" title={hint} data-testid={testId}>
      <div className="text-[10px] font-medium tracking-wide text-muted uppercase">{label}</div>
      <div className="mt-0.5 truncate text-sm font-semibold tabular-nums">{value}</div>
    </div>
  );
}

function Summary({ summary: s }: { summary: TopologySummary }) {
  const estimated = s.basis !== "observed";
  return (
    <div className="grid grid-cols-3 gap-1.5 px-3 pt-3" data-testid="topology-summary">
      <div
        className="col-span-2 rounded-lg bg-gradient-to-br from-orange-500/12 to-rose-500/12 px-2.5 py-2 ring-1 ring-orange-500/25"
        title="The longest chain of work, from start to finish: the shortest a run can take"
        data-testid="stat-critical-path"
      >
        <div className="text-[10px] font-medium tracking-wide text-muted uppercase">Critical path</div>
        <div className="mt-0.5 flex items-baseline gap-1.5">
          <span className="text-lg leading-tight font-semibold tabular-nums">{formatDuration(s.criticalPath.lengthMs)}</span>
          <span className="text-[11px] text-muted">
            {s.criticalPath.nodeIds.length} steps{estimated ? " · est." : ""}
          </span>
        </div>
      </div>
      <Stat label="Depth" value={s.depth} hint="Levels from start to the deepest step (a loop counts as one)" testId="stat-depth" />
      <Stat label="b₀ parts" value={s.b0} hint="Betti number b0: connected components of the workflow" testId="stat-b0" />
      <Stat label="b₁ loops" value={s.b1} hint="Betti number b1: independent cycles (branches that rejoin, feedback loops)" testId="stat-b1" />
      <Stat
        label="SPOF"
        value={
          <>
            {s.articulationPointCount}
            <span className="text-[11px] font-normal text-muted"> · {s.bridgeCount} br.</span>
          </>
        }
        hint={`${s.articulationPointCount} steps and ${s.bridgeCount} links whose loss splits the workflow (articulation points and bridges)`}
        testId="stat-spof"
      />
      <Stat label="Max fan-in" value={s.maxFanIn} hint="Most inputs any step waits for" testId="stat-fan-in" />
      <Stat label="Loops" value={s.loopCount} hint="Strongly connected parts that repeat" testId="stat-loops" />
      <Stat
        label="Betweenness"
        value={s.betweenness.method === "exact" ? "exact" : `sampled`}
        hint={
          s.betweenness.method === "exact"
            ? `Exact (Brandes, ${s.betweenness.implementation}) up to ${s.betweenness.exactMaxNodes} nodes`
            : `Sampled from ${s.betweenness.pivots} source pivots (over ${s.betweenness.exactMaxNodes} nodes)`
        }
        testId="stat-betweenness"
      />
    </div>
  );
}

function BottleneckItem({ b, active, onClick }: { b: Bottleneck; active: boolean; onClick: () => void }) {
  const level = heatLevel(b.score);
  return (
    <li>
      <button
        type="button"
        onClick={onClick}
        data-testid={`bottleneck-${b.rank}`}
        data-type={b.type}
        data-id={b.id}
        aria-current={active || undefined}
        className={cn(
          "topo-heat group relative w-full rounded-xl border px-3 py-2.5 text-left transition-colors",
          active ? "border-[color:var(--heat)] bg-panel-2" : "border-transparent hover:border-border hover:bg-panel-2/70",
        )}
        style={heatVars(b.score) as React.CSSProperties}
      >
        <div className="flex items-center gap-2">
          <span
            className="flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-[11px] font-bold text-white shadow-sm"
            style={{ background: "var(--heat)" }}
          >
            {b.rank}
          </span>
          <span className="min-w-0 flex-1 truncate text-[13px] font-semibold">
            {b.type === "edge" ? (
              <span className="inline-flex items-center gap-1">
                <span className="rounded bg-panel-2 px-1 text-[10px] font-medium text-muted">link</span>
                {b.label}
              </span>
            ) : (
              b.label
            )}
          </span>
          <span className="flex items-center gap-1.5" aria-label={`score ${Math.round(b.score * 100)} of 100`}>
            <span className="h-1.5 w-12 overflow-hidden rounded-full bg-border">
              <span className="block h-full rounded-full" style={{ width: `${Math.round(b.score * 100)}%`, background: "var(--heat)" }} />
            </span>
            <span className="w-6 text-right text-[11px] font-semibold tabular-nums" data-level={level}>
              {Math.round(b.score * 100)}
            </span>
          </span>
        </div>
        <p className={cn("mt-1.5 pl-8 text-xs leading-snug text-fg/90", !active && "line-clamp-3")} data-testid={`bottleneck-${b.rank}-headline`}>
          {b.headline}
        </p>
        {active && b.reasons.length > 1 && (
          <ul className="mt-1.5 space-y-1 pl-8">
            {b.reasons.slice(1).map((r) => (
              <li key={r.code} className="line-clamp-4 text-[11px] leading-snug text-muted">
                · {r.text}
              </li>
            ))}
          </ul>
        )}
        <div className="mt-1.5 flex flex-wrap gap-1 pl-8">
          {b.reasons.map((r) => (
            <span key={r.code} className="rounded-full border border-border bg-panel px-1.5 py-px text-[10px] text-muted">
              {REASON_LABEL[r.code]}
            </span>
          ))}
        </div>
        {b.suggestions.map((sg, i) => (
          <p
            key={i}
            className="mt-1.5 ml-8 flex items-start gap-1.5 rounded-lg bg-amber-500/10 px-2 py-1.5 text-[11px] leading-snug text-amber-900 dark:text-amber-200"
            data-testid={`bottleneck-${b.rank}-suggestion`}
          >
            <Lightbulb size={12} className="mt-px shrink-0 text-amber-500" aria-hidden />
            <span className={active ? "line-clamp-6" : "line-clamp-2"}>{sg.text}</span>
          </p>
        ))}
      </button>
      <FixButtons id={`${b.type}-${b.id}`} rank={b.rank} suggestions={b.suggestions} />
    </li>
  );
}

/**
 * One-click fixes of a bottleneck's suggestions (beside its card, not inside its button): each shows
 * the change on the canvas first (fix-preview.tsx), then Apply or Cancel. Hidden when the editor is
 * read-only (viewers, a version preview).
 */
function FixButtons({ id, rank, suggestions }: { id: string; rank: number; suggestions: Suggestion[] }) {
  const editor = useEditorStoreApi();
  const topo = useTopologyStoreApi();
  const editable = useEditor((s) => !s.readOnly);
  const fixable = suggestions.filter((sg) => isFixable(sg.code));
  if (!editable || fixable.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-1 pt-1 pr-2 pb-1 pl-11" data-testid={`fixes-${id}`}>
      {fixable.map((sg, i) => (
        <button
          key={i}
          type="button"
          className="flex items-center gap-1 rounded-md border border-amber-500/40 bg-amber-500/10 px-2 py-0.5 text-[11px] font-semibold text-amber-900 hover:bg-amber-500/20 dark:text-amber-200"
          onClick={() => {
            const refused = previewFix(editor, topo, sg);
            if (refused) toast.error(refused.message);
          }}
          data-testid={`bottleneck-${rank}-fix`}
          data-code={sg.code}
          title={`Preview on the canvas, then apply or cancel: ${sg.text}`}
        >
          <Wand2 size={11} aria-hidden /> Fix: {FIX_LABEL[sg.code] ?? sg.code}
        </button>
      ))}
    </div>
  );
}
