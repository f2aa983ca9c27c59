import type { WorkflowDocument } from "../workflow";
import { InMemoryMemoryService, type MemoryService } from "./memory";
import type { ModelSettings } from "./models/resolve";
import type { CredentialService } from "./credential-types";

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
  /** fetch used by HTTP request nodes (tests inject one); default: global fetch. */
  fetch?: typeof fetch;
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
