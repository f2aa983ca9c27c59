import type { LangGraphRunnableConfig } from "@langchain/langgraph";

/**
 * The answer waiting for this task's first `interrupt`, if the run is being resumed with one; else
 * undefined. LangGraph keeps it in the task's scratchpad (`__pregel_scratchpad`, internal to
 * @langchain/langgraph 1.x; `interrupt()` reads the same place). An escalating Agent asks before it
 * calls any model, so a resumed approval does not pay for (and maybe change) the answers the reviewer
 * saw. Should LangGraph move it, this returns undefined and the levels run again before the
 * interrupt hands over the answer: correct, only slower (escalation.test.ts counts model calls).
 */
export function pendingResume(lg: LangGraphRunnableConfig): unknown {
  const pad = (lg.configurable as Record<string, unknown> | undefined)?.__pregel_scratchpad as { resume?: unknown } | undefined;
  const resume = pad?.resume;
  return Array.isArray(resume) && resume.length > 0 ? resume[0] : undefined;
}
