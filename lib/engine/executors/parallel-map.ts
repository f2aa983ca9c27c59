import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { EngineError, EngineErrorCode } from "../errors";
import { auraConfigurable } from "../node-function";
import { runContext } from "../run-context";
import { createAimdController, type AimdChange, type AimdController } from "./aimd";
import { getPath } from "../template";
import type { ExecutorFor } from "./types";

/** The list a Parallel map fans out over, or an error saying what was found instead. */
export function mapItems(state: Record<string, unknown>, itemsFrom: string): unknown[] {
  const items = getPath(state, itemsFrom);
  if (Array.isArray(items)) return items;
  if (typeof items === "string") {
    try {
      const parsed: unknown = JSON.parse(items);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // fall through to the error
    }
  }
  throw new EngineError(
    EngineErrorCode.ITEMS_NOT_A_LIST,
    `"${itemsFrom}" must be a list to map over, but it is ${items === undefined ? "missing" : typeof items === "object" ? "an object" : `a ${typeof items}`}.`,
  );
}

/** Parallel map: checks the list; the compiler's conditional edge then sends one branch per item. */
export const parallelMap: ExecutorFor<"parallel-map"> = () => (ctx) => {
  const items = mapItems(ctx.state, ctx.config.itemsFrom);
  const adaptive = ctx.config.concurrencyMode === "adaptive";
  return {
    detail: {
      items: items.length,
      maxConcurrency: ctx.config.maxConcurrency,
      ...(adaptive ? { concurrencyMode: "adaptive", minConcurrency: Math.min(ctx.config.minConcurrency, ctx.config.maxConcurrency) } : {}),
    },
  };
};

/** Releases a map slot; `failed` says whether the item failed (the adaptive controller's signal). */
export type MapSlotRelease = (failed?: boolean) => void;

/**
 * The concurrency gate of one map execution in "adaptive" mode: admits items while fewer than the
 * AIMD controller's limit are in flight, and feeds it each item's latency and outcome on release.
 * Lowering the limit never stops running items; it only holds back the next ones.
 */
export class AdaptiveMapGate {
  private inFlight = 0;
  private completed = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly controller: AimdController;

  constructor(
    readonly min: number,
    readonly max: number,
    private readonly onChange: (change: AimdChange & { completed: number }) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.controller = createAimdController({ min, max });
    onChange({ limit: this.controller.limit, previous: 0, reason: "start", completed: 0 });
  }

  get limit(): number {
    return this.controller.limit;
  }

  async acquire(): Promise<MapSlotRelease> {
    if (this.inFlight < this.controller.limit) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over by `admit`
    const started = this.now();
    let released = false;
    return (failed = false) => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.completed++;
      const change = this.controller.observe({ latencyMs: this.now() - started, failed });
      if (change) this.onChange({ ...change, completed: this.completed });
      this.admit();
    };
  }

  private admit(): void {
    while (this.waiting.length && this.inFlight < this.controller.limit) {
      this.inFlight++;
      this.waiting.shift()!();
    }
  }
}

const gates = new WeakMap<object, Map<string, AdaptiveMapGate>>();

/**
 * The adaptive gate of map `mapId` in this run (and enclosing map item), or undefined when the map's
 * concurrency is fixed (the compiler's semaphore applies then). Its limit changes are emitted as
 * `node.concurrency` events, so the run view can draw the concurrency over time.
 */
export function adaptiveMapGate(lg: LangGraphRunnableConfig, mapId: string, config: Record<string, unknown>): AdaptiveMapGate | undefined {
  if (config.concurrencyMode !== "adaptive") return undefined;
  const { runId, scope, itemIndex } = auraConfigurable(lg);
  const run = runContext(runId);
  if (!run) return undefined;
  let byKey = gates.get(run);
  if (!byKey) gates.set(run, (byKey = new Map<string, AdaptiveMapGate>()));
  const key = `${(scope ?? []).join("/")}|${itemIndex ?? ""}|${mapId}`;
  let gate = byKey.get(key);
  if (!gate) {
    const max = Number(config.maxConcurrency ?? 10);
    const min = Math.min(max, Number(config.minConcurrency ?? 1));
    gate = new AdaptiveMapGate(min, max, (c) =>
      run.emit({
        type: "node.concurrency",
        runId,
        ts: Date.now(),
        nodeId: mapId,
        kind: "parallel-map",
        ...(scope ? { scope } : {}),
        ...(itemIndex !== undefined ? { itemIndex } : {}),
        concurrency: c.limit,
        previous: c.previous,
        reason: c.reason,
        min,
        max,
        completed: c.completed,
        ...(c.latencyMs !== undefined ? { latencyMs: c.latencyMs } : {}),
        ...(c.baselineMs !== undefined ? { baselineMs: c.baselineMs } : {}),
      }),
    );
    byKey.set(key, gate);
  }
  return gate;
}

/** Whether a map item's branch ended in a handled failure (a node's `error` output took over). */
export function branchFailed(input: Record<string, unknown>, final: Record<string, unknown>): boolean {
  return final.error !== undefined && final.error !== null && final.error !== input.error;
}
