import { z } from "zod";
import type { WorkflowDocument } from "@/lib/workflow/schema";
import { TopologyOverlaySchema } from "./overlay";
import { EdgeReportSchema, NodeReportSchema, TopologyReportSchema } from "./report";
import { TopologyStatsSchema } from "./stats";

/**
 * Messages between the browser and the topology Web Worker (lib/topology/worker.ts).
 *
 * main → worker:
 * - `analyze`: analyse `doc` (with optional `stats`); answer with the full `report` (detail "full")
 *   or the compact `overlay` (detail "overlay", the default: what the canvas needs, cheap to receive
 *   even at 10,000 nodes). The worker keeps the last full report for `details` requests.
 * - `details`: the full node and edge reports of some ids, from the last analysis (for the panel of
 *   the selected node).
 * worker → main: `report` | `overlay` | `details` | `superseded` (a newer `analyze` arrived before
 * this one started: only the latest is analysed) | `error` (stable code, message that says why).
 * Every answer echoes the request's `requestId`.
 */

/** A cheap structural check: the editor sends its own typed document; a full schema parse of 10k nodes is not worth it. */
const DocumentShape = z.custom<WorkflowDocument>(
  (d) => typeof d === "object" && d !== null && Array.isArray((d as WorkflowDocument).nodes) && Array.isArray((d as WorkflowDocument).edges),
  "doc must be a workflow document with nodes and edges",
);

export const AnalyzeRequestSchema = z.object({
  type: z.literal("analyze"),
  requestId: z.number().int().min(0),
  doc: DocumentShape,
  stats: TopologyStatsSchema.optional(),
  detail: z.enum(["full", "overlay"]).default("overlay"),
  options: z.object({ topBottlenecks: z.number().int().min(0).max(1000).optional() }).optional(),
});

export const DetailsRequestSchema = z.object({
  type: z.literal("details"),
  requestId: z.number().int().min(0),
  nodeIds: z.array(z.string()).default([]),
  edgeIds: z.array(z.string()).default([]),
});

export const TopologyWorkerRequestSchema = z.discriminatedUnion("type", [AnalyzeRequestSchema, DetailsRequestSchema]);

export const TopologyWorkerResponseSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("report"), requestId: z.number().int(), report: TopologyReportSchema, elapsedMs: z.number() }),
  z.object({ type: z.literal("overlay"), requestId: z.number().int(), overlay: TopologyOverlaySchema, elapsedMs: z.number() }),
  z.object({
    type: z.literal("details"),
    requestId: z.number().int(),
    /** The `analyze` request the details come from; null before the first analysis. */
    fromRequestId: z.number().int().nullable(),
    nodes: z.array(NodeReportSchema),
    edges: z.array(EdgeReportSchema),
  }),
  z.object({ type: z.literal("superseded"), requestId: z.number().int() }),
  z.object({ type: z.literal("error"), requestId: z.number().int().nullable(), code: z.string(), message: z.string() }),
]);

export type AnalyzeRequest = z.input<typeof AnalyzeRequestSchema>;
export type DetailsRequest = z.input<typeof DetailsRequestSchema>;
/** What the main thread may post (defaults filled in by the worker). */
export type TopologyWorkerRequest = z.input<typeof TopologyWorkerRequestSchema>;
export type TopologyWorkerResponse = z.infer<typeof TopologyWorkerResponseSchema>;
