import "server-only";
import { readBodyText } from "../http";
import { AppError, ErrorCode } from "../errors";
import { callWebhook } from "./service";
import { answerWebhook } from "./webhook-response";

/** Header that carries the webhook secret when it is not in the URL. */
export const WEBHOOK_SECRET_HEADER = "x-aura-webhook-secret";

/** Reads the optional JSON body of a webhook call, starts the run and answers in the trigger's response mode. */
export async function handleWebhook(request: Request, workflowId: string, secret: string | null): Promise<Response> {
  const text = await readBodyText(request, 1024 * 1024);
  let body: unknown;
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AppError(ErrorCode.INVALID_JSON, `The webhook body is not valid JSON: ${(error as Error).message}`);
    }
  }
  const { started, responseMode } = await callWebhook(workflowId, secret ?? request.headers.get(WEBHOOK_SECRET_HEADER), body);
  return answerWebhook(request, started, responseMode);
}
