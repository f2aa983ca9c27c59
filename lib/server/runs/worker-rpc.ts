import "server-only";
import type { WorkflowDocument } from "@/lib/workflow";
import type { Database } from "@/lib/db/client";
import * as workflowsRepo from "@/lib/db/workflows";
import { createDbMemoryService } from "./memory";
import { resolveCredential } from "../credentials/resolve";
import { providerResilience } from "../providers/resilience";
import type { RpcMethods, RpcRequest, RpcResult } from "./protocol";
import type { RpcErrorCode } from "./run-error-codes";

/** Loads a workflow version's document (the manager's cache). */
export type LoadDocument = (db: Database, workflowId: string, version: number) => Promise<WorkflowDocument>;

/** The value of one worker call, scoped to the calling run's workspace. */
async function call(db: Database, m: RpcRequest, loadDocument: LoadDocument): Promise<RpcMethods[RpcRequest["method"]]["value"]> {
  switch (m.method) {
    case "memory.store":
      return createDbMemoryService(db, m.workspaceId).store(...m.args);
    case "memory.search":
      return createDbMemoryService(db, m.workspaceId).search(...m.args);
    case "loadWorkflow": {
      const [workflowId, version] = m.args;
      const w = await workflowsRepo.findWorkflow(db, workflowId);
      // Another workspace's workflow is "not found", like a missing one.
      return w && w.workspaceId === m.workspaceId ? await loadDocument(db, workflowId, version || w.currentVersion).catch(() => null) : null;
    }
    case "credentials.resolve":
      // Scoped to the run's workspace: another workspace's credential id resolves to null ("not found").
      return resolveCredential(db, m.workspaceId, ...m.args);
    // Breakers and limiters of the run's workspace, shared by every worker of this process.
    case "resilience.admit":
      return providerResilience()
        .registry.forScope(m.workspaceId)
        .admit(...m.args);
    case "resilience.wait":
      return providerResilience().registry.wait(...m.args);
    case "resilience.settle":
      return providerResilience().registry.settle(...m.args);
  }
}

const RPC_ERROR_CODES: Record<RpcRequest["method"], RpcErrorCode> = {
  "memory.store": "MEMORY_ERROR",
  "memory.search": "MEMORY_ERROR",
  loadWorkflow: "SUB_WORKFLOW_LOAD_FAILED",
  "credentials.resolve": "CREDENTIAL_UNAVAILABLE",
  "resilience.admit": "NODE_ERROR",
  "resilience.wait": "NODE_ERROR",
  "resilience.settle": "NODE_ERROR",
};

/** Answers a worker's RPC; a failure becomes an error answer (the engine's call rejects with its code). */
export async function answerWorkerRpc(database: () => Promise<Database>, m: RpcRequest, loadDocument: LoadDocument): Promise<RpcResult> {
  try {
    return { type: "rpc-result", id: m.id, ok: true, value: await call(await database(), m, loadDocument) };
  } catch (err) {
    return {
      type: "rpc-result",
      id: m.id,
      ok: false,
      error: { code: RPC_ERROR_CODES[m.method], message: err instanceof Error ? err.message : String(err) },
    };
  }
}
