import { analyzeTopology } from "./analyze-topology";
import { TopologyError, TopologyErrorCode } from "./errors";
import { toTopologyOverlay } from "./overlay";
import type { TopologyReport } from "./report";
import { TopologyWorkerRequestSchema, type TopologyWorkerResponse } from "./worker-protocol";
import type { z } from "zod";

type ParsedRequest = z.infer<typeof TopologyWorkerRequestSchema>;

/**
 * The worker's message loop, free of worker globals so it can be tested in Node:
 * 1. check each message against the protocol (an invalid one is answered with TOPOLOGY_REQUEST_INVALID);
 * 2. queue it and schedule one drain (default: a 0 ms timer, so messages that arrive while an
 *    analysis runs pile up instead of each being analysed);
 * 3. on drain, only the newest `analyze` runs; older ones are answered `superseded`;
 * 4. then the queued `details` requests are answered from the newest report.
 * @returns the function to call with every incoming message's data.
 */
export function createTopologyWorkerLoop(
  post: (message: TopologyWorkerResponse) => void,
  schedule: (drain: () => void) => void = (drain) => void setTimeout(drain, 0),
  now: () => number = () => performance.now(),
): (data: unknown) => void {
  let last: { requestId: number; report: TopologyReport } | null = null;
  let queue: ParsedRequest[] = [];
  let scheduled = false;

  const drain = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    const analyses = batch.filter((r) => r.type === "analyze");
    const latest = analyses.pop();
    for (const old of analyses) post({ type: "superseded", requestId: old.requestId });
    if (latest) {
      const started = now();
      try {
        const report = analyzeTopology(latest.doc, latest.stats, { topBottlenecks: latest.options?.topBottlenecks });
        last = { requestId: latest.requestId, report };
        const elapsedMs = Math.round((now() - started) * 10) / 10;
        if (latest.detail === "full") post({ type: "report", requestId: latest.requestId, report, elapsedMs });
        else post({ type: "overlay", requestId: latest.requestId, overlay: toTopologyOverlay(report), elapsedMs });
      } catch (e) {
        const code = e instanceof TopologyError ? e.code : TopologyErrorCode.ANALYSIS_FAILED;
        post({ type: "error", requestId: latest.requestId, code, message: `Topology analysis failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    for (const r of batch) {
      if (r.type !== "details") continue;
      const nodes = new Set(r.nodeIds);
      const edges = new Set(r.edgeIds);
      post({
        type: "details",
        requestId: r.requestId,
        fromRequestId: last?.requestId ?? null,
        nodes: last ? last.report.nodes.filter((n) => nodes.has(n.id)) : [],
        edges: last ? last.report.edges.filter((e) => edges.has(e.id)) : [],
      });
    }
  };

  return (data: unknown) => {
    const parsed = TopologyWorkerRequestSchema.safeParse(data);
    if (!parsed.success) {
      const id = (data as { requestId?: unknown } | null)?.requestId;
      const issue = parsed.error.issues[0];
      post({
        type: "error",
        requestId: typeof id === "number" ? id : null,
        code: TopologyErrorCode.REQUEST_INVALID,
        message: `Invalid topology worker message at "${issue.path.join(".") || "(root)"}": ${issue.message}. Send { type: "analyze", requestId, doc, stats? } or { type: "details", requestId, nodeIds, edgeIds }.`,
      });
      return;
    }
    queue.push(parsed.data);
    if (!scheduled) {
      scheduled = true;
      schedule(drain);
    }
  };
}
