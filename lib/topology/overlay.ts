import { z } from "zod";
import { BottleneckSchema, TopologySummarySchema, type TopologyReport } from "./report";

/** Bits of `nodeFlags`. */
export const NodeFlag = { CRITICAL: 1, ARTICULATION: 2, JOIN: 4, LOOP: 8, TOOL: 16, PARALLELISABLE: 32 } as const;
/** Bits of `edgeFlags`. */
export const EdgeFlag = { CRITICAL: 1, BRIDGE: 2, LOOP: 4, TOOL: 8 } as const;

/**
 * What the canvas overlay needs, and nothing more: a heat score and a few flags per node and edge
 * (flat arrays aligned with `nodeIds` / `edgeIds`), the summary and the top bottlenecks. A full
 * report of 10,000 nodes is ~12 MB of nested objects, too slow to clone onto the main thread in one
 * task; the overlay is a few hundred kB. Reasons of any other item are fetched on demand.
 */
export const TopologyOverlaySchema = z.object({
  reportVersion: z.literal(1),
  summary: TopologySummarySchema,
  bottlenecks: z.array(BottleneckSchema),
  nodeIds: z.array(z.string()),
  nodeScores: z.array(z.number().min(0).max(1)),
  /** Bitmask of `NodeFlag`. */
  nodeFlags: z.array(z.number().int().min(0)),
  edgeIds: z.array(z.string()),
  edgeScores: z.array(z.number().min(0).max(1)),
  /** Bitmask of `EdgeFlag`. */
  edgeFlags: z.array(z.number().int().min(0)),
});
export type TopologyOverlay = z.infer<typeof TopologyOverlaySchema>;

/** The overlay view of a report (same order as the report: document order). */
export function toTopologyOverlay(report: TopologyReport): TopologyOverlay {
  const nodeFlags = report.nodes.map((n) => {
    const m = n.metrics;
    return (
      (m.onCriticalPath ? NodeFlag.CRITICAL : 0) |
      (m.articulationParts ? NodeFlag.ARTICULATION : 0) |
      (m.fanIn >= 2 ? NodeFlag.JOIN : 0) |
      (m.loop !== null ? NodeFlag.LOOP : 0) |
      (m.role === "tool" ? NodeFlag.TOOL : 0) |
      (n.reasons.some((r) => r.code === "PARALLELISABLE") ? NodeFlag.PARALLELISABLE : 0)
    );
  });
  const edgeFlags = report.edges.map((e) => {
    const m = e.metrics;
    return (
      (m.onCriticalPath ? EdgeFlag.CRITICAL : 0) |
      (m.bridgeSides ? EdgeFlag.BRIDGE : 0) |
      (m.inLoop ? EdgeFlag.LOOP : 0) |
      (m.role === "tool" ? EdgeFlag.TOOL : 0)
    );
  });
  return {
    reportVersion: 1,
    summary: report.summary,
    bottlenecks: report.bottlenecks,
    nodeIds: report.nodes.map((n) => n.id),
    nodeScores: report.nodes.map((n) => n.score),
    nodeFlags,
    edgeIds: report.edges.map((e) => e.id),
    edgeScores: report.edges.map((e) => e.score),
    edgeFlags,
  };
}
