import { PIN_MAX_BYTES, pinSizeBytes, type NodePin } from "@/lib/workflow";

export type PinTextResult = { ok: true; output: Record<string, unknown> } | { ok: false; message: string };

/**
 * Reads a typed pinned output: JSON that parses to an object of state fields (what a node writes)
 * and stays under 1 MB. The message says what is wrong in words the inspector can show as is.
 */
export function parsePinText(text: string): PinTextResult {
  if (!text.trim()) return { ok: false, message: 'Type the output as a JSON object, e.g. { "answer": "…" }.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `This is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, message: 'The output must be a JSON object of the state fields the node writes, e.g. { "answer": "…" }.' };
  }
  const tooLarge = pinTooLarge(value);
  if (tooLarge) return { ok: false, message: tooLarge };
  return { ok: true, output: value as Record<string, unknown> };
}

/** Why an output cannot be pinned for its size, or null when it fits (what "Pin this output" checks first). */
export function pinTooLarge(output: unknown): string | null {
  const bytes = pinSizeBytes(output);
  return bytes > PIN_MAX_BYTES ? `The output is ${(bytes / 1024 / 1024).toFixed(2)} MB; a pinned output may be at most 1 MB.` : null;
}

/** A pin of what a node wrote in a run (its state update and the port it took). */
export function pinFromRun(output: Record<string, unknown>, port: string | undefined, runId: string, now = new Date()): NodePin {
  return { output, ...(port ? { port } : {}), pinnedAt: now.toISOString(), fromRunId: runId };
}

/** A pin of typed JSON (keeps no run or port: the node continues on its default output). */
export function typedPin(output: Record<string, unknown>, now = new Date()): NodePin {
  return { output, pinnedAt: now.toISOString() };
}

/** Output nodes cannot be pinned: their value is the run result (parse refuses such pins too). */
export const canPin = (kind: string) => kind !== "output";
