/**
 * The topology Web Worker entry. Create it from browser code with the literal pattern bundlers
 * recognise (see README, "Web Worker"):
 *
 *   const worker = new Worker(new URL("../../lib/topology/worker.ts", import.meta.url));
 *
 * and talk to it with the messages of ./worker-protocol.ts. Works as a classic or a module worker
 * (it uses no import.meta and no top-level await).
 */
import { createTopologyWorkerLoop } from "./worker-handler";
import type { TopologyWorkerResponse } from "./worker-protocol";

/** The part of DedicatedWorkerGlobalScope we use, typed without pulling the webworker lib into the whole program. */
interface TopologyWorkerScope {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: TopologyWorkerResponse): void;
}

const scope = globalThis as unknown as TopologyWorkerScope;
const receive = createTopologyWorkerLoop((message) => scope.postMessage(message));
scope.onmessage = (event) => receive(event.data);
