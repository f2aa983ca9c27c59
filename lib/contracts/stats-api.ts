// Shapes of the dashboard statistics API (GET /api/stats/overview, GET /api/workflows/:id/topology),
// shared by the route handlers and the browser.
import { z } from "zod";

const time = z.string().transform((s, ctx) => {
  const d = /^\d+$/.test(s) ? new Date(Number(s)) : new Date(s);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a time; use ISO 8601 or epoch milliseconds.` });
    return z.NEVER;
  }
  return d;
});

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** GET /api/stats/overview?from=&to=&bucket=&workflowId= */
export const OverviewQuerySchema = z.object({
  /** Default: 24 hours before `to`. */
  from: time.optional(),
  /** Default: now. */
  to: time.optional(),
  /** Bucket width: "5m", "1h", "1d", milliseconds, or "auto" (default: at most ~60 buckets). */
  bucket: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s || s === "auto") return undefined;
      const m = /^(\d+)(ms|s|m|h|d)?$/.exec(s.trim());
      if (!m) {
        ctx.addIssue({ code: "custom", message: `bucket "${s}" is not a duration; use e.g. 5m, 1h, 1d or milliseconds.` });
        return z.NEVER;
      }
      return Number(m[1]) * (m[2] && m[2] !== "ms" ? UNITS[m[2]] : 1);
    }),
  workflowId: z.string().min(1).max(200).optional(),
});

export interface OverviewPoint {
  /** Bucket start, epoch ms. */
  t: number;
  /** Runs created in the bucket. */
  started: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** failed / finished in the bucket (null without finished runs). */
  failureRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface UsageEntry {
  key: string;
  label: string;
  runs: number;
  tokensInput: number;
  tokensOutput: number;
  costUsd: number;
}

export interface Overview {
  from: string;
  to: string;
  bucketMs: number;
  /** queued / running / waiting now; succeeded / failed / cancelled among the runs created in the window. */
  counts: Record<"queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled", number>;
  totals: {
    finished: number;
    failureRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    runs: number;
    tokensInput: number;
    tokensOutput: number;
    costUsd: number;
  };
  series: OverviewPoint[];
  failingNodes: {
    workflowId: string;
    workflowName: string;
    nodeId: string;
    kind: string;
    failures: number;
    handled: number;
    runs: number;
    lastErrorCode: string;
    lastAt: string;
  }[];
  byWorkflow: UsageEntry[];
  byModel: UsageEntry[];
  approvals: {
    total: number;
    runs: { runId: string; workflowId: string; workflowName: string; since: string; nodes: { nodeId: string; instructions: string }[] }[];
  };
  /** Agents with an Escalate policy that escalated in the window, per workflow and node (most first). */
  escalations: {
    workflowId: string;
    workflowName: string;
    nodeId: string;
    escalations: number;
    toSupervisor: number;
    toHuman: number;
    exhausted: number;
    approved: number;
    rejected: number;
    runs: number;
    lastAt: string;
  }[];
}

/** GET /api/workflows/:id/topology?runs=N */
export const TopologyQuerySchema = z.object({ runs: z.coerce.number().int().min(1).max(1000).default(50) });
