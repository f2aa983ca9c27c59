import { expect, test } from "@playwright/test";

/**
 * Calling a workflow as a service against the production server: Chromium's own EventSource on
 * GET /api/runs/:id/stream receives the run's events as they happen (Next does not buffer the
 * stream), each seq once, ends with run.finished and, answered 204 on its reconnect, stays closed;
 * ?wait= answers with the result.
 */

/** start → d1 → d2 (delays) → out. */
const slowChain = (name: string, ms: number) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    { id: "d1", kind: "delay", label: "Wait 1", position: { x: 260, y: 0 }, config: { ms } },
    { id: "d2", kind: "delay", label: "Wait 2", position: { x: 520, y: 0 }, config: { ms } },
    { id: "out", kind: "output", label: "Done", position: { x: 780, y: 0 }, config: { value: "streamed" } },
  ],
  edges: [
    { id: "e0", source: "start", target: "d1" },
    { id: "e1", source: "d1", target: "d2" },
    { id: "e2", source: "d2", target: "out" },
  ],
});

test("a browser EventSource follows a run live and stops after its end; ?wait answers with the result", async ({ page, request }) => {
  // The page first: the run must still be going when the EventSource connects, however long the page takes.
  await page.goto("/");
  const created = await request.post("/api/workflows", { data: { document: slowChain(`Stream ${Date.now().toString(36)}`, 1200) } });
  expect(created.status()).toBe(201);
  const workflowId = ((await created.json()) as { id: string }).id;
  const started = await request.post(`/api/workflows/${workflowId}/runs`, { data: { input: {} } });
  expect(started.status()).toBe(202);
  const runId = ((await started.json()) as { runId: string }).runId;

  let streamRequests = 0;
  page.on("request", (r) => {
    if (r.url().includes(`/api/runs/${runId}/stream`)) streamRequests++;
  });
  const got = await page.evaluate(async (url) => {
    const seen: { seq: number; type: string; at: number }[] = [];
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const es = new EventSource(url);
      const onEvent = (m: MessageEvent) => {
        const e = JSON.parse(m.data) as { seq: number; type: string };
        seen.push({ seq: Number(m.lastEventId), type: e.type, at: performance.now() - t0 });
        if (e.type === "run.finished") resolve();
      };
      for (const type of ["run.queued", "run.started", "run.finished", "node.started", "node.finished", "state.update"]) es.addEventListener(type, onEvent);
      setTimeout(() => reject(new Error(`no run.finished after 20 s: ${JSON.stringify(seen)}`)), 20_000);
    });
    return seen;
  }, `/api/runs/${runId}/stream`);

  expect(got.map((e) => e.seq)).toEqual(got.map((_, i) => i));
  expect(got.at(-1)!.type).toBe("run.finished");
  // Live, not buffered: d2 started more than a second before the run finished, and it reached the page then.
  const d2Started = got.filter((e) => e.type === "node.started")[2];
  expect(got.at(-1)!.at - d2Started.at).toBeGreaterThan(900);
  // The server closed after run.finished; EventSource reconnects once with Last-Event-ID, gets 204, and stops.
  await page.waitForTimeout(4500);
  expect(streamRequests).toBeLessThanOrEqual(2);

  const waited = await request.post(`/api/workflows/${workflowId}/runs?wait=20`, { data: { input: {} } });
  expect(waited.status()).toBe(200);
  expect(await waited.json()).toMatchObject({ status: "succeeded", result: "streamed" });
});
