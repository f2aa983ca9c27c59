import { isGraphBubbleUp } from "@langchain/langgraph";
import type { WorkflowIssue } from "../workflow";

/**
 * Stable codes for model provider failures (node.failed `error.code`), so retry policies can name them
 * (`retryOn: ["MODEL_SERVER_ERROR"]`) and people see at once whether to fix a key, a URL or wait.
 * models/errors.ts maps provider answers to them.
 */
export const ModelErrorCode = {
  /** 401 / 403: the API key is missing, wrong or lacks access. */
  MODEL_AUTH_FAILED: "MODEL_AUTH_FAILED",
  /** 404: unknown model name, or a base URL that does not point at the API. */
  MODEL_NOT_FOUND: "MODEL_NOT_FOUND",
  /** 429: rate limit or quota. */
  MODEL_RATE_LIMITED: "MODEL_RATE_LIMITED",
  /** Other 4xx: the provider refused the request. */
  MODEL_BAD_REQUEST: "MODEL_BAD_REQUEST",
  /** 5xx (and Anthropic's 529 overloaded): worth retrying. */
  MODEL_SERVER_ERROR: "MODEL_SERVER_ERROR",
  /** No HTTP answer: connection refused, DNS, TLS, timeout. */
  MODEL_UNREACHABLE: "MODEL_UNREACHABLE",
  MODEL_ERROR: "MODEL_ERROR",
} as const;

/** Stable error codes the engine reports in node.failed / run.failed events: the closed set. */
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
  /** The target resolves to a loopback, private, link-local, metadata … address the server's admin has not allowed (lib/engine/net). */
  HTTP_TARGET_FORBIDDEN: "HTTP_TARGET_FORBIDDEN",
  HTTP_TOO_MANY_REDIRECTS: "HTTP_TOO_MANY_REDIRECTS",
  JS_ERROR: "JS_ERROR",
  JS_TIMEOUT: "JS_TIMEOUT",
  JS_MEMORY: "JS_MEMORY",
  JS_STACK_OVERFLOW: "JS_STACK_OVERFLOW",
  /** The sandbox itself failed (QuickJS could not load, its thread died): not the code's fault. */
  JS_SANDBOX_FAILED: "JS_SANDBOX_FAILED",
  EXPRESSION_ERROR: "EXPRESSION_ERROR",
  SET_FIELDS_TYPE: "SET_FIELDS_TYPE",
  ITEMS_NOT_A_LIST: "ITEMS_NOT_A_LIST",
  JSON_INVALID: "JSON_INVALID",
  PROVIDER_NOT_CONFIGURED: "PROVIDER_NOT_CONFIGURED",
  SUB_WORKFLOW_NOT_FOUND: "SUB_WORKFLOW_NOT_FOUND",
  /** The sub-workflow could not be read (the database failed), as opposed to not existing. */
  SUB_WORKFLOW_LOAD_FAILED: "SUB_WORKFLOW_LOAD_FAILED",
  SUB_WORKFLOW_TOO_DEEP: "SUB_WORKFLOW_TOO_DEEP",
  SUB_WORKFLOW_FAILED: "SUB_WORKFLOW_FAILED",
  MEMORY_ERROR: "MEMORY_ERROR",
  /** The node names a credential this workspace does not have (deleted, or from another installation). */
  CREDENTIAL_NOT_FOUND: "CREDENTIAL_NOT_FOUND",
  /** The credential is of the wrong type for the node (an HTTP token on an Agent, an OpenAI key for anthropic:…). */
  CREDENTIAL_TYPE_MISMATCH: "CREDENTIAL_TYPE_MISMATCH",
  /** The credential could not be read: no credential store here (CLI), or it does not decrypt with this server's key. */
  CREDENTIAL_UNAVAILABLE: "CREDENTIAL_UNAVAILABLE",
  /** An Agent's Escalate policy ran out of levels and its last answer was still below the threshold (policy "fail"). */
  LOW_CONFIDENCE: "LOW_CONFIDENCE",
  /** The human level of an Agent's Escalate policy rejected the answer. */
  ESCALATION_REJECTED: "ESCALATION_REJECTED",
  /** The circuit breaker of the model provider or HTTP host is open (lib/engine/resilience): the call failed fast; the message says since when and when it probes. */
  CIRCUIT_OPEN: "CIRCUIT_OPEN",
  ...ModelErrorCode,
} as const;

/** An HTTP Request node's answer with an error status: `HTTP_404`, `HTTP_503` (retry policies match `HTTP_5`). */
export type HttpStatusErrorCode = `HTTP_${number}`;
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode] | HttpStatusErrorCode;

/** The code of an HTTP error status. */
export function httpStatusCode(status: number): HttpStatusErrorCode {
  return `HTTP_${status}`;
}

/**
 * Codes of failures that may pass when tried again: timeouts, rate limits, server errors (5xx) and
 * network failures. A node whose retry policy names no codes retries only these; other failures (bad
 * config, a script error, a refused key) fail the same way every time.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set<EngineErrorCode>([
  EngineErrorCode.NODE_TIMEOUT,
  EngineErrorCode.HTTP_TIMEOUT,
  EngineErrorCode.HTTP_NETWORK,
  httpStatusCode(408),
  httpStatusCode(429),
  EngineErrorCode.MODEL_RATE_LIMITED,
  EngineErrorCode.MODEL_SERVER_ERROR,
  EngineErrorCode.MODEL_UNREACHABLE,
]);

/** Whether a failure with this code is worth retrying (see RETRYABLE_CODES; any HTTP 5xx too). */
export function isRetryableCode(code: string): boolean {
  return RETRYABLE_CODES.has(code) || /^HTTP_5\d\d$/.test(code);
}

const ENGINE_CODES: readonly string[] = Object.values(EngineErrorCode);

/** Whether `text` names an engine code or the start of one (`MODEL_RATE_LIMITED`, `HTTP_5`, `JS_`). */
export function isEngineCodePrefix(text: string): boolean {
  return /^HTTP_\d{0,3}$/.test(text) || (/^[A-Z][A-Z0-9_]*$/.test(text) && ENGINE_CODES.some((c) => c.startsWith(text)));
}

/** An error with a stable code from the closed set above. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
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
    const first = issues
      .slice(0, 3)
      .map((i) => `${i.code}: ${i.message}`)
      .join("; ");
    super(
      EngineErrorCode.WORKFLOW_INVALID,
      `The workflow cannot run (${issues.length} problem${issues.length === 1 ? "" : "s"}): ${first}${issues.length > 3 ? "; …" : ""}`,
    );
    this.name = "WorkflowCompileError";
    this.issues = issues;
  }
}

/** `{ code, message }` for any thrown value. */
export function toEventError(err: unknown): { code: EngineErrorCode; message: string } {
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
