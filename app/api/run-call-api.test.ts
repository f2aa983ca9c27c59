// Calling a workflow as a service: POST …/runs?wait=, SSE on the same route and GET /api/runs/:id/stream,
// with runs executed by the real worker pool, on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { body, createWorkflow, ctx, req, startRun, waitForRun, useTestDatabase } from "@/test/api-harness";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow, type EdgeSpec, type NodeSpec } from "@/lib/engine/testing";
import { activeRunWatchers } from "@/lib/server/runs/run-watch";
import { openRunStreams } from "@/lib/server/runs/run-sse";
import * as startRoute from "./workflows/[id]/runs/route";
import * as streamRoute from "./runs/[id]/stream/route";
import * as eventsRoute from "./runs/[id]/events/route";
import * as approvalRoute from "./runs/[id]/approvals/[nodeId]/route";
import * as triggersRoute from "./workflows/[id]/triggers/route";
import * as hookRoute from "./hooks/[workflowId]/[secret]/route";
import * as hookHeaderRoute from "./hooks/[workflowId]/route";

// HTTP request nodes here call a local endpoint on 127.0.0.1: the server admin's switch for private
// targets (lib/engine/net), set before the run workers start (they copy the environment).
process.env.AURA_HTTP_ALLOW_PRIVATE = "1";

const doc = (nodes: NodeSpec[], edges: EdgeSpec[]) => buildWorkflow(nodes, edges);

const post = (wf: string, query = "", init: { input?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}) =>
  startRoute.POST(req(`/api/workflows/${wf}/runs${query}`, { json: { input: init.input ?? {} }, headers: init.headers, signal: init.signal }), ctx({ id: wf }));

interface SseMessage {
  id: number;
  event: string;
  data: { seq: number; type: string; [k: string]: unknown };
}

/** Reads SSE messages from a response body until `count` messages arrived or the stream ends. */
async function readSse(
  res: Response,
  until: (m: SseMessage[]) => boolean = () => false,
): Promise<{ messages: SseMessage[]; ended: boolean; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { messages, ended: true, reader };
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const fields = Object.fromEntries(
        block
          .split("\n")
          .filter((l) => !l.startsWith(":"))
          .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
      );
      if (fields.data) messages.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
    }
    if (until(messages)) return { messages, ended: false, reader };
  }
}

/** A local endpoint that always answers 500 (a node that fails). */
function failingEndpoint(): Promise<{ url: string; close: () => void }> {
  const server = createServer((_q, res) => res.writeHead(500, { "content-type": "text/plain" }).end("down"));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, close: () => server.close() })),
  );
}

const seqs = (m: SseMessage[]) => m.map((x) => x.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const providers = await testProviders();

describe.each(providers)("calling a workflow on %s", (provider) => {
  useTestDatabase(provider, { runs: true });

  it("?wait answers 200 with the result, tokens, cost and duration when the run finishes in time", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "who" }] }],
          ["o", "output", { value: "hi {{who}}" }],
        ],
        ["start->o"],
      ),
    );
    const res = await post(wf, "?wait=20", { input: { who: "ann" } });
    expect(res.status).toBe(200);
    const answer = await body(res);
    expect(answer).toMatchObject({
      status: "succeeded",
      result: "hi ann",
      tokens: { input: 0, output: 0 },
      costUsd: 0,
      urls: { run: `/api/runs/${answer.runId}`, stream: `/api/runs/${answer.runId}/stream` },
    });
    expect(answer.durationMs).toBeGreaterThanOrEqual(0);
    expect(res.headers.get("x-aura-run-id")).toBe(answer.runId);
    // The same figures as the stored run.
    expect(await waitForRun(answer.runId, ["succeeded"])).toMatchObject({ result: "hi ann", durationMs: answer.durationMs });
  });

  it("?wait answers 202 with the run's URLs when it does not finish in time, and the run goes on", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 1500 }],
          ["o", "output", { value: "late" }],
        ],
        ["start->d", "d->o"],
      ),
    );
    const t0 = Date.now();
    const res = await post(wf, "?wait=0.3");
    expect(res.status).toBe(202);
    expect(Date.now() - t0).toBeLessThan(1400);
    const answer = await body(res);
    expect(["queued", "running"]).toContain(answer.status);
    expect(answer.urls).toEqual({ run: `/api/runs/${answer.runId}`, events: `/api/runs/${answer.runId}/events`, stream: `/api/runs/${answer.runId}/stream` });
    expect(activeRunWatchers()).toBe(0);
    expect(await waitForRun(answer.runId, ["succeeded", "failed"])).toMatchObject({ status: "succeeded", result: "late" });
  });

  it("?wait answers a failed run with its error code and failed node", async () => {
    const ep = await failingEndpoint();
    try {
      const wf = await createWorkflow(
        doc(
          [
            ["start", "start", { fields: [] }],
            ["h", "http-request", { url: ep.url, allowedHosts: ["127.0.0.1"] }],
            ["o", "output", { value: "{{h.body}}" }],
          ],
          ["start->h", "h->o"],
        ),
      );
      const res = await post(wf, "?wait=20");
      expect(res.status).toBe(200);
      expect(await body(res)).toMatchObject({ status: "failed", error: { code: "HTTP_500", nodeId: "h" }, tokens: { input: 0, output: 0 } });
    } finally {
      ep.close();
    }
  });

  it("?wait answers 202 waiting_approval with what waits for a run parked at a human approval", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "draft" }] }],
          ["ap", "human-approval", { instructions: "Check it" }],
          ["o", "output", { value: "{{draft}}" }],
        ],
        ["start->ap", "ap->o:approved"],
      ),
    );
    const res = await post(wf, "?wait=20", { input: { draft: "x" } });
    expect(res.status).toBe(202);
    const answer = await body(res);
    expect(answer).toMatchObject({ status: "waiting_approval", waitingFor: [{ nodeId: "ap", instructions: "Check it" }] });
    expect(answer.urls.run).toBe(`/api/runs/${answer.runId}`);
    // Approved at once, as a script would: the run's row may still be settling to "waiting", which
    // must not answer 409.
    const approved = await approvalRoute.POST(
      req(`/api/runs/${answer.runId}/approvals/ap`, { json: { approved: true } }),
      ctx({ id: answer.runId, nodeId: "ap" }),
    );
    expect(approved.status).toBe(202);
    expect((await waitForRun(answer.runId, ["succeeded"])).status).toBe("succeeded");
  });

  it("refuses a bad or too long wait with 400 and starts nothing", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["o", "output", { value: "x" }],
        ],
        ["start->o"],
      ),
    );
    const bad = await post(wf, "?wait=soon");
    expect(bad.status).toBe(400);
    expect((await body(bad)).error.message).toMatch(/wait must be a number of seconds/);
    const long = await post(wf, "?wait=100000");
    expect(long.status).toBe(400);
    expect((await body(long)).error.message).toMatch(/at most 300 seconds/);
  });

  it("streams a run as SSE with Accept: text/event-stream: every seq once, in order, ending with the terminal event", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 100 }],
          ["o", "output", { value: "streamed" }],
        ],
        ["start->d", "d->o"],
      ),
    );
    const res = await post(wf, "", { headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control")).toMatch(/no-cache/);
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const { messages, ended } = await readSse(res);
    expect(ended).toBe(true);
    expect(seqs(messages)).toEqual(range(0, messages.length - 1));
    expect(messages.every((m) => m.event === m.data.type && m.id === m.data.seq)).toBe(true);
    expect(messages[0].event).toBe("run.queued");
    expect(messages.at(-1)!.event).toBe("run.finished");
    expect(messages.at(-1)!.data.result).toBe("streamed");
    expect(activeRunWatchers()).toBe(0);
    expect(openRunStreams()).toBe(0);
  });

  it("GET /api/runs/:id/stream resumes after Last-Event-ID with no gap and no duplicate; a dropped client frees its follower", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["a", "delay", { ms: 50 }],
          ["ap", "human-approval", { instructions: "Go?" }],
          ["b", "delay", { ms: 50 }],
          ["o", "output", { value: "after approval" }],
        ],
        ["start->a", "a->ap", "ap->b:approved", "b->o"],
      ),
    );
    const runId = await startRun(wf);
    // First connection: read until the run waits, then drop it.
    const first = await streamRoute.GET(req(`/api/runs/${runId}/stream`), ctx({ id: runId }));
    expect(first.status).toBe(200);
    const part = await readSse(first, (m) => m.some((x) => x.event === "node.waiting"));
    expect(part.ended).toBe(false);
    expect(seqs(part.messages)).toEqual(range(0, part.messages.length - 1));
    expect(activeRunWatchers()).toBe(1);
    expect(openRunStreams()).toBe(1);
    await part.reader.cancel();
    await expect.poll(() => activeRunWatchers()).toBe(0);
    expect(openRunStreams()).toBe(0);

    // Reconnect with Last-Event-ID, then approve: the rest arrives, from the next seq on.
    const lastId = part.messages.at(-1)!.id;
    const second = await streamRoute.GET(req(`/api/runs/${runId}/stream`, { headers: { "last-event-id": String(lastId) } }), ctx({ id: runId }));
    const rest = readSse(second);
    await waitForRun(runId, ["waiting"]);
    const ok = await approvalRoute.POST(req(`/api/runs/${runId}/approvals/ap`, { json: { approved: true } }), ctx({ id: runId, nodeId: "ap" }));
    expect(ok.status).toBe(202);
    const { messages, ended } = await rest;
    expect(ended).toBe(true);
    expect(messages.at(-1)!.data).toMatchObject({ type: "run.finished", result: "after approval" });
    const all = [...part.messages, ...messages];
    expect(seqs(all)).toEqual(range(0, all.length - 1));
    // The same events the store holds.
    const stored = (await body(await eventsRoute.GET(req(`/api/runs/${runId}/events?after=-1&limit=1000`), ctx({ id: runId })))).events;
    expect(all.map((m) => m.data)).toEqual(stored);

    // A finished run: ?after= streams what is stored after it and closes.
    const tail = await readSse(await streamRoute.GET(req(`/api/runs/${runId}/stream?after=${stored.length - 3}`), ctx({ id: runId })));
    expect(tail).toMatchObject({ ended: true });
    expect(seqs(tail.messages)).toEqual(range(stored.length - 2, stored.length - 1));
    // Nothing more: 204, which tells an EventSource to stop reconnecting.
    await waitForRun(runId, ["succeeded"]);
    const nothing = await streamRoute.GET(req(`/api/runs/${runId}/stream`, { headers: { "last-event-id": String(stored.length - 1) } }), ctx({ id: runId }));
    expect(nothing.status).toBe(204);
    expect(activeRunWatchers()).toBe(0);
  });

  it("an aborted request (client gone) ends the stream and frees the follower", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["ap", "human-approval", { instructions: "Wait" }],
          ["o", "output", { value: "x" }],
        ],
        ["start->ap", "ap->o:approved"],
      ),
    );
    const runId = await startRun(wf);
    const abort = new AbortController();
    const res = await streamRoute.GET(req(`/api/runs/${runId}/stream`, { signal: abort.signal }), ctx({ id: runId }));
    const part = await readSse(res, (m) => m.some((x) => x.event === "node.waiting"));
    expect(activeRunWatchers()).toBe(1);
    abort.abort();
    await expect.poll(() => activeRunWatchers()).toBe(0);
    await expect.poll(() => openRunStreams()).toBe(0);
    await part.reader.cancel().catch(() => {});
  });

  it("GET /api/runs/:id/stream: 404 for an unknown run, 400 for a bad Last-Event-ID", async () => {
    const missing = await streamRoute.GET(req(`/api/runs/run_nope/stream`), ctx({ id: "run_nope" }));
    expect(missing.status).toBe(404);
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["o", "output", { value: "x" }],
        ],
        ["start->o"],
      ),
    );
    const runId = await startRun(wf);
    const bad = await streamRoute.GET(req(`/api/runs/${runId}/stream`, { headers: { "last-event-id": "abc" } }), ctx({ id: runId }));
    expect(bad.status).toBe(400);
    expect((await body(bad)).error.message).toMatch(/event seq/);
  });

  /** Puts one webhook trigger with `responseMode` on the workflow; returns its secret. */
  async function webhook(wf: string, responseMode?: string): Promise<string> {
    const put = await triggersRoute.PUT(
      req(`/api/workflows/${wf}/triggers`, { method: "PUT", json: { triggers: [{ kind: "webhook", ...(responseMode ? { responseMode } : {}) }] } }),
      ctx({ id: wf }),
    );
    expect(put.status, await put.clone().text()).toBe(200);
    const [hook] = (await body(put)).triggers;
    expect(hook.responseMode).toBe(responseMode ?? "immediately");
    return hook.secret;
  }
  // As a webhook caller does: the secret in the URL, no token (a token would scope the call to its workspace).
  const callHook = (wf: string, secret: string, json: unknown = {}) =>
    hookRoute.POST(req(`/api/hooks/${wf}/${secret}`, { json, token: null }), ctx({ workflowId: wf, secret }));

  it("webhook responseMode immediately (the default) answers 202 with the run id at once", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["d", "delay", { ms: 800 }],
          ["o", "output", { value: "x" }],
        ],
        ["start->d", "d->o"],
      ),
    );
    const secret = await webhook(wf);
    const res = await callHook(wf, secret);
    expect(res.status).toBe(202);
    const answer = await body(res);
    expect(answer).toMatchObject({ status: "queued", urls: { run: `/api/runs/${answer.runId}` } });
    await waitForRun(answer.runId, ["succeeded"]);
  });

  it("webhook responseMode lastNode answers with the Output's value as JSON, with the Output's status and headers", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "order", type: "json" }] }],
          [
            "o",
            "output",
            {
              value: "{{json order}}",
              status: 201,
              headers: [
                { name: "X-Greeting", value: "hello" },
                { name: "content-length", value: "1" },
              ],
            },
          ],
        ],
        ["start->o"],
      ),
    );
    const secret = await webhook(wf, "lastNode");
    const res = await callHook(wf, secret, { order: { id: 7, who: "bo" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-greeting")).toBe("hello");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const runId = res.headers.get("x-aura-run-id")!;
    const run = await waitForRun(runId, ["succeeded"]);
    const got = await body(res);
    expect(got).toEqual(run.result);
    expect(got).toEqual({ id: 7, who: "bo" });
    expect(run.trigger).toBe("webhook");
    // Header-secret route, same mode; a plain Output answers 200.
    const plain = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "n", type: "number" }] }],
          ["o", "output", { value: "n={{n}}" }],
        ],
        ["start->o"],
      ),
    );
    const s2 = await webhook(plain, "lastNode");
    const viaHeader = await hookHeaderRoute.POST(
      req(`/api/hooks/${plain}`, { json: { n: 7 }, token: null, headers: { "x-aura-webhook-secret": s2 } }),
      ctx({ workflowId: plain }),
    );
    expect(viaHeader.status).toBe(200);
    expect(await body(viaHeader)).toBe("n=7");
  });

  it("webhook responseMode lastNode: a failed run answers 500 with its error; a run waiting for a human 202 with its id", async () => {
    const ep = await failingEndpoint();
    try {
      const failing = await createWorkflow(
        doc(
          [
            ["start", "start", { fields: [] }],
            ["h", "http-request", { url: ep.url, allowedHosts: ["127.0.0.1"] }],
            ["o", "output", { value: "{{h.body}}" }],
          ],
          ["start->h", "h->o"],
        ),
      );
      const failed = await callHook(failing, await webhook(failing, "lastNode"));
      expect(failed.status).toBe(500);
      expect(await body(failed)).toMatchObject({ status: "failed", error: { code: "HTTP_500", nodeId: "h" } });
    } finally {
      ep.close();
    }
    const approval = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [] }],
          ["ap", "human-approval", { instructions: "Ok?" }],
          ["o", "output", { value: "x" }],
        ],
        ["start->ap", "ap->o:approved"],
      ),
    );
    const waiting = await callHook(approval, await webhook(approval, "lastNode"));
    expect(waiting.status).toBe(202);
    const answer = await body(waiting);
    expect(answer).toMatchObject({ status: "waiting_approval", waitingFor: [{ nodeId: "ap" }], urls: { run: `/api/runs/${answer.runId}` } });
  });

  it("webhook responseMode stream answers with the run's events as SSE; a bad mode is refused", async () => {
    const wf = await createWorkflow(
      doc(
        [
          ["start", "start", { fields: [{ name: "who" }] }],
          ["o", "output", { value: "hey {{who}}" }],
        ],
        ["start->o"],
      ),
    );
    const res = await callHook(wf, await webhook(wf, "stream"), { who: "cy" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { messages, ended } = await readSse(res);
    expect(ended).toBe(true);
    expect(seqs(messages)).toEqual(range(0, messages.length - 1));
    expect(messages.at(-1)!.data).toMatchObject({ type: "run.finished", result: "hey cy" });
    const bad = await triggersRoute.PUT(
      req(`/api/workflows/${wf}/triggers`, { method: "PUT", json: { triggers: [{ kind: "webhook", responseMode: "later" }] } }),
      ctx({ id: wf }),
    );
    expect(bad.status).toBe(400);
    expect((await body(bad)).error.issues[0].path).toMatch(/responseMode/);
  });
});
