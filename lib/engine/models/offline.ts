import type { ChatMessage, ChatModel, GenerateOptions, ModelTurn, ToolCall } from "./types";
import { SIMULATED_MODEL_LABEL } from "../../workflow/model-label";

/**
 * The built-in "Simulated model": no key, no network, deterministic and fast. It streams word tokens,
 * calls a bound tool when the user prompt mentions a word of the tool's name (once per turn, before
 * answering), answers in JSON when the system prompt asks for JSON with an example object, and
 * otherwise writes a short reply that quotes the prompt. Good enough to run templates end to end.
 *
 * Confidence (what an Agent's Escalate policy reads): a JSON field whose name contains "confidence"
 * and whose example is `0..1` is the first `[[confidence=0.3]]` marker of the system prompt, else the
 * last marker of the user prompt. Without a marker it is derived: from the system prompt and the
 * model name when the system prompt asks for a self-rating (`SELF_RATING`, the phrase of the Escalate
 * policy's instruction), so a node answers with the same confidence whatever the input and a
 * supervisor with another prompt or model with another one; otherwise from the prompt, like any 0..1
 * field. Tests and demos put a marker in the input to make an answer unsure.
 */
export const SIMULATED_LABEL = SIMULATED_MODEL_LABEL;

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3);

/** The phrase that asks for a self-rated confidence (escalation/policy.ts writes it). */
export const SELF_RATING = "is how sure you are (0 to 1)";

const MARKER = /\[\[confidence\s*=\s*(0(?:\.\d+)?|1(?:\.0+)?)\]\]/gi;

/** The confidence a `[[confidence=x]]` marker sets: the system prompt's first, else the prompt's last. */
export function confidenceMarker(system: string, prompt: string): number | undefined {
  const first = [...system.matchAll(MARKER)][0];
  const last = [...prompt.matchAll(MARKER)].at(-1);
  const m = first ?? last;
  return m ? Number(m[1]) : undefined;
}

function jsonAnswer(system: string, prompt: string, model: string): string | null {
  if (!/json/i.test(system)) return null;
  const example = /\{[^{}]*\}/.exec(system)?.[0];
  if (!example) return null;
  const h = hash(prompt);
  const firstNumber = Number(/-?\d+(\.\d+)?/.exec(prompt.replace(/\{\{[^}]*\}\}/g, ""))?.[0] ?? NaN);
  const out: Record<string, unknown> = {};
  let i = 0;
  for (const m of example.matchAll(/"(\w+)"\s*:\s*([^,}]+)/g)) {
    const [, key, spec] = m;
    const seed = (h >>> (i++ % 16)) + i;
    const options = [...spec.matchAll(/"([^"]*)"/g)].map((o) => o[1]);
    if (options.length) out[key] = options[seed % options.length];
    else if (/0\s*\.\.\s*1/.test(spec) && /confidence/i.test(key))
      out[key] =
        confidenceMarker(system, prompt) ??
        (system.includes(SELF_RATING) ? Math.round((hash(`${model}\n${system}`) % 50) + 50) / 100 : Math.round((seed % 50) + 50) / 100);
    else if (/0\s*\.\.\s*1/.test(spec)) out[key] = Math.round((seed % 50) + 50) / 100;
    else if (/number|int/i.test(spec)) out[key] = Number.isFinite(firstNumber) ? Math.round(firstNumber * 0.5 * 100) / 100 : seed % 1000;
    else if (/bool/i.test(spec)) out[key] = seed % 2 === 0;
    else out[key] = `Simulated ${key} for: ${prompt.replace(/\s+/g, " ").slice(0, 60)}`;
  }
  return JSON.stringify(out);
}

export class OfflineChatModel implements ChatModel {
  readonly info;
  private readonly model: string;
  constructor(model = "simulated") {
    this.model = model;
    this.info = { id: `offline:${model}`, provider: "offline", label: SIMULATED_LABEL, simulated: true };
  }

  async generate(messages: ChatMessage[], options: GenerateOptions): Promise<ModelTurn> {
    if (options.signal.aborted) throw options.signal.reason ?? new Error("aborted");
    const system = messages
      .filter((m) => m.role === "system")
      .map((m) => m.content)
      .join("\n");
    const lastUser = messages.map((m) => m.role).lastIndexOf("user");
    const prompt = lastUser >= 0 ? messages[lastUser].content : "";
    const toolResults = messages.slice(lastUser + 1).filter((m) => m.role === "tool");
    const input = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);

    if (options.tools.length && options.toolChoice !== "none" && toolResults.length === 0) {
      const promptWords = new Set(words(prompt));
      const calls: ToolCall[] = options.tools
        .filter((t) => words(t.name).some((w) => promptWords.has(w)))
        .map((t, i) => ({ id: `call_${hash(prompt + t.name).toString(16)}_${i}`, name: t.name, args: {} }));
      if (calls.length) return { text: "", toolCalls: calls, usage: { input, output: 8 * calls.length } };
    }

    let text = jsonAnswer(system, prompt, this.model);
    if (text === null) {
      const gist = prompt.replace(/\s+/g, " ").trim().slice(0, 160);
      const used = toolResults.length
        ? ` I used ${toolResults.map((t) => (t.role === "tool" ? t.name : "")).join(", ")} (${toolResults.map((t) => t.content.slice(0, 80)).join("; ")}).`
        : "";
      text = `[Simulated model] Here is my answer to "${gist}".${used}`;
    }
    const tokens = text.match(/\S+\s*/g) ?? [];
    for (const t of tokens) options.onToken(t);
    return { text, toolCalls: [], usage: { input, output: tokens.length } };
  }
}
