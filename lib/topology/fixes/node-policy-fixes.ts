import type { WorkflowDocument, WorkflowNode } from "@/lib/workflow/schema";
import { named, updateNode } from "./doc-edit";
import { FixRefusalCode, noChanges, refuse, type FixResult } from "./fix-types";

/** Kinds that are no step of their own: a time limit or retries mean nothing there. */
const NO_POLICY_KINDS = new Set(["start", "output", "join", "router"]);

/** Per-kind time limits a fix sets when it knows nothing better (ms): generous, so a slow but healthy call passes. */
export const FIX_TIMEOUTS_MS: Readonly<Record<string, number>> = {
  agent: 120_000,
  "sub-workflow": 300_000,
  "http-request": 30_000,
};
export const DEFAULT_FIX_TIMEOUT_MS = 60_000;
/** What "Give up after" becomes on an approval without one: a day, then it is rejected automatically. */
export const APPROVAL_FIX_TIMEOUT_MS = 86_400_000;
/** The retry policy ADD_RETRIES sets: 3 attempts, 1 s then 2 s apart, on the failures that may pass on a retry. */
export const FIX_RETRY = { maxAttempts: 3, initialDelayMs: 1000, backoffFactor: 2, retryOn: [] as string[] };

const formatLimit = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

function nodeOf(doc: WorkflowDocument, id: string | undefined): WorkflowNode | FixResult {
  const node = id === undefined ? undefined : doc.nodes.find((n) => n.id === id);
  return node ?? refuse(FixRefusalCode.NODE_MISSING, `Node "${id ?? ""}" is no longer in the workflow; re-run the analysis.`);
}

/**
 * ADD_TIMEOUT: a Human approval gets "Reject automatically after" one day; any other step gets a
 * per-attempt timeout in its policy (`FIX_TIMEOUTS_MS`, or `timeoutMs` when given, e.g. twice its p95).
 * Refused when the node already has a limit.
 */
export function addTimeout(doc: WorkflowDocument, nodeId: string, timeoutMs?: number): FixResult {
  const node = nodeOf(doc, nodeId);
  if ("ok" in node) return node;
  if (node.kind === "human-approval") {
    if (typeof node.config.timeoutMs === "number" && node.config.timeoutMs > 0)
      return refuse(FixRefusalCode.ALREADY_APPLIED, `${named(node)} already gives up after ${formatLimit(node.config.timeoutMs)}.`);
    const limit = timeoutMs ?? APPROVAL_FIX_TIMEOUT_MS;
    return {
      ok: true,
      doc: updateNode(doc, node.id, (n) => ({ ...n, config: { ...n.config, timeoutMs: limit } })),
      title: `Give ${named(node)} a time limit of ${formatLimit(limit)}`,
      details: [`${named(node)}: reject automatically after ${formatLimit(limit)} without an answer (was: wait forever).`],
      changes: { ...noChanges(), changedNodeIds: [node.id] },
    };
  }
  if (NO_POLICY_KINDS.has(node.kind)) return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(node)} is a ${node.kind}; it does no work a timeout could bound.`);
  if (node.policy?.timeoutMs) return refuse(FixRefusalCode.ALREADY_APPLIED, `${named(node)} already times out after ${formatLimit(node.policy.timeoutMs)}.`);
  const limit = Math.round(timeoutMs ?? FIX_TIMEOUTS_MS[node.kind] ?? DEFAULT_FIX_TIMEOUT_MS);
  return {
    ok: true,
    doc: updateNode(doc, node.id, (n) => ({ ...n, policy: { onError: "fail", ...n.policy, timeoutMs: limit } })),
    title: `Add a ${formatLimit(limit)} timeout to ${named(node)}`,
    details: [`${named(node)}: each attempt fails with NODE_TIMEOUT after ${formatLimit(limit)}.`],
    changes: { ...noChanges(), changedNodeIds: [node.id] },
  };
}

/** ADD_RETRIES: 3 attempts with backoff on retryable failures (`FIX_RETRY`). Refused when the node already retries. */
export function addRetries(doc: WorkflowDocument, nodeId: string): FixResult {
  const node = nodeOf(doc, nodeId);
  if ("ok" in node) return node;
  if (NO_POLICY_KINDS.has(node.kind) || node.kind === "human-approval")
    return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(node)} is a ${node.kind}; retrying it would not help.`);
  const current = node.policy?.retry?.maxAttempts ?? 1;
  if (current > 1) return refuse(FixRefusalCode.ALREADY_APPLIED, `${named(node)} already makes up to ${current} attempts.`);
  return {
    ok: true,
    doc: updateNode(doc, node.id, (n) => ({ ...n, policy: { onError: "fail", ...n.policy, retry: { ...FIX_RETRY } } })),
    title: `Add retries to ${named(node)}`,
    details: [
      `${named(node)}: up to ${FIX_RETRY.maxAttempts} attempts, ${FIX_RETRY.initialDelayMs / 1000} s then ${(FIX_RETRY.initialDelayMs * FIX_RETRY.backoffFactor) / 1000} s apart, on timeouts, rate limits, 5xx and network errors.`,
    ],
    changes: { ...noChanges(), changedNodeIds: [node.id] },
  };
}

/** RAISE_FAN_OUT_CAP: doubles a Parallel map's Max concurrency (capped at the catalog's 1,000). */
export function raiseFanOutCap(doc: WorkflowDocument, mapId: string): FixResult {
  const node = nodeOf(doc, mapId);
  if ("ok" in node) return node;
  if (node.kind !== "parallel-map") return refuse(FixRefusalCode.NOT_APPLICABLE, `${named(node)} is not a Parallel map.`);
  const cap = typeof node.config.maxConcurrency === "number" ? node.config.maxConcurrency : 10;
  if (cap >= 1000) return refuse(FixRefusalCode.ALREADY_APPLIED, `${named(node)} already runs up to 1,000 items at a time, the most allowed.`);
  const next = Math.min(1000, cap * 2);
  return {
    ok: true,
    doc: updateNode(doc, node.id, (n) => ({ ...n, config: { ...n.config, maxConcurrency: next } })),
    title: `Raise Max concurrency of ${named(node)} to ${next}`,
    details: [`${named(node)}: Max concurrency ${cap} → ${next}.`],
    changes: { ...noChanges(), changedNodeIds: [node.id] },
  };
}

/** RAISE_RUN_CONCURRENCY: doubles the workflow's max concurrent runs (capped at 1,000). */
export function raiseRunConcurrency(doc: WorkflowDocument): FixResult {
  const cap = doc.settings.maxConcurrentRuns;
  if (cap >= 1000) return refuse(FixRefusalCode.ALREADY_APPLIED, "The workflow already allows 1,000 concurrent runs, the most allowed.");
  const next = Math.min(1000, cap * 2);
  return {
    ok: true,
    doc: { ...doc, settings: { ...doc.settings, maxConcurrentRuns: next } },
    title: `Raise the workflow's max concurrent runs to ${next}`,
    details: [`Workflow settings: max concurrent runs ${cap} → ${next}.`],
    changes: noChanges(),
  };
}
