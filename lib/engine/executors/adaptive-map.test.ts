import { describe, expect, it } from "vitest";
import { RunEventSchema, withSeq, type EngineEvent, type EngineEventOf } from "../../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices } from "../index";
import { buildWorkflow } from "../testing";

/**
 * A fake downstream that serves `knee` requests at a time: 15 ms each up to the knee, then slower with
 * the square of the overload, and 503 above `failAbove` in flight. It records the peak in flight.
 */
function fakeDownstream(knee: number, failAbove = Infinity, baseMs = 15) {
  let inFlight = 0;
  let peak = 0;
  const fetch = async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    const load = inFlight;
    try {
      await new Promise((r) => setTimeout(r, load <= knee ? baseMs : baseMs * (load / knee) ** 2));
      return load > failAbove ? new Response("busy", { status: 503 }) : new Response('{"ok":true}', { headers: { "content-type": "application/json" } });
    } finally {
      inFlight--;
    }
  };
  return { fetch: fetch as unknown as typeof globalThis.fetch, peak: () => peak };
}

const mapDoc = (config: Record<string, unknown>, policy?: object) =>
  buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "items", type: "json" }] }],
      ["m", "parallel-map", { itemsFrom: "items", itemName: "it", ...config }],
      ["h", "http-request", { url: "https://api.test/{{it}}", allowedHosts: ["api.test"] }, policy],
      ["j", "join", {}],
      ["o", "output", { value: "{{json j}}" }],
    ],
    ["start->m", "m->h", "h->j", "j->o", ...(policy ? ["h->j:error"] : [])],
  );
const concurrency = (events: EngineEvent[]) => events.filter((e): e is EngineEventOf<"node.concurrency"> => e.type === "node.concurrency");

describe("Parallel map, adaptive concurrency", () => {
  it("raises its concurrency from min while items are fast, backs off when latency climbs, stays within bounds; events record it", async () => {
    const down = fakeDownstream(6);
    const services = createDefaultServices({ models: { env: {} }, fetch: down.fetch });
    const items = Array.from({ length: 160 }, (_, i) => i);
    const { outcome, events } = await collectRun(compileWorkflow(mapDoc({ concurrencyMode: "adaptive", minConcurrency: 2, maxConcurrency: 24 }), services), {
      runId: "adaptive-latency",
      input: { items },
    });
    expect(outcome.status).toBe("succeeded");
    expect((outcome.result as unknown[]).length).toBe(160);
    const changes = concurrency(events);
    expect(changes[0]).toMatchObject({ nodeId: "m", kind: "parallel-map", reason: "start", concurrency: 2, previous: 0, min: 2, max: 24, completed: 0 });
    expect(changes.some((c) => c.reason === "increase")).toBe(true);
    expect(changes.some((c) => c.reason === "decrease-latency")).toBe(true);
    for (const c of changes) {
      expect(c.concurrency).toBeGreaterThanOrEqual(2);
      expect(c.concurrency).toBeLessThanOrEqual(24);
      // Every event is a valid wire event once the server numbers it.
      expect(RunEventSchema.safeParse(withSeq(c, 1)).success).toBe(true);
    }
    // It never ran more than its limit allowed, and never got near Max: latency stopped it.
    const highest = Math.max(...changes.map((c) => c.concurrency));
    expect(down.peak()).toBeLessThanOrEqual(highest);
    expect(highest).toBeLessThan(24);
    // The map's node.finished says it was adaptive.
    expect(events.find((e) => e.type === "node.finished" && e.nodeId === "m")).toMatchObject({ detail: { concurrencyMode: "adaptive", minConcurrency: 2 } });
  });

  it("halves on failures (handled by an error route) instead of climbing to max", async () => {
    const down = fakeDownstream(100, 3, 40);
    const services = createDefaultServices({ models: { env: {} }, fetch: down.fetch });
    const { outcome, events } = await collectRun(
      compileWorkflow(mapDoc({ concurrencyMode: "adaptive", minConcurrency: 1, maxConcurrency: 12 }, { onError: "route" }), services),
      { runId: "adaptive-failures", input: { items: Array.from({ length: 80 }, (_, i) => i) } },
    );
    expect(outcome.status).toBe("succeeded");
    const changes = concurrency(events);
    const cuts = changes.filter((c) => c.reason === "decrease-failure");
    expect(cuts.length).toBeGreaterThan(0);
    for (const c of cuts) expect(c.concurrency).toBe(Math.max(1, Math.floor(c.previous / 2)));
    // Above 3 in flight the downstream fails, so the limit saw-tooths around it rather than climbing to 12.
    expect(Math.max(...changes.map((c) => c.concurrency))).toBeLessThanOrEqual(6);
  });

  it("fixed mode emits no concurrency events and keeps its cap", async () => {
    const down = fakeDownstream(100);
    const services = createDefaultServices({ models: { env: {} }, fetch: down.fetch });
    const { outcome, events } = await collectRun(compileWorkflow(mapDoc({ maxConcurrency: 3 }), services), {
      runId: "fixed-map",
      input: { items: Array.from({ length: 20 }, (_, i) => i) },
    });
    expect(outcome.status).toBe("succeeded");
    expect(concurrency(events)).toEqual([]);
    expect(down.peak()).toBeLessThanOrEqual(3);
  });
});
