// The named schemas of the OpenAPI document: every request body and response body of the route table
// (openapi-routes.ts) refers to one of these by name, so the document's components and the typed
// client's parsers come from the same zod values as the route handlers.
import { z } from "zod";
import { WorkflowDocumentSchema } from "@/lib/workflow";
import {
  ApiErrorSchema,
  CreateWorkflowBodySchema,
  ListVersionsResponseSchema,
  ListWorkflowsResponseSchema,
  UpdateWorkflowBodySchema,
  WorkflowDetailSchema,
} from "./api";
import { AuditPageSchema } from "./audit-api";
import { ProvidersResponseSchema, PutProvidersBodySchema } from "./providers-api";
import {
  ChangePasswordBodySchema,
  CreateInvitationBodySchema,
  CreateTokenBodySchema,
  CreateWorkspaceBodySchema,
  CreatedLinkSchema,
  CreatedTokenSchema,
  LinkInfoSchema,
  SessionInfoSchema,
  SetupBodySchema,
  SetupStatusSchema,
  SignInBodySchema,
  SwitchWorkspaceBodySchema,
  UpdateMemberBodySchema,
  UseLinkBodySchema,
  WorkspaceRefSchema,
} from "./auth-api";
import { CreateCredentialBodySchema, CredentialListSchema, CredentialViewSchema, UpdateCredentialBodySchema } from "./credential-api";
import { DiffResponseSchema } from "./diff-api";
import { RunEventSchema } from "./events";
import {
  AccountInWorkspaceSchema,
  DeletedSchema,
  EventPageSchema,
  HealthSchema,
  ImportAnswerSchema,
  InvitationListSchema,
  MemberListSchema,
  OkSchema,
  OverviewSchema,
  RunAcceptedSchema,
  RunActionAnswerSchema,
  RunPageSchema,
  RunStartedSchema,
  SignedInSchema,
  TemplateListSchema,
  TokenListSchema,
  TopologyAnswerSchema,
  TopologyStatsAnswerSchema,
  TriggerListSchema,
  WebhookRunFailedSchema,
  WorkspaceListSchema,
} from "./openapi-shapes";
import { ApprovalBodySchema, CancelBodySchema, RunDetailSchema, StartRunBodySchema } from "./run-api";
import { RunWaitAnswerSchema } from "./run-call-api";
import { QueueStatusSchema } from "./queue-api";
import { PruneResultSchema, StorageReportSchema } from "./storage-api";
import { CheckpointListSchema, ForkBodySchema } from "./time-travel-api";
import { PutTriggersBodySchema } from "./trigger-api";

/** Response bodies (their output side: what a client receives after defaults and transforms). */
export const responseSchemas = {
  ApiError: ApiErrorSchema,
  Health: HealthSchema,
  WorkflowList: ListWorkflowsResponseSchema,
  WorkflowDetail: WorkflowDetailSchema,
  WorkflowDocument: WorkflowDocumentSchema,
  VersionList: ListVersionsResponseSchema,
  Diff: DiffResponseSchema,
  Deleted: DeletedSchema,
  ImportAnswer: ImportAnswerSchema,
  TemplateList: TemplateListSchema,
  RunStarted: RunStartedSchema,
  RunAccepted: RunAcceptedSchema,
  RunWaitAnswer: RunWaitAnswerSchema,
  RunActionAnswer: RunActionAnswerSchema,
  RunDetail: RunDetailSchema,
  RunPage: RunPageSchema,
  RunEvent: RunEventSchema,
  EventPage: EventPageSchema,
  CheckpointList: CheckpointListSchema,
  TriggerList: TriggerListSchema,
  Overview: OverviewSchema,
  TopologyAnswer: TopologyAnswerSchema,
  TopologyStatsAnswer: TopologyStatsAnswerSchema,
  WebhookRunFailed: WebhookRunFailedSchema,
  QueueStatus: QueueStatusSchema,
  // accounts
  SetupStatus: SetupStatusSchema,
  AccountInWorkspace: AccountInWorkspaceSchema,
  SignedIn: SignedInSchema,
  Ok: OkSchema,
  SessionInfo: SessionInfoSchema,
  WorkspaceRef: WorkspaceRefSchema,
  WorkspaceList: WorkspaceListSchema,
  MemberList: MemberListSchema,
  InvitationList: InvitationListSchema,
  CreatedLink: CreatedLinkSchema,
  LinkInfo: LinkInfoSchema,
  TokenList: TokenListSchema,
  CreatedToken: CreatedTokenSchema,
  // credentials, audit, storage
  CredentialList: CredentialListSchema,
  CredentialView: CredentialViewSchema,
  AuditPage: AuditPageSchema,
  StorageReport: StorageReportSchema,
  PruneResult: PruneResultSchema,
  /** The Output node's value of a `lastNode` webhook: any JSON the workflow produces. */
  WebhookResult: z.unknown(),
  /** A JSON document the server builds by itself (a JSON Schema, this OpenAPI document). */
  JsonDocument: z.record(z.string(), z.unknown()),
  ProvidersResponse: ProvidersResponseSchema,
} satisfies Record<string, z.ZodType>;
export type ResponseSchemaName = keyof typeof responseSchemas;

/** Request bodies (their input side: what a client may send, defaults optional). */
export const requestSchemas = {
  CreateWorkflowBody: CreateWorkflowBodySchema,
  UpdateWorkflowBody: UpdateWorkflowBodySchema,
  /** Any supported schemaVersion is accepted and migrated; this is the current one. */
  WorkflowDocumentInput: WorkflowDocumentSchema,
  StartRunBody: StartRunBodySchema,
  ApprovalBody: ApprovalBodySchema,
  CancelBody: CancelBodySchema,
  ForkBody: ForkBodySchema,
  PutTriggersBody: PutTriggersBodySchema,
  SetupBody: SetupBodySchema,
  SignInBody: SignInBodySchema,
  ChangePasswordBody: ChangePasswordBodySchema,
  CreateWorkspaceBody: CreateWorkspaceBodySchema,
  SwitchWorkspaceBody: SwitchWorkspaceBodySchema,
  UpdateMemberBody: UpdateMemberBodySchema,
  CreateInvitationBody: CreateInvitationBodySchema,
  UseLinkBody: UseLinkBodySchema,
  CreateTokenBody: CreateTokenBodySchema,
  CreateCredentialBody: CreateCredentialBodySchema,
  UpdateCredentialBody: UpdateCredentialBodySchema,
  /** Merged over the trigger's input and checked against the Start fields. */
  WebhookInput: z.record(z.string(), z.unknown()),
  PutProvidersBody: PutProvidersBodySchema,
} satisfies Record<string, z.ZodType>;
export type RequestSchemaName = keyof typeof requestSchemas;
