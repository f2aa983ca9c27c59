import { compileExpression } from "../expression";
import type { EscalationPolicy } from "./policy";

/** A reply read as JSON (when it is JSON, also inside a ```json fence): the object, or null. */
export function parseJsonReply(text: string): Record<string, unknown> | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  for (const candidate of [text, fenced, /\{[\s\S]*\}/.exec(text)?.[0]]) {
    if (!candidate) continue;
    try {
      const v: unknown = JSON.parse(candidate.trim());
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // not JSON: try the next form
    }
  }
  return null;
}

/**
 * A confidence as 0..1, or null: numbers in 0..1, percentages (1 < x ≤ 100), numeric strings, and
 * true / false (1 / 0, so an expression may be a plain condition).
 */
export function toConfidence(v: unknown): number | null {
  if (typeof v === "boolean") return v ? 1 : 0;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v.trim().replace(/%$/, "")) : NaN;
  if (!Number.isFinite(n) || n < 0) return null;
  if (n <= 1) return Math.round(n * 1000) / 1000;
  if (n <= 100) return Math.round(n * 10) / 1000;
  return null;
}

/** A level's reply: the result it stands for (the answer field, or the whole reply) and the JSON, if any. */
export function readReply(text: string, policy: EscalationPolicy): { answer: unknown; json: Record<string, unknown> | null } {
  const json = parseJsonReply(text);
  if (policy.confidenceSource === "field" && policy.answerField && json && policy.answerField in json) return { answer: json[policy.answerField], json };
  return { answer: text, json };
}

/** What a check found: the confidence (null: none) and, when null, why. */
export interface ConfidenceResult {
  confidence: number | null;
  missing?: string;
  tokens?: { input: number; output: number };
  costUsd?: number;
}

/** A second model call that scores an answer (the "judge" source): its JSON reply's `confidence`. */
export type JudgeCall = (system: string, user: string) => Promise<{ text: string; usage: { input: number; output: number }; costUsd?: number }>;

/**
 * The policy's declared check as one function over a level's reply. The expression is compiled once
 * here (at the Agent's compile time, so a syntax error shows before the run); it sees the state, then
 * `answer` (the result), `reply` (the raw text), `json` (the parsed reply or null) and `level`.
 */
export function createConfidenceCheck(policy: EscalationPolicy) {
  const expression = policy.confidenceSource === "expression" ? compileExpression(policy.expression) : undefined;
  return async (
    input: { question: string; reply: string; level: "agent" | "supervisor"; state: Record<string, unknown> },
    judge: JudgeCall,
  ): Promise<ConfidenceResult> => {
    const { answer, json } = readReply(input.reply, policy);
    if (policy.confidenceSource === "field") {
      const confidence = toConfidence(json?.[policy.confidenceField]);
      return confidence === null
        ? {
            confidence,
            missing: json ? `the reply has no 0..1 "${policy.confidenceField}" field` : `the reply is not JSON with a "${policy.confidenceField}" field`,
          }
        : { confidence };
    }
    if (expression) {
      const confidence = toConfidence(expression({ ...input.state, answer, reply: input.reply, json, level: input.level }));
      return confidence === null ? { confidence, missing: `the expression "${policy.expression}" gave no number in 0..1 or true/false` } : { confidence };
    }
    const answerText = typeof answer === "string" ? answer : JSON.stringify(answer);
    const r = await judge(`${policy.judgePrompt}\n\nReply with JSON only: {"confidence": 0..1}`, `Question:\n${input.question}\n\nAnswer:\n${answerText}`);
    const confidence = toConfidence(parseJsonReply(r.text)?.confidence);
    return {
      confidence,
      tokens: r.usage,
      ...(r.costUsd !== undefined ? { costUsd: r.costUsd } : {}),
      ...(confidence === null ? { missing: "the judge's reply had no 0..1 confidence" } : {}),
    };
  };
}
