import { EngineError, ModelErrorCode, type EngineErrorCode } from "../errors";
import type { ModelInfo, ProviderConfig } from "./types";

// The codes live in the engine's closed set (../errors.ts); re-exported for the providers' callers.
export { ModelErrorCode } from "../errors";

/** What the SDKs' errors may carry; every field is checked before use. */
type ErrorLike = {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
  cause?: ErrorLike;
  response?: { status?: unknown };
  error?: { message?: unknown; error?: { message?: unknown } };
};

const statusOf = (e: ErrorLike | undefined): number | undefined =>
  typeof e?.status === "number" ? e.status : typeof e?.response?.status === "number" ? e.response.status : undefined;

/** The provider's own sentence: `{error:{message}}` (OpenAI), `{type:"error",error:{message}}` (Anthropic), else the SDK's. */
function providerMessage(e: ErrorLike): string {
  const body = e.error;
  const fromBody = body?.error?.message ?? body?.message;
  const raw =
    typeof fromBody === "string" ? fromBody : typeof e.message === "string" ? e.message : typeof e.name === "string" ? e.name : "an error without a message";
  return raw
    .replace(/\n*Troubleshooting URL:.*$/s, "") // LangChain's suffix
    .replace(/^\d{3}\s+/, "") // the SDK's "401 " prefix; the status is said separately
    .trim()
    .replace(/\.$/, "")
    .slice(0, 500);
}

function codeFor(status: number | undefined): EngineErrorCode {
  if (status === undefined) return ModelErrorCode.MODEL_UNREACHABLE;
  if (status === 401 || status === 403) return ModelErrorCode.MODEL_AUTH_FAILED;
  if (status === 404) return ModelErrorCode.MODEL_NOT_FOUND;
  if (status === 429) return ModelErrorCode.MODEL_RATE_LIMITED;
  if (status >= 500) return ModelErrorCode.MODEL_SERVER_ERROR;
  return ModelErrorCode.MODEL_BAD_REQUEST;
}

function hint(code: EngineErrorCode, info: ModelInfo, config: ProviderConfig): string {
  const envKey =
    info.provider === "openai" ? "OPENAI_API_KEY" : info.provider === "anthropic" ? "ANTHROPIC_API_KEY" : info.provider === "vllm" ? "VLLM_API_KEY" : undefined;
  switch (code) {
    case ModelErrorCode.MODEL_AUTH_FAILED:
      return ` Check the API key${envKey ? ` (${envKey})` : ""}.`;
    case ModelErrorCode.MODEL_NOT_FOUND:
      return config.type === "anthropic"
        ? " Check the model name, and that the base URL is the server root (the client adds /v1/messages)."
        : " Check the model name, and that the base URL ends where the API starts (usually …/v1).";
    case ModelErrorCode.MODEL_RATE_LIMITED:
      return " Wait, or add a retry policy with a delay.";
    case ModelErrorCode.MODEL_SERVER_ERROR:
      return " The provider failed; a retry policy on the node retries it.";
    case ModelErrorCode.MODEL_UNREACHABLE:
      return " Check the base URL and that the server is running.";
    default:
      return "";
  }
}

/**
 * Turns whatever the OpenAI / Anthropic SDK (through LangChain) threw into an EngineError whose code
 * says what failed and whose message names the provider, the model, the HTTP status and the
 * provider's own reason, e.g. `anthropic (claude-x) answered HTTP 401: invalid x-api-key. Check the
 * API key (ANTHROPIC_API_KEY).` Aborts pass through untouched so cancel and timeouts keep their meaning.
 */
export function toModelError(err: unknown, info: ModelInfo, config: ProviderConfig): unknown {
  if (err instanceof EngineError || !err || typeof err !== "object") return err;
  const e = err as ErrorLike;
  if (e.name === "AbortError" || e.name === "APIUserAbortError") return err;
  const status = statusOf(e) ?? statusOf(e.cause);
  const who = `Model provider "${info.provider}" (model "${info.id.slice(info.provider.length + 1)}")`;
  let sysCode: string | undefined;
  for (let c: ErrorLike | undefined = e, i = 0; c && i < 5 && !sysCode; c = c.cause, i++)
    if (typeof c.code === "string" && /^E[A-Z_]+$/.test(c.code)) sysCode = c.code;
  const unreachable =
    status === undefined && (!!sysCode || /Connection|Timeout/.test(String(e.name)) || /fetch failed|connection error|timed out/i.test(String(e.message)));
  if (status === undefined && !unreachable) {
    return new EngineError(ModelErrorCode.MODEL_ERROR, `${who} failed: ${providerMessage(e)}.`, { cause: err });
  }
  const code = codeFor(status);
  const where = config.baseUrl ? ` at ${config.baseUrl}` : "";
  const what =
    status !== undefined
      ? `answered HTTP ${status}: ${providerMessage(e)}`
      : `could not be reached${where}: ${providerMessage(e)}${sysCode ? ` (${sysCode})` : ""}`;
  return new EngineError(code, `${who} ${what}.${hint(code, info, config)}`, { cause: err });
}
