// Pinned outputs over the API: runs use pins only with usePinnedData, bad pins are refused with their path.
import { describe, expect, it } from "vitest";
import { body, createWorkflow, ctx, req, waitForRun, useTestDatabase } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import { PIN_MAX_BYTES } from "@/lib/workflow";
import * as workflowsRoute from "./workflows/route";
import * as startRoute from "./workflows/[id]/runs/route";
import * as eventsRoute from "./runs/[id]/events/route";
import * as exporter from "./workflows/[id]/export/route";
import * as importer from "./workflows/import/route";
import * as oneRoute from "./workflows/[id]/route";
import * as retryRoute from "./runs/[id]/retry/route";

const pinnedAt = "2026-12-06T20:00:00.000Z";
const pinnedDoc = (pinOutput: unknown) => ({
  ...buildWorkflow(
    [
      ["start", "start", { fields: [{ name: "input", type: "string" }] }],
      ["t", "template", { template: "live {{input}}" }],
      ["o", "output", { value: "{{t}}" }],
    ],
    ["start->t", "t->o"],
  ),
  pins: { t: { output: pinOutput, pinnedAt, fromRunId: "run_earlier" } },
});

async function runAndWait(wf: string, json: Record<string, unknown>) {
  const res = await startRoute.POST(req(`/api/workflows/${wf}/runs`, { json: { input: { input: "x" }, ...json } }), ctx({ id: wf }));
  expect(res.status, await res.clone().text()).toBe(202);
  const { runId } = await body(res);
  const run = await waitForRun(runId, ["succeeded", "failed"]);
  const { events } = await body(await eventsRoute.GET(req(`/api/runs/${runId}/events?after=-1&limit=1000`), ctx({ id: runId })));
  return { run, events: events as Record<string, unknown>[] };
}

const providers = await testProviders();

describe.each(providers)("pinned outputs over the API on %s", (provider) => {
  useTestDatabase(provider, { runs: true });

  it("a run uses the pins only when it asks (usePinnedData: true); by default every node executes", async () => {
    const wf = await createWorkflow(pinnedDoc({ t: "from the pin" }));

    const plain = await runAndWait(wf, {});
    expect(plain.run.result).toBe("live x");
    expect(plain.events[0]).toMatchObject({ type: "run.queued" });
    expect(plain.events[0]).not.toHaveProperty("usePinnedData");
    expect(plain.events.some((e) => e.pinned)).toBe(false);

    const explicitOff = await runAndWait(wf, { usePinnedData: false, trigger: "ui" });
    expect(explicitOff.run.result).toBe("live x");

    const pinned = await runAndWait(wf, { usePinnedData: true, trigger: "ui" });
    expect(pinned.run.result).toBe("from the pin");
    expect(pinned.events[0]).toMatchObject({ type: "run.queued", usePinnedData: true });
    const t = pinned.events.filter((e) => e.nodeId === "t").map((e) => [e.type, e.pinned ?? false]);
    expect(t).toEqual([
      ["node.started", true],
      ["node.finished", true],
      ["state.update", false],
    ]);
    expect(pinned.events.find((e) => e.type === "state.update" && e.nodeId === "t")).toMatchObject({ values: { t: "from the pin" } });
  });

  it("refuses usePinnedData that is not a boolean", async () => {
    const wf = await createWorkflow(pinnedDoc({ t: "p" }));
    const res = await startRoute.POST(req(`/api/workflows/${wf}/runs`, { json: { usePinnedData: "yes" } }), ctx({ id: wf }));
    expect(res.status).toBe(400);
    expect((await body(res)).error.issues[0].path).toBe("$.usePinnedData");
  });

  it("refuses a pin over 1 MB, a pin of a missing node and an output that is not an object, with their paths", async () => {
    const tooBig = await workflowsRoute.POST(req("/api/workflows", { json: { document: pinnedDoc({ t: "x".repeat(PIN_MAX_BYTES) }) } }));
    expect(tooBig.status).toBe(400);
    expect((await body(tooBig)).error.issues).toEqual([expect.objectContaining({ path: "$.pins.t", code: "PIN_TOO_LARGE" })]);

    const ghost = { ...pinnedDoc({ t: "p" }), pins: { ghost: { output: {}, pinnedAt } } };
    const missing = await workflowsRoute.POST(req("/api/workflows", { json: { document: ghost } }));
    expect(missing.status).toBe(400);
    expect((await body(missing)).error.issues).toEqual([expect.objectContaining({ path: "$.pins.ghost", code: "PIN_UNKNOWN_NODE" })]);

    const notObject = await workflowsRoute.POST(req("/api/workflows", { json: { document: pinnedDoc("just text") } }));
    expect(notObject.status).toBe(400);
    expect((await body(notObject)).error.issues).toEqual([expect.objectContaining({ path: "$.pins.t.output" })]);
  });

  it("pins travel with export and import", async () => {
    const wf = await createWorkflow(pinnedDoc({ t: "from the pin" }));
    const text = await (await exporter.GET(req(`/api/workflows/${wf}/export`), ctx({ id: wf }))).text();
    expect(JSON.parse(text)).toMatchObject({ schemaVersion: 2, pins: { t: { output: { t: "from the pin" }, fromRunId: "run_earlier" } } });
    const imported = await importer.POST(req("/api/workflows/import", { method: "POST", body: text }));
    expect(imported.status, await imported.clone().text()).toBe(201);
    const { id } = await body(imported);
    const detail = await body(await oneRoute.GET(req(`/api/workflows/${id}`), ctx({ id })));
    expect(detail.document.pins).toEqual({ t: { output: { t: "from the pin" }, pinnedAt, fromRunId: "run_earlier" } });
  });

  it("a retry of a run that used pins uses them too; a retry of one that did not, does not", async () => {
    const failing = {
      ...buildWorkflow(
        [
          ["start", "start", { fields: [] }],
          ["t", "template", { template: "live" }],
          ["j", "js-transform", { code: "throw new Error('boom')" }],
          ["o", "output", { value: "{{t}}" }],
        ],
        ["start->t", "t->j", "j->o"],
      ),
      pins: { t: { output: { t: "pinned" }, pinnedAt } },
    };
    const wf = await createWorkflow(failing);
    for (const usePinnedData of [true, false]) {
      const res = await startRoute.POST(req(`/api/workflows/${wf}/runs`, { json: { usePinnedData } }), ctx({ id: wf }));
      const { runId } = await body(res);
      expect(await waitForRun(runId, ["succeeded", "failed"])).toMatchObject({ status: "failed" });
      const retried = await retryRoute.POST(req(`/api/runs/${runId}/retry`, { method: "POST" }), ctx({ id: runId }));
      expect(retried.status).toBe(202);
      const child = (await body(retried)).runId;
      await waitForRun(child, ["succeeded", "failed"]);
      const { events } = await body(await eventsRoute.GET(req(`/api/runs/${child}/events?after=-1&limit=10`), ctx({ id: child })));
      expect(events[0].type).toBe("run.queued");
      expect(events[0].usePinnedData ?? false).toBe(usePinnedData);
    }
  });
});
