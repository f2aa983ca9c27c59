import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices } from "./index";
import { resultFromPin, withoutPins } from "./pinned";
import { buildWorkflow } from "./testing";

const pinnedAt = "2026-12-06T20:00:00.000Z";

/** Services whose fetch counts its calls (the HTTP node's executor is the only caller). */
function counting() {
  let calls = 0;
  const services = createDefaultServices({
    models: { env: {} },
    fetch: async () => {
      calls++;
      return new Response('{"live":true}', { headers: { "content-type": "application/json" } });
    },
  });
  return { services, calls: () => calls };
}

function httpWorkflow() {
  const doc = buildWorkflow(
    [
      ["start", "start", { fields: [] }],
      ["h", "http-request", { url: "https://api.test/x", allowedHosts: ["api.test"] }],
      ["o", "output", { value: "{{json h.body}}" }],
    ],
    ["start->h", "h->o"],
  );
  return { ...doc, pins: { h: { output: { h: { status: 200, body: { pinned: true } } }, pinnedAt, fromRunId: "run_old" } } };
}

const nodeEvents = (events: EngineEvent[], nodeId: string) => events.filter((e) => "nodeId" in e && e.nodeId === nodeId);

describe("pinned nodes", () => {
  it("with usePinnedData the node's executor is not called, its pinned output flows on and its events say pinned", async () => {
    const { services, calls } = counting();
    const { events, outcome } = await collectRun(compileWorkflow(httpWorkflow(), services, { usePinnedData: true }), { runId: "pin-on", input: {} });
    expect(calls()).toBe(0);
    expect(outcome).toMatchObject({ status: "succeeded", result: { pinned: true } });
    const h = nodeEvents(events, "h");
    expect(h.map((e) => e.type)).toEqual(["node.started", "node.finished", "state.update"]);
    expect(h[0]).toMatchObject({ pinned: true });
    expect(h[1]).toMatchObject({ pinned: true, port: "out" });
    expect(h[2]).toMatchObject({ values: { h: { status: 200, body: { pinned: true } } } });
    // Nodes that were not pinned run as usual and are not marked.
    expect(nodeEvents(events, "o").find((e) => e.type === "node.finished")).not.toHaveProperty("pinned");
  });

  it("without usePinnedData (webhooks, schedules, the API by default) the pin is ignored and the node runs", async () => {
    const { services, calls } = counting();
    const { events, outcome } = await collectRun(compileWorkflow(httpWorkflow(), services), { runId: "pin-off", input: {} });
    expect(calls()).toBe(1);
    expect(outcome).toMatchObject({ status: "succeeded", result: { live: true } });
    expect(nodeEvents(events, "h").some((e) => "pinned" in e)).toBe(false);
  });

  it("a pinned router continues on its pinned port", async () => {
    const doc = buildWorkflow(
      [
        ["start", "start", { fields: [{ name: "q" }] }],
        ["r", "router", { routes: [{ name: "a", condition: 'q == "x"' }] }],
        ["oa", "output", { value: "went a" }],
        ["ob", "output", { value: "went default" }],
      ],
      ["start->r", "r->oa:route:a", "r->ob:default"],
    );
    // The input would take route "a"; the pin took "default" in the run it came from.
    const pinnedDoc = { ...doc, pins: { r: { output: {}, port: "default", pinnedAt } } };
    const { events, outcome } = await collectRun(compileWorkflow(pinnedDoc, createDefaultServices(), { usePinnedData: true }), {
      runId: "pin-router",
      input: { q: "x" },
    });
    expect(outcome.result).toBe("went default");
    expect(events.find((e) => e.type === "node.finished" && e.nodeId === "r")).toMatchObject({ port: "default", pinned: true });
    const unpinned = await collectRun(compileWorkflow(pinnedDoc, createDefaultServices()), { runId: "pin-router-off", input: { q: "x" } });
    expect(unpinned.outcome.result).toBe("went a");
  });
});

describe("resultFromPin", () => {
  it("splits the output key's value from the other writes and never writes internal fields", () => {
    expect(resultFromPin({ output: { answer: 42, note: "n", __ports: { x: "y" } }, port: "yes", pinnedAt }, "answer")).toEqual({
      value: 42,
      writes: { note: "n" },
      port: "yes",
    });
    expect(resultFromPin({ output: { note: "n" }, pinnedAt }, undefined)).toEqual({ writes: { note: "n" } });
  });

  it("withoutPins returns the same document when there is nothing to drop", () => {
    const doc = httpWorkflow();
    expect(withoutPins(doc).pins).toEqual({});
    expect(withoutPins(doc)).toBe(withoutPins(doc));
    const plain = { ...doc, pins: {} };
    expect(withoutPins(plain)).toBe(plain);
  });
});
