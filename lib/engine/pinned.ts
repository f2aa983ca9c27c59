import type { NodePin, WorkflowDocument } from "../workflow";
import type { ExecResult } from "./executors/types";

/**
 * What a pinned node "returns" instead of executing: its pinned state writes, the value under its
 * output key (what Joins and calling Agents receive) and the port it was pinned with. Internal state
 * fields ("__…") are never written from a pin, so a typed pin cannot steer routing or Join buckets.
 */
export function resultFromPin(pin: NodePin, outputKey: string | undefined): ExecResult {
  const writes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pin.output)) if (!k.startsWith("__") && k !== outputKey) writes[k] = v;
  const value = outputKey !== undefined && outputKey in pin.output ? pin.output[outputKey] : undefined;
  return { writes, ...(value !== undefined ? { value } : {}), ...(pin.port ? { port: pin.port } : {}) };
}

const unpinned = new WeakMap<WorkflowDocument, WorkflowDocument>();

/**
 * The document without its pins (the same object when it has none). Runs use pins only when their
 * caller asks (the editor's Run, `usePinnedData: true`, `aura run --pinned`); webhooks, schedules,
 * sub-workflows and plain API calls run every node.
 */
export function withoutPins(doc: WorkflowDocument): WorkflowDocument {
  if (!doc.pins || !Object.keys(doc.pins).length) return doc;
  let copy = unpinned.get(doc);
  if (!copy) unpinned.set(doc, (copy = { ...doc, pins: {} }));
  return copy;
}
