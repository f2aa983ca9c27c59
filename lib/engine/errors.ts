import { isGraphBubbleUp } from "@langchain/langgraph";
import type { WorkflowIssue } from "../workflow";

/** Stable error codes the engine reports in node.failed / run.failed events. */
export const EngineErrorCode = {
  WORKFLOW_INVALID: "WORKFLOW_INVALID",
  INPUT_INVALID: "INPUT_INVALID",
  NODE_ERROR: "NODE_ERROR",
  NODE_TIMEOUT: "NODE_TIMEOUT",
  RUN_TIMEOUT: "RUN_TIMEOUT",
  RUN_CANCELLED: "RUN_CANCELLED",
  RECURSION_LIMIT: "RECURSION_LIMIT",
  THREAD_BUSY: "THREAD_BUSY",
  NO_CHECKPOINTER: "NO_CHECKPOINTER",
  NOTHING_TO_RESUME: "NOTHING_TO_RESUME",
  HTTP_HOST_NOT_ALLOWED: "HTTP_HOST_NOT_ALLOWED",
  HTTP_TIMEOUT: "HTTP_TIMEOUT",
  HTTP_RESPONSE_TOO_LARGE: "HTTP_RESPONSE_TOO_LARGE",
  HTTP_NETWORK: "HTTP_NETWORK",
  JS_ERROR: "JS_ERROR",
  JS_TIMEOUT: "JS_TIMEOUT",
  JS_MEMORY: "JS_MEMORY",
  EXPRESSION_ERROR: "EXPRESSION_ERROR",
  SET_FIELDS_TYPE: "SET_FIELDS_TYPE",
  ITEMS_NOT_A_LIST: "ITEMS_NOT_A_LIST",
  JSON_INVALID: "JSON_INVALID",
  PROVIDER_NOT_CONFIGURED: "PROVIDER_NOT_CONFIGURED",
  MODEL_ERROR: "MODEL_ERROR",
  SUB_WORKFLOW_NOT_FOUND: "SUB_WORKFLOW_NOT_FOUND",
  SUB_WORKFLOW_TOO_DEEP: "SUB_WORKFLOW_TOO_DEEP",
  SUB_WORKFLOW_FAILED: "SUB_WORKFLOW_FAILED",
  MEMORY_ERROR: "MEMORY_ERROR",
} as const;
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** An error with a stable code (HTTP_500 and similar dynamic codes are allowed too). */
export class EngineError extends Error {
  readonly code: string;
  constructor(code: EngineErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EngineError";
    this.code = code;
  }
}

/**
 * Thrown by compileWorkflow for a document that cannot run. `issues` carries the same codes
 * validateWorkflow reports (plus CONFIG_INVALID for engine-only checks such as router expressions).
 */
export class WorkflowCompileError extends EngineError {
  readonly issues: WorkflowIssue[];
  constructor(issues: WorkflowIssue[]) {
    const first = issues.slice(0, 3).map((i) => `${i.code}: ${i.message}`).join("; ");
    super(EngineErrorCode.WORKFLOW_INVALID, `The workflow cannot run (${issues.length} problem${issues.length === 1 ? "" : "s"}): ${first}${issues.length > 3 ? "; …" : ""}`);
    this.name = "WorkflowCompileError";
    this.issues = issues;
  }
}

/** `{ code, message }` for any thrown value. */
export function toEventError(err: unknown): { code: string; message: string } {
  if (err instanceof EngineError) return { code: err.code, message: err.message };
  if (err instanceof Error) {
    if (err.name === "GraphRecursionError") return { code: EngineErrorCode.RECURSION_LIMIT, message: err.message };
    if (err.name === "AbortError") return { code: EngineErrorCode.RUN_CANCELLED, message: err.message || "Cancelled." };
    return { code: EngineErrorCode.NODE_ERROR, message: err.message || err.name };
  }
  return { code: EngineErrorCode.NODE_ERROR, message: String(err) };
}

/** LangGraph control flow (interrupts, Command bubbling) that must pass through node wrappers untouched. */
export function isControlFlow(err: unknown): boolean {
  return isGraphBubbleUp(err);
}
