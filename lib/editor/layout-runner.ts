/**
 * Runs ELK off the main thread (Web Worker) when possible, falling back to the bundled engine in the
 * current thread (tests, or a worker that does not start). One engine per page, created lazily.
 */
import type { ElkNode } from "elkjs/lib/elk-api";
import type { Position, WorkflowDocument } from "@/lib/workflow";
import { positionsFromElk, toElkGraph, type LayoutDirection } from "./layout";
import { quickLayeredPositions } from "./quick-layout";

/** Above this many nodes ELK takes seconds; the linear layered layout takes milliseconds. */
export const ELK_MAX_NODES = 300;

interface Engine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let engine: Promise<Engine> | null = null;

function workerEngine(): Promise<Engine> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./elk.worker.ts", import.meta.url), { type: "module" });
    const pending = new Map<number, { resolve: (g: ElkNode) => void; reject: (e: Error) => void }>();
    let next = 1;
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error("layout worker did not start"));
    }, 5000);
    worker.onerror = (e) => {
      clearTimeout(timer);
      reject(new Error(e.message || "layout worker failed"));
    };
    worker.onmessage = (e: MessageEvent<{ ready?: boolean; id?: number; result?: ElkNode; error?: string }>) => {
      if (e.data.ready) {
        clearTimeout(timer);
        resolve({
          layout: (graph) =>
            new Promise((res, rej) => {
              const id = next++;
              pending.set(id, { resolve: res, reject: rej });
              worker.postMessage({ id, graph });
            }),
        });
        return;
      }
      const p = e.data.id !== undefined ? pending.get(e.data.id) : undefined;
      if (!p) return;
      pending.delete(e.data.id!);
      if (e.data.error) p.reject(new Error(e.data.error));
      else p.resolve(e.data.result!);
    };
  });
}

async function mainThreadEngine(): Promise<Engine> {
  const { default: Elk } = await import("elkjs/lib/elk.bundled.js");
  return new Elk();
}

async function createEngine(): Promise<Engine> {
  if (typeof window !== "undefined" && typeof Worker !== "undefined") {
    try {
      return await workerEngine();
    } catch {
      /* fall back below */
    }
  }
  return mainThreadEngine();
}

/** Starts the layout engine early (e.g. when the editor opens) so the first layout is quick. */
export function warmUpLayout(): void {
  engine ??= createEngine();
}

/** New positions for every node of `doc`, laid out left-to-right or top-down. */
export async function layoutPositions(
  doc: WorkflowDocument,
  direction: LayoutDirection,
  sizes?: ReadonlyMap<string, { width: number; height: number }>,
): Promise<Map<string, Position>> {
  if (doc.nodes.length > ELK_MAX_NODES) return quickLayeredPositions(doc, direction, sizes);
  engine ??= createEngine();
  const elk = await engine;
  return positionsFromElk(doc, await elk.layout(toElkGraph(doc, direction, sizes)));
}
