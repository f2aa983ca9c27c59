import { z } from "zod";
import { defineKind, IN, OUT, type PortSpec } from "./types";
import { identifier, outputKey, requiredText, uniqueNames } from "./fields";

const Route = z.object({
  name: identifier("Route name"),
  condition: requiredText("Condition", 2000).describe('Condition (e.g. sentiment.score < 0 && tier == "gold")').meta({ widget: "expression" }),
});

export const router = defineKind({
  kind: "router",
  label: "Router",
  category: "Control",
  icon: "GitBranch",
  color: "#ea580c",
  description: "Sends the run down the first route whose condition holds.",
  help: "Conditions are safe expressions over the state (comparisons, && || !, arithmetic, field paths, strings and numbers; no code). Routes are tried in order; if none matches the run takes the Default output. Every route output must be connected.",
  configSchema: z.object({
    routes: z.array(Route).min(1, "Add at least one route").max(50).superRefine(uniqueNames("Route name")).describe("Routes"),
  }),
  defaultConfig: { routes: [{ name: "yes", condition: 'input != ""' }] },
  inputs: [IN],
  outputs: (config) => {
    const routes = Array.isArray(config.routes) ? (config.routes as { name?: unknown }[]) : [];
    const ports: PortSpec[] = routes
      .filter((r) => typeof r?.name === "string" && r.name)
      .map((r) => ({ id: `route:${String(r.name)}`, label: String(r.name), type: "flow" }));
    return [...ports, { id: "default", label: "Default", type: "flow" }];
  },
});

export const humanApproval = defineKind({
  kind: "human-approval",
  label: "Human approval",
  category: "Control",
  icon: "UserCheck",
  color: "#be123c",
  description: "Pauses the run until a person approves or rejects.",
  help: "The run waits here until someone approves or rejects it (with a comment and, optionally, edited values of the listed fields). It then continues on the Approved or Rejected output.",
  configSchema: z.object({
    instructions: z
      .string()
      .max(5000)
      .default("Please review and approve.")
      .describe("Instructions for the reviewer ({{field}} placeholders)")
      .meta({ widget: "textarea" }),
    editableFields: z.array(identifier("Field")).max(50).default([]).describe("Fields the reviewer may edit"),
    timeoutMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000)
      .default(0)
      .describe("Reject automatically after (ms, 0: wait forever; checked about every 10 s)"),
  }),
  defaultConfig: { instructions: "Please review and approve.", editableFields: [], timeoutMs: 0 },
  inputs: [IN],
  outputs: () => [
    { id: "approved", label: "Approved", type: "flow" },
    { id: "rejected", label: "Rejected", type: "flow" },
  ],
});

export const parallelMap = defineKind({
  kind: "parallel-map",
  label: "Parallel map",
  category: "Control",
  icon: "Split",
  color: "#4f46e5",
  description: "Runs the branch after it once per item of a list, in parallel.",
  help: "Reads a list from the state and runs the Each branch once per item (as {{item}}), at most Max concurrency at a time. Close the branch with a Join to collect the results. Adaptive concurrency starts at Min and adds one item at a time while items finish fast and well, and halves on a failure or when latency climbs to twice its baseline (AIMD), never above Max; the run view charts it.",
  configSchema: z.object({
    itemsFrom: requiredText("Items field", 200).describe("List field (state path)"),
    itemName: identifier("Item name").default("item").describe("Name of the item in the branch"),
    maxConcurrency: z.number().int().min(1).max(1000).default(10).describe("Max concurrency"),
    concurrencyMode: z
      .enum(["fixed", "adaptive"])
      .default("fixed")
      .describe("Concurrency (fixed: Max concurrency at a time; adaptive: between Min and Max, from observed latency and failures)"),
    minConcurrency: z.number().int().min(1).max(1000).default(1).describe("Min concurrency (adaptive)"),
  }),
  defaultConfig: { itemsFrom: "items", itemName: "item", maxConcurrency: 10, concurrencyMode: "fixed", minConcurrency: 1 },
  inputs: [IN],
  outputs: () => [{ id: "each", label: "Each", type: "flow" }],
});

export const join = defineKind({
  kind: "join",
  label: "Join",
  category: "Control",
  icon: "Merge",
  color: "#4338ca",
  description: "Waits for every live incoming branch, then continues once.",
  help: "Continues after every branch that is still running has arrived; branches a router skipped are not waited for. Collects the branch results into a list.",
  configSchema: z.object({
    outputKey: outputKey(),
  }),
  defaultConfig: { outputKey: "" },
  inputs: [IN],
  outputs: () => [OUT],
});

export const subWorkflow = defineKind({
  kind: "sub-workflow",
  label: "Sub-workflow",
  category: "Control",
  icon: "Boxes",
  color: "#6d28d9",
  description: "Runs another saved workflow as one step.",
  help: "Runs the chosen workflow (its latest version, or a pinned one) with the state as input and stores its result.",
  configSchema: z.object({
    workflowId: requiredText("Workflow", 200).describe("Workflow id"),
    version: z.number().int().min(0).default(0).describe("Version (0: latest)"),
    outputKey: outputKey(),
  }),
  defaultConfig: { workflowId: "", version: 0, outputKey: "" },
  inputs: [IN],
  outputs: () => [OUT],
});
