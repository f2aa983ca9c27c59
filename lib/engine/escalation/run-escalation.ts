import { interrupt } from "@langchain/langgraph";
import { EscalationEvidenceSchema, type EscalationEvidence, type EscalationTry, type EventError } from "../../contracts/events";
import { EngineError, EngineErrorCode, isControlFlow, toEventError } from "../errors";
import { ApprovalDecisionSchema, type ApprovalRequest } from "../executors/human-approval";
import type { ExecContext, ExecResult } from "../executors/types";
import { renderTemplate } from "../template";
import { createConfidenceCheck, readReply, type JudgeCall } from "./confidence";
import { cut, jsonInstruction, type EscalationPolicy } from "./policy";
import { pendingResume } from "./resume";

/** One model level's answer (what the Agent's model loop returns). */
export interface LevelAnswer {
  text: string;
  usage: { input: number; output: number };
  costUsd?: number;
  model: string;
  detail: Record<string, unknown>;
}

/** What the Agent executor lends the escalation: a model turn loop per level, and a bare judge call. */
export interface EscalationHost {
  ask(level: "agent" | "supervisor", messages: { system: string; user: string }, modelOverride: string): Promise<LevelAnswer>;
  judge: JudgeCall;
}

type ModelLevel = "agent" | "supervisor";
type Next = "supervisor" | "human" | undefined;

/** The field a human level lets the reviewer edit: the answer that will stand. */
export const HUMAN_ANSWER_FIELD = "answer";

const answerText = (answer: unknown) => (typeof answer === "string" ? answer : (JSON.stringify(answer) ?? ""));

/**
 * Runs an Agent step under its Escalate policy: the agent answers; when it fails (and the policy
 * escalates failures) or its confidence is below the threshold, the supervisor answers (another
 * model and system prompt, seeing the question, the first answer and why it escalated); when that is
 * still unsure, a human approval (the LangGraph interrupt the Human approval node uses) shows the
 * evidence, and approving accepts the proposed answer (or the reviewer's edit), rejecting fails the
 * node with ESCALATION_REJECTED (its error output can take over). Every level emits node.escalation.
 * Resumed with an answer, it goes straight to the interrupt with the evidence stored in it (the
 * levels before are not run, nor paid for, twice).
 */
export function createEscalation(policy: EscalationPolicy) {
  const check = createConfidenceCheck(policy);
  const base = { threshold: policy.threshold, source: policy.confidenceSource };
  const instruction = policy.confidenceSource === "field" ? `\n\n${jsonInstruction(policy)}` : "";

  return async (ctx: ExecContext, host: EscalationHost, prompt: { system: string; user: string }): Promise<ExecResult> => {
    const resumed = EscalationEvidenceSchema.safeParse((pendingResume(ctx.lg) as { escalation?: unknown } | undefined)?.escalation);
    if (policy.human && resumed.success) return askHuman(ctx, resumed.data);

    const totals = { input: 0, output: 0, cost: 0, priced: true };
    const add = (usage?: { input: number; output: number }, costUsd?: number) => {
      if (usage) {
        totals.input += usage.input;
        totals.output += usage.output;
      }
      if (usage && costUsd === undefined) totals.priced = false;
      totals.cost += costUsd ?? 0;
    };
    const tries: EscalationTry[] = [];
    let last: { level: ModelLevel; answer: unknown; confidence: number | null; model: string; detail: Record<string, unknown> } | undefined;

    const levels: ModelLevel[] = policy.supervisor ? ["agent", "supervisor"] : ["agent"];
    for (const [i, level] of levels.entries()) {
      const next: Next = i + 1 < levels.length ? "supervisor" : policy.human ? "human" : undefined;
      const messages =
        level === "agent"
          ? { system: prompt.system + instruction, user: prompt.user }
          : { system: `${policy.supervisorPrompt}${instruction}`, user: supervisorPrompt(prompt.user, tries.at(-1)!) };
      let answer: LevelAnswer;
      try {
        answer = await host.ask(level, messages, level === "supervisor" ? policy.supervisorModel : "");
      } catch (err) {
        if (isControlFlow(err) || ctx.signal.aborted) throw err;
        const error = toEventError(err);
        if (!policy.onFailure) throw err;
        const reason = `failed (${error.code}: ${error.message})`;
        tries.push({ level, confidence: null, error, reason });
        emitLevel(ctx, level, next ? "escalated" : "exhausted", { reason, error, ...(next ? { to: next } : {}) });
        if (next) continue;
        // No level left: the last answer that came back stands (policy "accept"), else the failure.
        if (last && policy.whenExhausted === "accept") return accepted(last, true);
        throw err;
      }
      add(answer.usage, answer.costUsd);
      const { answer: result } = readReply(answer.text, policy);
      const c = await check({ question: prompt.user, reply: answer.text, level, state: ctx.state }, host.judge);
      add(c.tokens, c.costUsd);
      last = { level, answer: result, confidence: c.confidence, model: answer.model, detail: answer.detail };
      const shown = { model: answer.model, confidence: c.confidence, answer: cut(answerText(result), 2000) };
      if (c.confidence !== null && c.confidence >= policy.threshold) {
        emitLevel(ctx, level, "accepted", shown);
        return accepted(last, false);
      }
      const reason = c.confidence === null ? `no confidence: ${c.missing}` : `confidence ${c.confidence} is below ${policy.threshold}`;
      tries.push({ level, model: answer.model, answer: cut(answerText(result), 4000), confidence: c.confidence, reason });
      emitLevel(ctx, level, next ? "escalated" : "exhausted", { ...shown, reason, ...(next ? { to: next } : {}) });
      if (next === "human") break;
      if (!next) {
        if (policy.whenExhausted === "accept") return accepted(last, true);
        throw new EngineError(
          EngineErrorCode.LOW_CONFIDENCE,
          `Every escalation level was unsure (${tries.map((t) => `${t.level}: ${t.reason}`).join("; ")}). Lower the threshold, add a level, or set "When exhausted" to accept.`,
        );
      }
    }

    const proposed = last ? answerText(last.answer) : "";
    const evidence: EscalationEvidence = {
      question: cut(prompt.user, 8000),
      ...base,
      tries,
      proposedAnswer: proposed,
      tokens: { input: totals.input, output: totals.output },
      ...(totals.priced ? { costUsd: Math.round(totals.cost * 1e6) / 1e6 } : {}),
    };
    return askHuman(ctx, evidence);

    function accepted(l: NonNullable<typeof last>, exhausted: boolean): ExecResult {
      return {
        value: l.answer,
        tokens: { input: totals.input, output: totals.output },
        ...(totals.priced ? { costUsd: Math.round(totals.cost * 1e6) / 1e6 } : {}),
        model: l.model,
        detail: {
          ...l.detail,
          escalation: { ...base, level: l.level, confidence: l.confidence, ...(exhausted ? { exhausted: true } : {}), tries },
        },
      };
    }
  };

  /** The human level: the approval interrupt with the evidence; the decision settles the step. */
  function askHuman(ctx: ExecContext, evidence: EscalationEvidence): ExecResult {
    const request: ApprovalRequest = {
      type: "approval",
      nodeId: ctx.node.id,
      kind: ctx.node.kind,
      ...ctx.where,
      instructions: renderTemplate(policy.humanInstructions, ctx.state),
      editableFields: [HUMAN_ANSWER_FIELD],
      values: { [HUMAN_ANSWER_FIELD]: evidence.proposedAnswer },
      timeoutMs: policy.humanTimeoutMs,
      escalation: evidence,
    };
    const parsed = ApprovalDecisionSchema.safeParse(interrupt(request));
    if (!parsed.success)
      throw new EngineError(
        EngineErrorCode.INPUT_INVALID,
        `The approval answer must be { approved: boolean, comment?, values? }: ${parsed.error.issues[0]?.message}`,
      );
    const d = parsed.data;
    const edited = d.values[HUMAN_ANSWER_FIELD];
    const answer = edited === undefined || edited === null ? evidence.proposedAnswer : edited;
    const common = { ...base, ...(d.comment ? { reason: d.comment } : {}) };
    if (!d.approved) {
      emitLevel(ctx, "human", "rejected", common);
      throw new EngineError(EngineErrorCode.ESCALATION_REJECTED, `The reviewer rejected the answer${d.comment ? `: ${d.comment}` : ""}.`);
    }
    emitLevel(ctx, "human", "approved", { ...common, answer: cut(answerText(answer), 2000) });
    return {
      value: answer,
      tokens: evidence.tokens ?? { input: 0, output: 0 },
      ...(evidence.costUsd !== undefined ? { costUsd: evidence.costUsd } : {}),
      detail: {
        escalation: { ...base, level: "human", approved: true, edited: edited !== undefined && edited !== null, comment: d.comment, tries: evidence.tries },
      },
    };
  }

  function emitLevel(
    ctx: ExecContext,
    level: "agent" | "supervisor" | "human",
    outcome: "accepted" | "escalated" | "exhausted" | "approved" | "rejected",
    extra: { to?: "supervisor" | "human"; model?: string; confidence?: number | null; reason?: string; error?: EventError; answer?: string },
  ) {
    ctx.emit({ type: "node.escalation", level, outcome, ...base, ...extra });
  }
}

/** The supervisor's user message: the question, the answer before it and why it was escalated. */
function supervisorPrompt(question: string, before: EscalationTry): string {
  const previous = before.answer !== undefined ? `Its answer:\n${before.answer}` : "It gave no answer.";
  return `${question}\n\n---\nA first answer was escalated to you because its ${before.reason}.\n${previous}\n\nGive the correct, complete answer.`;
}
