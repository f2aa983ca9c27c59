/**
 * Validation issues grouped for the canvas: per node and per edge, with stable object identity when
 * a node's issues did not change, so per-node selectors re-render only the nodes whose badge changed.
 */
import type { WorkflowIssue } from "@/lib/workflow";

export interface ElementIssues {
  count: number;
  errors: number;
  /** One line per issue, for the badge tooltip. */
  summary: string;
  issues: WorkflowIssue[];
}

export function groupIssues(
  issues: readonly WorkflowIssue[],
  by: "nodeId" | "edgeId",
  previous: ReadonlyMap<string, ElementIssues> = new Map(),
): Map<string, ElementIssues> {
  const grouped = new Map<string, WorkflowIssue[]>();
  for (const i of issues) {
    const id = i[by];
    if (!id) continue;
    const list = grouped.get(id);
    if (list) list.push(i);
    else grouped.set(id, [i]);
  }
  const out = new Map<string, ElementIssues>();
  for (const [id, list] of grouped) {
    const summary = list.map((i) => i.message).join("\n");
    const errors = list.filter((i) => i.severity === "error").length;
    const prev = previous.get(id);
    if (prev && prev.summary === summary && prev.errors === errors && prev.count === list.length) out.set(id, prev);
    else out.set(id, { count: list.length, errors, summary, issues: list });
  }
  return out;
}
