import { z } from "zod";

const input = z.record(z.string(), z.unknown()).default({});

/**
 * How a webhook call is answered: "immediately" 202 { runId } at once; "lastNode" waits and answers
 * with the Output's value as JSON (the Output's status and headers, 202 with the run id while it
 * still runs or waits for a human); "stream" the run's events as Server-Sent Events.
 */
export const WebhookResponseModeSchema = z.enum(["immediately", "lastNode", "stream"]);
export type WebhookResponseMode = z.infer<typeof WebhookResponseModeSchema>;

/** One trigger in PUT /api/workflows/:id/triggers (omit id to create; listed ids are kept; others are deleted). */
export const TriggerInputSchema = z.discriminatedUnion("kind", [
  z.object({
    id: z.string().max(64).optional(),
    kind: z.literal("webhook"),
    enabled: z.boolean().default(true),
    input,
    rotateSecret: z.boolean().default(false),
    responseMode: WebhookResponseModeSchema.default("immediately"),
  }),
  z.object({
    id: z.string().max(64).optional(),
    kind: z.literal("schedule"),
    enabled: z.boolean().default(true),
    input,
    /** croner syntax: 5 fields (minute…weekday) or 6 (seconds first), e.g. "0 9 * * 1-5". */
    cron: z.string().min(1).max(200),
    /** IANA time zone, default UTC. */
    timezone: z.string().max(100).default("UTC"),
  }),
]);
export const PutTriggersBodySchema = z.object({ triggers: z.array(TriggerInputSchema).max(20) });

export const TriggerViewSchema = z.object({
  id: z.string(),
  kind: z.enum(["webhook", "schedule"]),
  enabled: z.boolean(),
  input: z.record(z.string(), z.unknown()),
  /** Webhook: POST here (path relative to the server), or POST /api/hooks/:workflowId with header x-aura-webhook-secret. */
  url: z.string().optional(),
  secret: z.string().optional(),
  responseMode: WebhookResponseModeSchema.optional(),
  cron: z.string().optional(),
  timezone: z.string().optional(),
  /** Schedule: the next fire time (ISO), null when disabled. */
  nextRunAt: z.string().nullable().optional(),
  lastFiredAt: z.string().nullable().optional(),
});
export type TriggerView = z.infer<typeof TriggerViewSchema>;
