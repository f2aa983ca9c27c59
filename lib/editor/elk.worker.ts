/// <reference lib="webworker" />
// ELK in a Web Worker with a tiny protocol: { id, graph } in, { id, result } or { id, error } out.
// (elk.bundled installs its own handler on import in a worker scope; ours replaces it.)
import ELK from "elkjs/lib/elk.bundled.js";

const elk = new ELK();
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (e: MessageEvent<{ id: number; graph: Parameters<typeof elk.layout>[0] }>) => {
  const { id, graph } = e.data;
  try {
    scope.postMessage({ id, result: await elk.layout(graph) });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
scope.postMessage({ ready: true });
