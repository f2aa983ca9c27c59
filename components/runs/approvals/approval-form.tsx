"use client";

import { useState } from "react";
import { Check, Loader2, X } from "lucide-react";
import { toast } from "sonner";
import { useAnswerApproval } from "@/lib/api/runs";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import type { EscalationEvidence } from "@/lib/contracts/events";
import { EscalationEvidenceView } from "./escalation-evidence";

export interface ApprovalRequest {
  runId: string;
  nodeId: string;
  /** Which of the node's approvals (a node in a Parallel map's branch waits once per item). */
  interruptId?: string;
  instructions: string;
  editableFields: string[];
  values: Record<string, unknown>;
  /** Set when an Agent's Escalate policy asks: the levels before and why they escalated. */
  escalation?: EscalationEvidence;
}

const toText = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v, null, 2) ?? ""));
/** Back to the value's own type: strings stay strings; anything that was not a string is parsed as JSON. */
function fromText(text: string, original: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof original === "string" || original === undefined) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Approve or reject a waiting Human approval: the instructions, a comment and the editable values
 * (prefilled with the run's current values). Used by the editor's inspector and the approvals inbox.
 */
export function ApprovalForm({ request, compact, onDone }: { request: ApprovalRequest; compact?: boolean; onDone?: (approved: boolean) => void }) {
  const answer = useAnswerApproval();
  const [comment, setComment] = useState("");
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(request.editableFields.map((f) => [f, toText(request.values[f])])));
  const parsed = request.editableFields.map((f) => [f, fromText(texts[f] ?? "", request.values[f])] as const);
  const bad = parsed.filter(([, p]) => !p.ok);
  const decide = async (approved: boolean) => {
    const values: Record<string, unknown> = {};
    for (const [f, p] of parsed) if (p.ok && JSON.stringify(p.value) !== JSON.stringify(request.values[f])) values[f] = p.value;
    try {
      await answer.mutateAsync({ runId: request.runId, nodeId: request.nodeId, interruptId: request.interruptId, approved, comment, values });
      toast.success(approved ? "Approved: the run continues" : "Rejected: the run continues on the rejected branch");
      onDone?.(approved);
    } catch (e) {
      toast.error(`Could not answer: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const tid = `approval-${request.runId}-${request.nodeId}`;
  return (
    <div className="space-y-2.5" data-testid={tid}>
      {request.escalation && <EscalationEvidenceView evidence={request.escalation} testId={`${tid}-evidence`} />}
      {request.instructions && <p className={cn("rounded-lg bg-panel-2 p-2.5 leading-relaxed", compact ? "text-xs" : "text-sm")}>{request.instructions}</p>}
      {request.editableFields.map((f) => {
        const p = parsed.find(([n]) => n === f)![1];
        const multiline = typeof request.values[f] !== "string" || (texts[f] ?? "").length > 60;
        return (
          <label key={f} className="block">
            <span className="mb-1 block font-mono text-[11px] text-muted">{f}</span>
            {multiline ? (
              <textarea
                value={texts[f] ?? ""}
                onChange={(e) => setTexts((t) => ({ ...t, [f]: e.target.value }))}
                aria-invalid={!p.ok}
                className={cn(inputClass, "min-h-16 font-mono text-xs")}
                data-testid={`${tid}-field-${f}`}
              />
            ) : (
              <input
                value={texts[f] ?? ""}
                onChange={(e) => setTexts((t) => ({ ...t, [f]: e.target.value }))}
                className={cn(inputClass, "h-8")}
                data-testid={`${tid}-field-${f}`}
              />
            )}
            {!p.ok && <span className="mt-1 block text-[11px] text-danger">{p.error}</span>}
          </label>
        );
      })}
      <label className="block">
        <span className="mb-1 block text-[11px] text-muted">Comment</span>
        <textarea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={5000}
          rows={2}
          className={cn(inputClass, "min-h-10 text-sm")}
          placeholder="Why (optional)"
          data-testid={`${tid}-comment`}
        />
      </label>
      <div className="flex gap-2">
        <Button variant="primary" size="sm" onClick={() => void decide(true)} disabled={answer.isPending || bad.length > 0} data-testid={`${tid}-approve`}>
          {answer.isPending ? <Loader2 size={13} className="animate-spin" /> : <Check size={13} />} Approve
        </Button>
        <Button variant="danger" size="sm" onClick={() => void decide(false)} disabled={answer.isPending} data-testid={`${tid}-reject`}>
          <X size={13} /> Reject
        </Button>
      </div>
    </div>
  );
}
