import "server-only";
import { readBodyText } from "../http";
import { AppError, ErrorCode } from "../errors";
import { callWebhook } from "./service";

/** Header that carries the webhook secret when it is not in the URL. */
export const WEBHOOK_SECRET_HEADER = "x-aura-webhook-secret";

/** Reads the optional JSON body of a webhook call and starts the run. */
export async function handleWebhook(request: Request, workflowId: string, secret: string | null): Promise<{ runId: string; status: "queued"; position: number }> {
  const text = await readBodyText(request, 1024 * 1024);
  let body: unknown;
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AppError(ErrorCode.INVALID_JSON, `The webhook body is not valid JSON: ${(error as Error).message}`);
    }
  }
  return callWebhook(workflowId, secret ?? request.headers.get(WEBHOOK_SECRET_HEADER), body);
}
