import type { WorkflowDocument } from "../workflow";
import { InMemoryMemoryService, type MemoryService } from "./memory";
import type { ModelSettings } from "./models/resolve";
import type { CredentialService } from "./credential-types";
import type { EgressPolicy } from "./net/egress-policy";
import type { Resolver } from "./net/guarded-fetch";
import type { ResilienceService } from "./resilience/service";

/**
 * What the engine needs from its host. The server implements these over the database and its
 * configuration; the CLI and tests use createDefaultServices().
 */
export interface EngineServices {
  /** Long-term memory for Memory store / retrieve (workspace-scoped in the server). */
  memory: MemoryService;
  /** Loads a saved workflow for a Sub-workflow node (`version` 0: the latest); null when it does not exist. */
  loadWorkflow?: (workflowId: string, version: number) => Promise<WorkflowDocument | null>;
  /** Model providers and the default model; env vars fill in what is missing. */
  models?: ModelSettings;
  /**
   * Workspace credentials that nodes name by id (`credentialId`, `auth.credentialId`); decrypted by the
   * host on each use. Unset (CLI, tests): such nodes fail with CREDENTIAL_UNAVAILABLE.
   */
  credentials?: CredentialService;
  /**
   * Replaces the HTTP request node's transport (tests only). The URL checks still apply (Allowed hosts,
   * literal forbidden addresses, metadata names), but the connect-time DNS check of lib/engine/net
   * does not: never set it in a server. Default: node:http with the egress policy at connect time.
   */
  fetch?: typeof fetch;
  /**
   * Circuit breakers and rate limits of HTTP hosts (`http:<host>`); model providers use `models.resilience`
   * (the server sets both to the same service, kept on its main thread). Unset: no breakers, no limits.
   */
  resilience?: ResilienceService;
  /** Where HTTP request nodes may connect (lib/engine/net/egress-policy.ts); default: from the environment. */
  egressPolicy?: EgressPolicy;
  /** Hostname resolver of HTTP request nodes (tests stub it to reach other address ranges); default: the OS. */
  resolveHost?: Resolver;
  /**
   * Compiles a Sub-workflow node's document with the host's services (and their compile cache).
   * compileWorkflow sets it on the services it hands to executors, so the Sub-workflow executor
   * needs no import of the compiler (which imports the executors); hosts leave it unset.
   */
  compileSubWorkflow?: (doc: WorkflowDocument) => SubWorkflowGraph;
}

/** What the Sub-workflow executor needs of a compiled child workflow (a CompiledWorkflow). */
export interface SubWorkflowGraph {
  graph(): { invoke(input: Record<string, unknown>, config: Record<string, unknown>): Promise<unknown> };
  recursionLimit: number;
}

/** Services for headless runs: in-memory memory, models from the environment, sub-workflows from a map. */
export function createDefaultServices(overrides: Partial<EngineServices> & { workflows?: Record<string, WorkflowDocument> } = {}): EngineServices {
  const { workflows, ...rest } = overrides;
  return {
    memory: new InMemoryMemoryService(),
    loadWorkflow: workflows ? async (id) => workflows[id] ?? null : undefined,
    models: { env: typeof process !== "undefined" ? process.env : {} },
    ...rest,
  };
}
