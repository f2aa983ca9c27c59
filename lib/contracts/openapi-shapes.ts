// Response shapes of routes whose handlers build the answer inline or type it with a TypeScript interface
// (lib/server), written here as zod so that the OpenAPI document (openapi.ts) and the typed client
// (lib/api/aura-client.ts) describe and check them. The handlers do not import these: an API test
// (test/openapi-responses.test.ts) parses their real answers with them, which keeps both in step.
import { z } from "zod";
import { WorkflowDocumentSchema } from "@/lib/workflow";
import { ApiTokenSchema, InvitationSchema, MemberSchema, WorkspaceRefSchema } from "./auth-api";
import { RunEventSchema } from "./events";
import { RunStatusSchema, RunSummarySchema } from "./run-api";
import { RunUrlsSchema, RunWaitAnswerSchema } from "./run-call-api";
import { TriggerViewSchema } from "./trigger-api";

/** GET /api/health: 200 when the database answered a query, 503 (ok: false) when it did not. */
export const HealthSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), db: z.enum(["sqlite", "postgresql"]), mode: z.enum(["production", "development"]) }),
  z.object({
    ok: z.literal(false),
    db: z.enum(["sqlite", "postgresql"]).nullable(),
    mode: z.enum(["production", "development"]),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type Health = z.infer<typeof HealthSchema>;

/** 202 of POST /api/workflows/:id/runs (no wait) and of a webhook in `immediately` mode. */
export const RunStartedSchema = z.object({
  runId: z.string(),
  status: z.literal("queued"),
  /** Place in the workflow's queue (0 = starts now). */
  position: z.number().int(),
  urls: RunUrlsSchema,
});
export type RunStarted = z.infer<typeof RunStartedSchema>;

/** 202 of POST /api/workflows/:id/runs: started (no wait), or still going when the wait ran out. */
export const RunAcceptedSchema = z.union([RunStartedSchema, RunWaitAnswerSchema]);
export type RunAccepted = z.infer<typeof RunAcceptedSchema>;

/** 202 of cancel, resume, retry, fork and approvals: the run (new for retry and fork) and its status now. */
export const RunActionAnswerSchema = z.object({ runId: z.string(), status: z.string() });
export type RunActionAnswer = z.infer<typeof RunActionAnswerSchema>;

/** GET /api/runs and GET /api/dead-letters: newest first; pass nextCursor back as cursor. */
export const RunPageSchema = z.object({ runs: z.array(RunSummarySchema), nextCursor: z.string().nullable() });
export type RunPage = z.infer<typeof RunPageSchema>;

/** GET /api/runs/:id/events: seq ascending. */
export const EventPageSchema = z.object({ events: z.array(RunEventSchema), lastSeq: z.number().int(), hasMore: z.boolean() });
export type EventPage = z.infer<typeof EventPageSchema>;

/** GET and PUT /api/workflows/:id/triggers. */
export const TriggerListSchema = z.object({ triggers: z.array(TriggerViewSchema) });
export type TriggerList = z.infer<typeof TriggerListSchema>;

/** GET /api/templates. */
export const TemplateListSchema = z.object({
  templates: z.array(z.object({ slug: z.string(), name: z.string(), description: z.string(), nodeCount: z.number().int(), document: WorkflowDocumentSchema })),
});
export type TemplateList = z.infer<typeof TemplateListSchema>;

/** 201 of POST /api/workflows/import (the name may have gained "(imported)" or "(2)"). */
export const ImportAnswerSchema = z.object({ id: z.string(), name: z.string() });
export type ImportAnswer = z.infer<typeof ImportAnswerSchema>;

/** DELETE /api/workflows/:id. */
export const DeletedSchema = z.object({ ok: z.literal(true) });

/** 500 of a `lastNode` webhook whose run failed or was cancelled. */
export const WebhookRunFailedSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), nodeId: z.string().nullable() }),
  runId: z.string(),
  status: z.enum(["failed", "cancelled"]),
  urls: RunUrlsSchema,
});

/**
 * GET /api/stats/overview (the `Overview` interface of stats-api.ts). The top-level fields are checked;
 * the nested rows stay open so the dashboard's interface remains the one detailed description.
 */
export const OverviewSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  bucketMs: z.number(),
  counts: z.record(RunStatusSchema, z.number()),
  totals: z.looseObject({ finished: z.number(), runs: z.number(), costUsd: z.number() }),
  series: z.array(z.looseObject({ t: z.number(), started: z.number() })),
  failingNodes: z.array(z.looseObject({ workflowId: z.string(), nodeId: z.string(), failures: z.number() })),
  byWorkflow: z.array(z.looseObject({ key: z.string(), runs: z.number() })),
  byModel: z.array(z.looseObject({ key: z.string(), runs: z.number() })),
  approvals: z.looseObject({ total: z.number(), runs: z.array(z.looseObject({ runId: z.string() })) }),
});

/** What the topology report observed: how many finished runs of which version, over which window. */
const ObservedSchema = z.looseObject({ runs: z.number().int() });

/** GET /api/workflows/:id/topology: lib/topology's TopologyReport plus `observed` (open: the report grows). */
export const TopologyAnswerSchema = z.looseObject({ observed: ObservedSchema });

/** GET /api/workflows/:id/topology?view=stats: the observed stats alone (null before a run finished). */
export const TopologyStatsAnswerSchema = z.object({ stats: z.record(z.string(), z.unknown()).nullable(), observed: ObservedSchema });

/** 200 of POST /api/auth/sign-in: who signed in (the session cookie comes as Set-Cookie). */
export const SignedInSchema = z.object({ userId: z.string() });

/** 201 of POST /api/setup, 200 of POST /api/access-links/:token: the account and the workspace it is in now. */
export const AccountInWorkspaceSchema = z.object({ userId: z.string(), workspaceId: z.string() });

/** `{ ok: true }`: sign-out, password change, credential deletion. */
export const OkSchema = z.object({ ok: z.literal(true) });

/** GET /api/workspaces: the caller's workspaces with the caller's role in each. */
export const WorkspaceListSchema = z.object({ workspaces: z.array(WorkspaceRefSchema) });

/** GET /api/members and PATCH /api/members/:userId: the workspace's members now. */
export const MemberListSchema = z.object({ members: z.array(MemberSchema) });

/** GET /api/invitations: open (unused, unexpired) invitations. */
export const InvitationListSchema = z.object({ invitations: z.array(InvitationSchema) });

/** GET /api/tokens: the caller's API tokens for this workspace (never the token itself). */
export const TokenListSchema = z.object({ tokens: z.array(ApiTokenSchema) });
