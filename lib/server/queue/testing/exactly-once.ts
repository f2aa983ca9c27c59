import type { Database } from "@/lib/db/client";
import { buildWorkflow } from "@/lib/engine/testing";

/** Start → `n - 2` template steps → Output, unlimited concurrency: the queue bench's and fault test's workload. */
export function templateChain(n: number) {
  const nodes: [string, string, Record<string, unknown>][] = [["start", "start", { fields: [{ name: "v", required: false }] }]];
  const edges: string[] = [];
  for (let i = 0; i < n - 2; i++) {
    nodes.push([`n${i}`, "template", { template: "{{v}}.", outputKey: "v" }]);
    edges.push(`${i === 0 ? "start" : `n${i - 1}`}->n${i}`);
  }
  nodes.push(["out", "output", { value: "{{v}}" }]);
  edges.push(`n${n - 3}->out`);
  return buildWorkflow(nodes, edges, { maxConcurrentRuns: 1000 }, `bench ${n} nodes`);
}

/** What the database says about runs that should each have succeeded exactly once (counts of runs). */
export interface ExactlyOnceReport {
  succeeded: number;
  /** Runs with exactly one terminal event (run.finished, run.failed or run.cancelled). */
  oneTerminal: number;
  /** Runs with more node.finished events than nodes: a node ran twice. */
  finishedTwice: number;
  /** Runs with fewer: a finish was lost with a killed worker and not recovered when the run continued. */
  finishedMissing: number;
  /** node.finished events said on continuing (detail.recovered), across the runs. */
  recovered: number;
  /** Runs that broke the promise (0 when all is well). */
  broken: number;
}

/** Checks every run of `ids` succeeded, ended once and had each of its `nodes` nodes finish exactly once. */
export async function exactlyOnceReport(db: Database, ids: string[], nodes: number): Promise<ExactlyOnceReport> {
  const statuses = await db.prisma.run.groupBy({ by: ["status"], where: { id: { in: ids } }, _count: { _all: true } });
  const terminal = await db.prisma.runEvent.groupBy({
    by: ["runId"],
    where: { runId: { in: ids }, type: { in: ["run.finished", "run.failed", "run.cancelled"] } },
    _count: { _all: true },
  });
  const nodeCounts = await db.prisma.runEvent.groupBy({ by: ["runId"], where: { runId: { in: ids }, type: "node.finished" }, _count: { _all: true } });
  const recovered = await db.prisma.runEvent.count({ where: { runId: { in: ids }, type: "node.finished", payload: { contains: '"recovered"' } } });
  const succeeded = statuses.find((s) => s.status === "succeeded")?._count._all ?? 0;
  const oneTerminal = terminal.filter((r) => r._count._all === 1).length;
  const finishedTwice = nodeCounts.filter((r) => r._count._all > nodes).length;
  const finishedMissing = ids.length - nodeCounts.filter((r) => r._count._all >= nodes).length;
  const broken = ids.length - succeeded + (ids.length - oneTerminal) + finishedTwice + finishedMissing;
  return { succeeded, oneTerminal, finishedTwice, finishedMissing, recovered, broken };
}
