import type { NodeConfigOf } from "../../workflow";
import { useCredential } from "../credentials";
import { EngineError, EngineErrorCode } from "../errors";
import { OFFLINE_MODEL, parseModelSpec, providersFromEnv, type ModelSettings } from "../models/resolve";
import type { ExecContext } from "./types";

/**
 * The model settings an Agent calls `spec` with: the host's, and when the node names a credential
 * (`credentialId`), that credential as the provider of `spec` (its key, and its base URL if it has
 * one, else the provider's from the environment). Without a credential the environment keys stay the
 * server-wide default. The offline model needs no key and ignores the credential. A key of the wrong
 * family for a named provider (an Anthropic key for `openai:…`) fails with CREDENTIAL_TYPE_MISMATCH;
 * other provider names (ollama, vllm, your own) take either.
 */
export async function modelSettingsFor(ctx: ExecContext<NodeConfigOf<"agent">>, spec: string): Promise<ModelSettings> {
  const base = ctx.services.models ?? {};
  const id = ctx.config.credentialId;
  if (!id) return base;
  const { provider } = parseModelSpec(spec);
  if (provider === parseModelSpec(OFFLINE_MODEL).provider || provider === "simulated") return base;
  const c = await useCredential(ctx.services, ctx.runId, id, ["openai", "anthropic"]);
  if ((provider === "openai" && c.type !== "openai") || (provider === "anthropic" && c.type !== "anthropic"))
    throw new EngineError(
      EngineErrorCode.CREDENTIAL_TYPE_MISMATCH,
      `Model "${spec}" needs ${provider === "openai" ? "an OpenAI-compatible" : "an Anthropic"} key, but credential "${c.name}" is ${c.type === "openai" ? "an OpenAI-compatible" : "an Anthropic"} key.`,
    );
  const env = base.env ?? {};
  // The provider's base URL when the credential has none: configured, or from the environment even
  // without an environment key (OPENAI_BASE_URL with keys kept as credentials).
  const envBaseUrl = provider === "openai" ? env.OPENAI_BASE_URL : provider === "anthropic" ? env.ANTHROPIC_BASE_URL : undefined;
  const known = { ...providersFromEnv(env), ...base.providers }[provider];
  return {
    ...base,
    providers: {
      ...base.providers,
      [provider]: {
        type: c.type === "anthropic" ? "anthropic" : "openai-compatible",
        apiKey: c.apiKey,
        baseUrl: c.baseUrl || known?.baseUrl || envBaseUrl || undefined,
      },
    },
  };
}
