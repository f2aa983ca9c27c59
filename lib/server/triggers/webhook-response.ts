import "server-only";
import { output as outputKind } from "@/lib/workflow/catalog/flow";
import type { WebhookResponseMode } from "@/lib/contracts/trigger-api";
import { getDatabase } from "@/lib/db/database";
import { json } from "../http";
import { getRun } from "../runs/service";
import { getRunManager } from "../runs/manager";
import { maxWaitSeconds, runUrls, waitForRun } from "../runs/run-wait";
import { runEventStream } from "../runs/run-sse";

interface StartedRun {
  runId: string;
  status: "queued";
  position: number;
}

// Set by the server from the body (or by the HTTP stack): an Output may not override them.
const RESERVED_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "x-aura-run-id"]);

/**
 * Answers a webhook call in the trigger's response mode:
 * - immediately: 202 { runId, status, position, urls } at once (the default);
 * - stream: the run's events as Server-Sent Events, ending with the terminal event;
 * - lastNode: waits (event-driven, up to the server's maximum wait) and answers with the value of the
 *   Output node that produced the result, as JSON, with that Output's status and headers. A failed or
 *   cancelled run answers 500 with its error; a run still going, or waiting for a human, 202 with its
 *   id, status and URLs.
 */
export async function answerWebhook(request: Request, started: StartedRun, mode: WebhookResponseMode): Promise<Response> {
  const { runId } = started;
  const headers = { "x-aura-run-id": runId };
  if (mode === "stream") return runEventStream(runId, -1, { signal: request.signal, headers });
  if (mode === "immediately") return json({ ...started, urls: runUrls(runId) }, { status: 202, headers });
  const { answer, outputNodeId } = await waitForRun(runId, maxWaitSeconds(), request.signal);
  if (answer.status === "succeeded") {
    const out = await outputResponseConfig(runId, outputNodeId);
    const h = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    for (const { name, value } of out.headers) if (!RESERVED_HEADERS.has(name.toLowerCase())) h.set(name, value);
    h.set("x-aura-run-id", runId);
    return new Response(JSON.stringify(answer.result ?? null), { status: out.status, headers: h });
  }
  if (answer.status === "failed" || answer.status === "cancelled") {
    const error = answer.error ?? { code: "RUN_CANCELLED", message: "The run was cancelled before it answered.", nodeId: null };
    return json({ error, runId, status: answer.status, urls: answer.urls }, { status: 500, headers });
  }
  return json(answer, { status: 202, headers });
}

/** The status and headers set on the Output node that produced the result (200 and none by default). */
async function outputResponseConfig(runId: string, outputNodeId: string | null): Promise<{ status: number; headers: { name: string; value: string }[] }> {
  const fallback = { status: 200, headers: [] };
  if (!outputNodeId) return fallback;
  const run = await getRun(runId);
  const doc = await getRunManager().document(await getDatabase(), run.workflowId, run.workflowVersion);
  const node = doc.nodes.find((n) => n.id === outputNodeId);
  const config = node ? outputKind.configSchema.safeParse(node.config) : null;
  if (!config?.success) return fallback;
  return { status: config.data.status ?? 200, headers: config.data.headers ?? [] };
}
