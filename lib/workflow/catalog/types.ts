import type { z } from "zod";

export type NodeCategory = "Flow" | "AI" | "Tools" | "Control" | "Memory";

/** A connection point. `flow` ports carry the run from node to node; `tools` ports attach tools to an agent. */
export interface PortSpec {
  id: string;
  label: string;
  type: "flow" | "tools";
}

/** Widgets the inspector can render for a string field; set with `.meta({ widget })` on the zod field. */
/** `json` takes any JSON value (text that is not JSON is kept as a string); `credential` is a picker of workspace credentials (`credentialTypes` in the meta); `hidden` is not shown. */
export type FieldWidget = "text" | "textarea" | "code" | "template" | "expression" | "json" | "credential" | "hidden";

/**
 * Everything the app knows about one node kind, in one place: the config schema the inspector renders
 * and validation checks, its ports, defaults, icon, category and help text. The engine adds executors
 * keyed by the same `kind`.
 */
export interface NodeKindDefinition<S extends z.ZodObject = z.ZodObject, K extends string = string> {
  kind: K;
  label: string;
  category: NodeCategory;
  /** A lucide-react icon name. */
  icon: string;
  /** Tailwind-friendly accent colour (hex) for the node header. */
  color: string;
  description: string;
  help: string;
  configSchema: S;
  defaultConfig: z.input<S>;
  inputs: PortSpec[];
  outputs: (config: Record<string, unknown>) => PortSpec[];
  /** At most one node of this kind per workflow (Start). */
  singleton?: boolean;
}

export const IN: PortSpec = { id: "in", label: "In", type: "flow" };
export const OUT: PortSpec = { id: "out", label: "Out", type: "flow" };

/** Helper so each kind file gets full type inference on its config and keeps its kind name as a literal. */
export function defineKind<S extends z.ZodObject, K extends string>(def: NodeKindDefinition<S, K>): NodeKindDefinition<S, K> {
  return def;
}
