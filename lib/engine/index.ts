/**
 * The engine: compile a workflow document into a LangGraph graph and run it, yielding RunEvents.
 * Knows nothing of HTTP, Prisma or sockets. See README.md.
 */
export { compileWorkflow, documentHash, type CompiledWorkflow, type CompiledGraph } from "./compile-workflow";
export { runWorkflow, collectRun, type RunOptions, type RunOutcome } from "./run-workflow";
export { createCheckpointer, closeCheckpointer } from "./checkpointer";
export { createDefaultServices, type EngineServices } from "./services";
export { InMemoryMemoryService, type MemoryService, type MemoryRecord, type MemoryMatch } from "./memory";
export { rankBySimilarity } from "./similarity";
export { EngineError, EngineErrorCode, WorkflowCompileError } from "./errors";
export { checkRunInput, type InputProblem } from "./executors/start";
export { ApprovalDecisionSchema, type ApprovalDecision, type ApprovalRequest } from "./executors/human-approval";
export { resolveModel, defaultModelSpec, parseModelSpec, providersFromEnv, OFFLINE_MODEL, type ModelSettings } from "./models/resolve";
export { SIMULATED_LABEL } from "./models/offline";
export type { ChatModel, ModelInfo, ProviderConfig } from "./models/types";
export { renderTemplate, renderValue, getPath } from "./template";
export { compileExpression } from "./expression";
export { deriveRecursionLimit } from "./plan";
export { useCredential, secretValuesOf, type CredentialService, type ResolvedCredential } from "./credentials";
export { SecretSet, MASK } from "./redact";
