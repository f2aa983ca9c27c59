import type { z } from "zod";
import { describeZodError, realtimeError, type ClientToServerEvents, type RealtimeAck } from "../contracts/protocol";

type Log = (level: "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;

/**
 * What a request handler answers: an ack, or undefined to send none (the socket went away meanwhile).
 */
export type RequestAnswer = RealtimeAck | undefined;

/**
 * Registers the handler of one client request with the preamble every request shares: the ack is
 * optional (a client may send none, or something that is not a function), the payload is checked with
 * `schema` and a mismatch is answered BAD_REQUEST naming the field, and a handler that throws (the
 * event store failed) is logged and answered INTERNAL, so a request never crashes the connection.
 */
export function onRequest<S extends z.ZodType>(
  // Untyped on purpose: the payload is unknown until `schema` has checked it.
  socket: { on(event: string, listener: (payload: unknown, ack: unknown) => void): unknown },
  event: keyof ClientToServerEvents,
  schema: S,
  log: Log,
  handler: (payload: z.infer<S>) => RequestAnswer | Promise<RequestAnswer>,
): void {
  const answerRequest = async (payload: unknown, ack: unknown) => {
    const reply = typeof ack === "function" ? (ack as (res: RealtimeAck) => void) : undefined;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return reply?.(realtimeError("BAD_REQUEST", describeZodError(parsed.error)));
    let answer: RequestAnswer;
    try {
      answer = await handler(parsed.data);
    } catch (err) {
      log("error", `${event} failed`, { payload: parsed.data as Record<string, unknown>, err: String(err) });
      answer = realtimeError("INTERNAL", `The server could not answer ${event} (the event store failed); retry later`);
    }
    if (answer) reply?.(answer);
  };
  // Never rejects (a handler's failure is answered above), so nothing is left unhandled.
  socket.on(event, (payload: unknown, ack: unknown) => void answerRequest(payload, ack));
}
