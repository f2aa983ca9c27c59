/**
 * Runs ELK off the main thread (Web Worker) when possible, falling back to the bundled engine in the
 * current thread (tests, old browsers). One engine per page, created lazily.
 */
import type { ELK as ElkApi, ElkNode } from "elkjs/lib/elk-api";
import type { Position, WorkflowDocument } from "@/lib/workflow";
import { positionsFromElk, toElkGraph, type LayoutDirection } from "./layout";

let engine: Promise<ElkApi> | null = null;

async function createEngine(): Promise<ElkApi> {
  if (typeof window !== "undefined" && typeof Worker !== "undefined") {
    try {
      const { default: ElkApiCtor } = await import("elkjs/lib/elk-api.js");
      const elk = new ElkApiCtor({ workerFactory: () => new Worker(new URL("./elk.worker.ts", import.meta.url)) });
      // A tiny graph proves the worker loads before we rely on it.
      await Promise.race([elk.layout({ id: "probe", children: [{ id: "a", width: 1, height: 1 }] }), new Promise((_, rej) => setTimeout(() => rej(new Error("worker timeout")), 4000))]);
      return elk;
    } catch {
      /* fall through to the in-thread engine */
    }
  }
  const { default: Elk } = await import("elkjs/lib/elk.bundled.js");
  return new Elk();
}

/** New positions for every node of `doc`, laid out left-to-right or top-down. */
export async function layoutPositions(doc: WorkflowDocument, direction: LayoutDirection, sizes?: ReadonlyMap<string, { width: number; height: number }>): Promise<Map<string, Position>> {
  engine ??= createEngine();
  const elk = await engine;
  const result: ElkNode = await elk.layout(toElkGraph(doc, direction, sizes));
  return positionsFromElk(doc, result);
}
