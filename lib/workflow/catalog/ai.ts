import { z } from "zod";
import { defineKind, IN, OUT } from "./types";
import { credentialId, credentialName, identifier, outputKey, requiredText, template } from "./fields";

/**
 * The Agent's Escalate policy (optional, off unless enabled): when the agent fails or its answer's
 * confidence is below the threshold, a supervisor agent (another model and prompt) tries, then a
 * human approves with the evidence. Flat fields so the inspector's schema form shows them in one box.
 */
export const EscalationPolicySchema = z
  .object({
    enabled: z.boolean().default(false).describe("Escalate unsure or failed answers"),
    confidenceSource: z
      .enum(["field", "judge", "expression"])
      .default("field")
      .describe("Confidence from (field: a JSON field the agent returns; judge: a second model scores the answer; expression: over the answer)"),
    threshold: z.number().min(0).max(1).default(0.7).describe("Escalate when the confidence is below (0..1)"),
    confidenceField: identifier("Confidence field").default("confidence").describe("Confidence field (source field: the JSON field with 0..1)"),
    answerField: z
      .union([z.literal(""), identifier("Answer field")])
      .default("answer")
      .describe("Answer field (source field: the JSON field that is the result; empty: the whole reply)"),
    judgeModel: z.string().max(200).default("").describe("Judge model (source judge; empty: the agent's model)"),
    judgePrompt: z
      .string()
      .max(5000)
      .default("You check answers. Score how likely the answer is correct and complete for the question.")
      .describe("Judge instructions (source judge)")
      .meta({ widget: "textarea" }),
    expression: z
      .string()
      .max(2000)
      .default("")
      .describe("Confidence expression (source expression; a number 0..1 or true/false over answer, json, state)")
      .meta({ widget: "expression" }),
    onFailure: z.boolean().default(true).describe("Also escalate when the agent fails (model errors)"),
    supervisor: z.boolean().default(true).describe("Level 2: a supervisor agent"),
    supervisorModel: z.string().max(200).default("").describe("Supervisor model (a stronger one; empty: the agent's model)"),
    supervisorPrompt: z
      .string()
      .max(20_000)
      .default("You are a senior supervisor. A colleague's answer was not reliable enough: check it and give the correct, complete answer.")
      .describe("Supervisor system prompt")
      .meta({ widget: "textarea" }),
    human: z.boolean().default(true).describe("Level 3: a human approves, edits or rejects, with the evidence"),
    humanInstructions: z
      .string()
      .max(5000)
      .default("The agents were not sure enough. Check the evidence, edit the answer if needed, then approve it or reject it.")
      .describe("Instructions for the reviewer ({{field}} placeholders)")
      .meta({ widget: "textarea" }),
    humanTimeoutMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000)
      .default(0)
      .describe("Reject automatically after (ms, 0: wait forever)"),
    whenExhausted: z.enum(["accept", "fail"]).default("accept").describe("When the last level is still unsure (accept: keep its answer; fail: LOW_CONFIDENCE)"),
  })
  .superRefine((p, ctx) => {
    if (p.enabled && p.confidenceSource === "expression" && !p.expression.trim())
      ctx.addIssue({ code: "custom", path: ["expression"], message: "Write the confidence expression (e.g. len(answer) > 40), or pick another source." });
  });

export const agent = defineKind({
  kind: "agent",
  label: "Agent",
  category: "AI",
  icon: "Bot",
  color: "#7c3aed",
  description: "An LLM agent with a role, a prompt, tools and a step budget.",
  help: "Calls a language model with the system prompt and the rendered prompt. Tool nodes wired to its Tools port can be called by the model, up to Max steps model turns. An empty Model uses the model a Model router upstream chose, else AURA_DEFAULT_MODEL, else the built-in Simulated model (no key, no network). API key picks a workspace credential for the model's provider; Server default uses the server's environment keys. Escalate (optional): when the agent fails or its confidence (a JSON field it returns, a judge model's score, or an expression) is below the threshold, a supervisor agent tries, then a person approves with the evidence.",
  configSchema: z.object({
    role: requiredText("Role", 200).describe("Role (e.g. Researcher, Support agent)"),
    systemPrompt: z.string().max(20_000).default("").describe("System prompt").meta({ widget: "textarea" }),
    prompt: template("Prompt (template over the run state)", "{{input}}"),
    model: z.string().max(200).default("").describe("Model (provider:model, empty: the workflow default or an upstream Model router)"),
    temperature: z.number().min(0).max(2).default(0.2).describe("Temperature"),
    maxSteps: z.number().int().min(1).max(50).default(5).describe("Max steps (model turns including tool calls)"),
    credentialId: credentialId(["openai", "anthropic"], "API key (a workspace credential; Server default: the server's environment keys)"),
    credentialName: credentialName(),
    outputKey: outputKey(),
    escalation: EscalationPolicySchema.optional().describe("Escalate"),
  }),
  defaultConfig: {
    role: "Assistant",
    systemPrompt: "You are a helpful assistant.",
    prompt: "{{input}}",
    model: "",
    temperature: 0.2,
    maxSteps: 5,
    outputKey: "",
  },
  inputs: [IN],
  outputs: () => [OUT, { id: "tools", label: "Tools", type: "tools" }],
});

const Candidate = z.object({
  model: requiredText("Model", 200).describe("provider:model, e.g. openai:gpt-4o-mini or offline:simulated"),
  costPer1kTokens: z.number().min(0).max(1000).default(0).describe("Cost per 1k tokens (USD)"),
  latencyMs: z.number().int().min(0).max(600_000).default(1000).describe("Typical latency (ms)"),
  quality: z.enum(["low", "medium", "high"]).default("medium"),
});

export const modelRouter = defineKind({
  kind: "model-router",
  label: "Model router",
  category: "AI",
  icon: "Route",
  color: "#9333ea",
  description: "Picks a model for downstream agents by cost, latency or quality.",
  help: "Chooses one of the candidate models per run by policy: the cheapest that meets the minimum quality, the fastest, or the best quality. Downstream agents with an empty Model use the choice. With fallback on, a provider failure moves to the next candidate. The reason is recorded in the run.",
  configSchema: z.object({
    policy: z.enum(["cheapest", "fastest", "best-quality"]).default("cheapest").describe("Policy"),
    minQuality: z.enum(["low", "medium", "high"]).default("medium").describe("Minimum quality"),
    fallback: z.boolean().default(true).describe("Fall back to the next candidate when a provider fails"),
    candidates: z.array(Candidate).min(1, "Add at least one candidate model").max(20).describe("Candidate models"),
  }),
  defaultConfig: {
    policy: "cheapest",
    minQuality: "medium",
    fallback: true,
    candidates: [{ model: "offline:simulated", costPer1kTokens: 0, latencyMs: 5, quality: "medium" }],
  },
  inputs: [IN],
  outputs: () => [OUT],
});
