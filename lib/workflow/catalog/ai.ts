import { z } from "zod";
import { defineKind, IN, OUT } from "./types";
import { credentialId, credentialName, outputKey, requiredText, template } from "./fields";

export const agent = defineKind({
  kind: "agent",
  label: "Agent",
  category: "AI",
  icon: "Bot",
  color: "#7c3aed",
  description: "An LLM agent with a role, a prompt, tools and a step budget.",
  help: "Calls a language model with the system prompt and the rendered prompt. Tool nodes wired to its Tools port can be called by the model, up to Max steps model turns. An empty Model uses the model a Model router upstream chose, else AURA_DEFAULT_MODEL, else the built-in Simulated model (no key, no network). API key picks a workspace credential for the model's provider; Server default uses the server's environment keys.",
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
