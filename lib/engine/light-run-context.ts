import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";

/** Keys @langchain/core stores a runnable's config and context variables under (its singletons/async_local_storage). */
const LC_CHILD_KEY = Symbol.for("lc:child_config");
const CONTEXT_VARIABLES_KEY = Symbol.for("lc:context_variables");

type Provider = typeof AsyncLocalStorageProviderSingleton;
type RunWithConfig = Provider["runWithConfig"];

const TRACING_VARIABLES = ["LANGSMITH_TRACING", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING", "LANGCHAIN_TRACING_V2"];

/** Whether LangSmith tracing is asked for in the environment (then LangChain's own context handling stays). */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return TRACING_VARIABLES.some((k) => env[k] === "true");
}

const installed = Symbol.for("aura:light-run-context");

/**
 * Makes LangChain's per-call context cheap when nothing traces. LangGraph runs every node, edge and
 * channel write through `AsyncLocalStorageProviderSingleton.runWithConfig`, which builds a LangSmith
 * `RunTree` each time (a UUIDv7 from crypto random bytes, a timestamp string, environment reads) only
 * to hang the config on it with tracing disabled: ~14% of a run worker's CPU on a 10-step workflow.
 * Without callbacks or tracing, the store holds what readers use (`getRunnableConfig()` reads
 * `extra[lc:child_config]`; context variables are carried over as LangChain does); with callbacks or
 * tracing the original runs. Idempotent; a no-op when LANGSMITH/LANGCHAIN tracing is on at install.
 */
export function installLightRunContext(): void {
  const provider = AsyncLocalStorageProviderSingleton as Provider & { [installed]?: true };
  if (provider[installed] || tracingRequested()) return;
  const original: RunWithConfig = provider.runWithConfig.bind(provider);
  provider.runWithConfig = ((config: { callbacks?: unknown } | undefined, callback: () => unknown, avoidCreatingRootRunTree?: boolean) => {
    if (avoidCreatingRootRunTree || config?.callbacks !== undefined) return original(config, callback, avoidCreatingRootRunTree);
    const storage = provider.getInstance();
    const previous = storage.getStore() as Record<symbol, unknown> | undefined;
    const store: Record<string | symbol, unknown> = { extra: { [LC_CHILD_KEY]: config } };
    if (previous?.[CONTEXT_VARIABLES_KEY] !== undefined) store[CONTEXT_VARIABLES_KEY] = previous[CONTEXT_VARIABLES_KEY];
    return storage.run(store, callback);
  }) as RunWithConfig;
  provider[installed] = true;
}
