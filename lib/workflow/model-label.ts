/** The provider of the built-in offline model, in model ids ("offline:simulated"). */
export const OFFLINE_PROVIDER = "offline";
/** How the built-in offline model is named wherever it appears: it is not a real model. */
export const SIMULATED_MODEL_LABEL = "Simulated model";

/**
 * How a model id ("provider:model") is shown to people: "gpt-4o (openai)", and the built-in offline
 * model always as "Simulated model". Shared by the engine (node events) and the UI (run view,
 * inspector, dashboard), so both say the same thing.
 */
export function modelLabel(id: string): string {
  const at = id.indexOf(":");
  if (at < 0) return id;
  const provider = id.slice(0, at);
  if (provider === OFFLINE_PROVIDER) return SIMULATED_MODEL_LABEL;
  return `${id.slice(at + 1)} (${provider})`;
}
