/**
 * One-click fixes of the topology report's suggestions: pure functions document → document (+ what
 * changed, for the preview). The editor applies one as an ordinary edit (undoable, saved as a new
 * version); see README.md, "Fixes".
 */
import { validateWorkflow } from "@/lib/workflow/validate";
import type { WorkflowDocument } from "@/lib/workflow/schema";
import type { Suggestion, SuggestionCode } from "../report";
import { addErrorRoute } from "./add-error-route";
import { addModelRouter } from "./add-model-router";
import { FixRefusalCode, refuse, type FixResult } from "./fix-types";
import { addRetries, addTimeout, raiseFanOutCap, raiseRunConcurrency } from "./node-policy-fixes";
export { APPROVAL_FIX_TIMEOUT_MS, FIX_RETRY, FIX_TIMEOUTS_MS } from "./node-policy-fixes";
import { parallelise } from "./parallelise";

export * from "./fix-types";
export { addErrorRoute, addModelRouter, addRetries, addTimeout, parallelise, raiseFanOutCap, raiseRunConcurrency };

/** Suggestion codes the editor can carry out in one click (LIMIT_LOOP needs an exit condition a person writes). */
export const FIXABLE_SUGGESTIONS: ReadonlySet<SuggestionCode> = new Set<SuggestionCode>([
  "ADD_TIMEOUT",
  "ADD_RETRIES",
  "ADD_ERROR_ROUTE",
  "PARALLELISE",
  "ADD_FALLBACK_MODEL",
  "ADD_MODEL_ROUTER",
  "RAISE_FAN_OUT_CAP",
  "RAISE_RUN_CONCURRENCY",
]);

/** True when `code` has a one-click fix. */
export const isFixable = (code: SuggestionCode) => FIXABLE_SUGGESTIONS.has(code);

function dispatch(doc: WorkflowDocument, s: Pick<Suggestion, "code" | "nodeIds">): FixResult {
  const first = s.nodeIds[0];
  switch (s.code) {
    case "ADD_TIMEOUT":
      return addTimeout(doc, first);
    case "ADD_RETRIES":
      return addRetries(doc, first);
    case "ADD_ERROR_ROUTE":
      return addErrorRoute(doc, first);
    case "PARALLELISE":
      return parallelise(doc, s.nodeIds);
    case "ADD_FALLBACK_MODEL":
      return addModelRouter(doc, first, "fallback");
    case "ADD_MODEL_ROUTER":
      return addModelRouter(doc, first, "cost");
    case "RAISE_FAN_OUT_CAP":
      return raiseFanOutCap(doc, first);
    case "RAISE_RUN_CONCURRENCY":
      return raiseRunConcurrency(doc);
    case "LIMIT_LOOP":
      return refuse(FixRefusalCode.NOT_FIXABLE, "Limiting a loop needs an exit condition only you can write: edit the router's condition.");
  }
}

const errorKeys = (doc: WorkflowDocument) =>
  new Set(
    validateWorkflow(doc)
      .filter((i) => i.severity === "error")
      .map((i) => `${i.code}|${i.nodeId ?? ""}|${i.edgeId ?? ""}`),
  );

/**
 * Carries out a suggestion on `doc` (pure). The result passes validation wherever the input did: a
 * fix that would add an error is refused (FIX_INVALID_RESULT) rather than applied.
 */
export function fixSuggestion(doc: WorkflowDocument, suggestion: Pick<Suggestion, "code" | "nodeIds">): FixResult {
  const result = dispatch(doc, suggestion);
  if (!result.ok) return result;
  const before = errorKeys(doc);
  const introduced = validateWorkflow(result.doc).filter((i) => i.severity === "error" && !before.has(`${i.code}|${i.nodeId ?? ""}|${i.edgeId ?? ""}`));
  if (introduced.length)
    return refuse(FixRefusalCode.INVALID_RESULT, `This fix would leave the workflow invalid (${introduced[0].message}); make the change by hand.`);
  return result;
}
