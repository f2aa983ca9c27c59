import { buildWorkflow } from "../lib/engine/testing";

/** Start(counter) → 10 Set fields steps adding 1 → Output `{"counter":10}`: the webhook bench's workload, shared by the storage and retention benches. */
export function counterChain() {
  const steps = Array.from(
    { length: 10 },
    (_, i) =>
      [`s${i}`, "set-fields", { assignments: [{ field: "counter", expression: "counter + 1", type: "number" }] }] as [string, string, Record<string, unknown>],
  );
  return buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "counter", type: "number", required: true, example: 0 }] }],
      ...steps,
      ["out", "output", { value: '{"counter":{{counter}}}' }],
    ],
    ["start->s0", ...steps.slice(1).map((_, i) => `s${i}->s${i + 1}`), "s9->out"],
    { maxConcurrentRuns: 1000 },
    "10-step chain",
  );
}
