"use client";

import type { EscalationEvidence } from "@/lib/contracts/events";
import { cn } from "@/components/ui/cn";

const LEVEL_LABEL = { agent: "Agent", supervisor: "Supervisor", human: "Human" } as const;
const SOURCE_LABEL = { field: "the answer's JSON field", judge: "a judge model", expression: "an expression" } as const;

/** A confidence against the threshold, as "0.42 / 0.70" in the danger colour when below. */
export function ConfidenceBadge({ confidence, threshold, testId }: { confidence: number | null | undefined; threshold: number; testId?: string }) {
  const below = confidence == null || confidence < threshold;
  return (
    <span
      className={cn("rounded px-1.5 py-0.5 font-mono text-[10px] font-semibold", below ? "bg-danger/10 text-danger" : "bg-success/10 text-success")}
      title={`confidence ${confidence ?? "none"}, threshold ${threshold}`}
      data-testid={testId}
    >
      {confidence == null ? "no confidence" : confidence.toFixed(2)} / {threshold.toFixed(2)}
    </span>
  );
}

/**
 * What an escalating Agent's human reviewer decides on: the question, then each level that tried
 * (model, answer, confidence against the threshold, why it escalated). Shown above the approval form.
 */
export function EscalationEvidenceView({ evidence, testId }: { evidence: EscalationEvidence; testId: string }) {
  return (
    <div className="space-y-2 rounded-lg border border-border p-2.5 text-xs" data-testid={testId}>
      <div className="text-[11px] text-muted">
        Escalated to you: confidence from {SOURCE_LABEL[evidence.source]}, threshold {evidence.threshold}.
      </div>
      <details>
        <summary className="cursor-pointer text-[11px] text-muted">Question</summary>
        <pre className="mt-1 max-h-32 overflow-auto whitespace-pre-wrap rounded bg-panel-2 p-2 font-mono text-[11px]">{evidence.question}</pre>
      </details>
      <ol className="space-y-1.5">
        {evidence.tries.map((t, i) => (
          <li key={i} className="rounded bg-panel-2 p-2" data-testid={`${testId}-try`} data-level={t.level}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-semibold">{LEVEL_LABEL[t.level]}</span>
              {t.model && <span className="font-mono text-[10px] text-muted">{t.model}</span>}
              <ConfidenceBadge confidence={t.confidence} threshold={evidence.threshold} />
            </div>
            <div className="mt-1 text-[11px] text-muted">Escalated: {t.reason}</div>
            {t.answer !== undefined && <p className="mt-1 max-h-24 overflow-auto whitespace-pre-wrap leading-relaxed">{t.answer}</p>}
          </li>
        ))}
      </ol>
    </div>
  );
}
