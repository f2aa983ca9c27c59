import { start, output } from "./flow";
import { agent, modelRouter } from "./ai";
import { httpRequest, jsTransform, templateKind, jsonExtract, sentiment, delay } from "./tools";
import { router, humanApproval, parallelMap, join, subWorkflow } from "./control";
import { memoryStore, memoryRetrieve } from "./memory";
import type { z } from "zod";
import { setFields } from "./set-fields";
import type { NodeCategory, NodeKindDefinition, PortSpec } from "./types";

export type { NodeCategory, NodeKindDefinition, PortSpec, FieldWidget } from "./types";
export { StartFieldSchema, type StartField } from "./flow";
export { SET_FIELD_TYPES, type SetFieldAssignment } from "./set-fields";

/** The kinds with their full types (literal names, config schemas). */
const KINDS = [
  start,
  agent,
  modelRouter,
  httpRequest,
  jsTransform,
  templateKind,
  jsonExtract,
  sentiment,
  delay,
  router,
  humanApproval,
  parallelMap,
  join,
  subWorkflow,
  memoryStore,
  memoryRetrieve,
  setFields,
  output,
] as const;

/** The name of every node kind: a registry keyed on it must name them all. */
export type NodeKindName = (typeof KINDS)[number]["kind"];

/** A kind's config after parsing with its schema (defaults applied): what its executor gets. */
export type NodeConfigOf<K extends NodeKindName> = z.output<Extract<(typeof KINDS)[number], { kind: K }>["configSchema"]>;

/** Every node kind, in palette order. The one place that defines kinds. */
export const NODE_KINDS: readonly NodeKindDefinition[] = KINDS;

export const NODE_CATEGORIES: readonly NodeCategory[] = ["Flow", "AI", "Tools", "Control", "Memory"];

const byKind = new Map(NODE_KINDS.map((k) => [k.kind, k]));

/** The definition of a kind, or undefined for an unknown kind (validation reports UNKNOWN_KIND). */
export function getNodeKind(kind: string): NodeKindDefinition | undefined {
  return byKind.get(kind);
}

/** The output a node gets when its policy routes failures to a compensation branch (`onError: "route"`). */
export const ERROR_PORT: PortSpec = { id: "error", label: "On error", type: "flow" };

/**
 * Output ports of a node given its current config (a Router's depend on its routes) and, optionally,
 * its policy: `onError: "route"` adds the `error` port.
 */
export function getOutputPorts(kind: string, config: Record<string, unknown>, policy?: { onError?: string } | null): PortSpec[] {
  const def = byKind.get(kind);
  if (!def) return [];
  const ports = def.outputs(config);
  return policy?.onError === "route" ? [...ports, ERROR_PORT] : ports;
}

export function getInputPorts(kind: string): PortSpec[] {
  return byKind.get(kind)?.inputs ?? [];
}

/** Fresh default config for a new node of `kind` (a deep copy, safe to mutate). */
export function defaultConfigOf(kind: string): Record<string, unknown> {
  const def = byKind.get(kind);
  return def ? structuredClone(def.defaultConfig) : {};
}
