/**
 * The circuit-breaker keys a node calls (lib/contracts/providers-api ProviderKeySchema): an Agent with a
 * model → `model:<provider>` (a bare model name is OpenAI's, as the engine reads it); a Model router →
 * each candidate's provider; an HTTP request with a literal URL → `http:<host[:port]>`. Nodes whose
 * model or URL is decided at run time (empty model, a templated host) have none.
 */
export function nodeProviderKeys(kind: string, config: Record<string, unknown>): string[] {
  const modelKey = (spec: unknown) => {
    if (typeof spec !== "string" || !spec.trim()) return null;
    const i = spec.indexOf(":");
    const provider = i < 0 ? "openai" : spec.slice(0, i).trim().toLowerCase();
    return provider === "offline" || provider === "simulated" ? null : `model:${provider}`;
  };
  if (kind === "agent") {
    const k = modelKey(config.model);
    return k ? [k] : [];
  }
  if (kind === "model-router" && Array.isArray(config.candidates)) {
    const keys = config.candidates.map((c) => modelKey((c as { model?: unknown })?.model)).filter((k): k is string => !!k);
    return [...new Set(keys)];
  }
  if (kind === "http-request" && typeof config.url === "string" && !/\{\{/.test(config.url.split("/").slice(0, 3).join("/"))) {
    try {
      return [`http:${new URL(config.url.trim()).host.toLowerCase()}`];
    } catch {
      return [];
    }
  }
  return [];
}
