import "server-only";
import { assertJsonContentType, isIdParam, parseJsonText, readBodyText } from "../http";
import { AppError, ErrorCode } from "../errors";
import { inWorkspace } from "../request-scope";
import { callWebhook } from "./service";
import { answerWebhook } from "./webhook-response";

/** Header that carries the webhook secret when it is not in the URL. */
export const WEBHOOK_SECRET_HEADER = "x-aura-webhook-secret";

/** Reads the optional JSON body of a webhook call, starts the run and answers in the trigger's response mode. */
export async function handleWebhook(request: Request, workflowId: string, secret: string | null): Promise<Response> {
  // A malformed workflow id is refused like a wrong secret (403, no probing), before any query.
  if (!isIdParam(workflowId)) throw new AppError(ErrorCode.FORBIDDEN, "Unknown webhook or wrong secret. Copy the URL from the workflow's triggers.");
  const text = await readBodyText(request, 1024 * 1024);
  let body: unknown;
  if (text.trim()) {
    assertJsonContentType(request);
    body = parseJsonText(text, "webhook body");
  }
  const { started, responseMode, workspaceId } = await callWebhook(workflowId, secret ?? request.headers.get(WEBHOOK_SECRET_HEADER), body);
  // The answer reads the run (lastNode: its Output's status and headers) in the workflow's workspace,
  // as the start did: a webhook call has no signed-in member to scope it.
  return inWorkspace(workspaceId, () => answerWebhook(request, started, responseMode));
}
