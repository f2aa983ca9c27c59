import { EngineError, EngineErrorCode } from "../errors";
import { OfflineChatModel } from "./offline";
import type { ChatModel, ProviderConfig } from "./types";
import { createLangChainModel } from "./langchain";
import type { ResilienceService } from "../resilience/service";

export const OFFLINE_MODEL = "offline:simulated";

export interface ModelSettings {
  /** Named providers; merged over the ones derived from the environment. */
  providers?: Record<string, ProviderConfig>;
  /** "provider:model" used by agents with no model and no upstream Model router. Default: the offline model. */
  defaultModel?: string;
  env?: Record<string, string | undefined>;
  /** Circuit breakers and rate limits per provider (key `model:<provider>`); unset: calls go straight through. */
  resilience?: ResilienceService;
}

/**
 * Providers known from the environment: openai (OPENAI_API_KEY, OPENAI_BASE_URL), anthropic
 * (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL), ollama (OLLAMA_BASE_URL, default http://127.0.0.1:11434/v1),
 * vllm (VLLM_BASE_URL, VLLM_API_KEY), lmstudio (LMSTUDIO_BASE_URL). Only configured ones are listed.
 */
export function providersFromEnv(env: Record<string, string | undefined>): Record<string, ProviderConfig> {
  const out: Record<string, ProviderConfig> = {};
  if (env.OPENAI_API_KEY) out.openai = { type: "openai-compatible", apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL || undefined };
  if (env.ANTHROPIC_API_KEY) out.anthropic = { type: "anthropic", apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL || undefined };
  out.ollama = { type: "openai-compatible", baseUrl: env.OLLAMA_BASE_URL || "http://127.0.0.1:11434/v1", apiKey: "ollama" };
  if (env.VLLM_BASE_URL) out.vllm = { type: "openai-compatible", baseUrl: env.VLLM_BASE_URL, apiKey: env.VLLM_API_KEY };
  if (env.LMSTUDIO_BASE_URL) out.lmstudio = { type: "openai-compatible", baseUrl: env.LMSTUDIO_BASE_URL, apiKey: "lm-studio" };
  return out;
}

const ENV_HINT: Record<string, string> = {
  openai: "set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server)",
  anthropic: "set ANTHROPIC_API_KEY",
  vllm: "set VLLM_BASE_URL",
  lmstudio: "set LMSTUDIO_BASE_URL",
};

/** Splits "provider:model"; a bare name means an OpenAI model. */
export function parseModelSpec(spec: string): { provider: string; model: string } {
  const i = spec.indexOf(":");
  return i < 0 ? { provider: "openai", model: spec } : { provider: spec.slice(0, i).trim().toLowerCase(), model: spec.slice(i + 1).trim() };
}

/** The default model spec: settings.defaultModel, else AURA_DEFAULT_MODEL, else the offline model. */
export function defaultModelSpec(settings: ModelSettings): string {
  return settings.defaultModel || settings.env?.AURA_DEFAULT_MODEL || OFFLINE_MODEL;
}

/** The chat model for a "provider:model" string; throws PROVIDER_NOT_CONFIGURED with how to fix it. */
export async function resolveModel(spec: string, settings: ModelSettings): Promise<ChatModel> {
  const { provider, model } = parseModelSpec(spec);
  if (provider === "offline" || provider === "simulated") return new OfflineChatModel(model || "simulated");
  const providers = { ...providersFromEnv(settings.env ?? {}), ...settings.providers };
  const config = providers[provider];
  if (!config) {
    throw new EngineError(
      EngineErrorCode.PROVIDER_NOT_CONFIGURED,
      `Model "${spec}": provider "${provider}" is not configured; ${ENV_HINT[provider] ?? `configure a provider named "${provider}"`} or use ${OFFLINE_MODEL}.`,
    );
  }
  return createLangChainModel(provider, model, config, settings.resilience);
}
