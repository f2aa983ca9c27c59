import { z } from "zod";

/**
 * Provider resilience over the wire (GET/PUT /api/providers): per workspace, the rate limits and circuit
 * breaker thresholds of each model provider (`model:openai`) or HTTP host (`http:api.example.com`), and
 * the live state of their breakers. The engine's limiter and breaker read the same settings shape.
 */

/** `model:<provider name>` (the part before ":" in "openai:gpt-4o") or `http:<host>` (an HTTP request node's host). */
export const ProviderKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(model|http):[a-z0-9._\-[\]:]{1,200}$/, 'A provider key is "model:<provider>" (e.g. model:openai) or "http:<host>" (e.g. http:api.example.com).');
export type ProviderKey = z.infer<typeof ProviderKeySchema>;

/** Breaker thresholds: open after `failureThreshold` provider-side failures within `windowMs`; probe once after `cooldownMs`. */
export const BreakerSettingsSchema = z.object({
  failureThreshold: z.number().int().min(1).max(1000),
  windowMs: z.number().int().min(1000).max(3_600_000),
  cooldownMs: z.number().int().min(100).max(3_600_000),
});
export type BreakerSettings = z.infer<typeof BreakerSettingsSchema>;

/** Rate limits per minute; 0 means no limit. Calls over a limit wait in order (FIFO), up to the node's timeout. */
export const RateLimitSettingsSchema = z.object({
  requestsPerMinute: z.number().int().min(0).max(1_000_000),
  tokensPerMinute: z.number().int().min(0).max(100_000_000),
});
export type RateLimitSettings = z.infer<typeof RateLimitSettingsSchema>;

export const ProviderSettingsSchema = z.object({ ...BreakerSettingsSchema.shape, ...RateLimitSettingsSchema.shape });
export type ProviderSettings = z.infer<typeof ProviderSettingsSchema>;

/** What a provider or host gets when the workspace set nothing for it: breaker 5 failures / 60 s, probe after 30 s; no rate limit. */
export const DEFAULT_PROVIDER_SETTINGS: ProviderSettings = {
  failureThreshold: 5,
  windowMs: 60_000,
  cooldownMs: 30_000,
  requestsPerMinute: 0,
  tokensPerMinute: 0,
};

export const BreakerStateSchema = z.enum(["closed", "open", "half-open"]);
export type BreakerState = z.infer<typeof BreakerStateSchema>;

/** One transition of a breaker: the state it entered, when, and why. */
export const BreakerTransitionSchema = z.object({ state: BreakerStateSchema, at: z.number(), reason: z.string().optional() });
export type BreakerTransition = z.infer<typeof BreakerTransitionSchema>;

/** A breaker as it is now (on this server process). */
export const BreakerStatusSchema = z.object({
  key: z.string(),
  state: BreakerStateSchema,
  /** When it entered its state (ms since the epoch). */
  since: z.number(),
  /** Open: when the next call is let through as a probe. */
  probeAt: z.number().optional(),
  /** Failures counted in the current window. */
  recentFailures: z.number().int().min(0),
  /** Calls waiting for the rate limit now. */
  waiting: z.number().int().min(0),
  /** Latest transitions, newest last (at most 20). */
  history: z.array(BreakerTransitionSchema),
});
export type BreakerStatus = z.infer<typeof BreakerStatusSchema>;

/** One configured entry (PUT body item, GET answer item). */
export const ProviderEntrySchema = z.object({ key: ProviderKeySchema, ...ProviderSettingsSchema.shape });
export type ProviderEntry = z.infer<typeof ProviderEntrySchema>;

/** PUT /api/providers: the workspace's whole list (entries not listed go back to the defaults). */
export const PutProvidersBodySchema = z
  .object({ providers: z.array(ProviderEntrySchema).max(200) })
  .strict()
  .refine((b) => new Set(b.providers.map((p) => p.key)).size === b.providers.length, { message: "Each provider key may appear once.", path: ["providers"] });
export type PutProvidersBody = z.infer<typeof PutProvidersBodySchema>;

/** GET /api/providers (and the PUT answer). */
export const ProvidersResponseSchema = z.object({
  defaults: ProviderSettingsSchema,
  providers: z.array(ProviderEntrySchema),
  /** Breakers this server process has seen for the workspace (configured or not). */
  breakers: z.array(BreakerStatusSchema),
});
export type ProvidersResponse = z.infer<typeof ProvidersResponseSchema>;
