import { z } from "zod";
import { defineKind, OUT, IN } from "./types";
import { identifier, template, uniqueNames } from "./fields";

export const start = defineKind({
  kind: "start",
  label: "Start",
  category: "Flow",
  icon: "Play",
  color: "#16a34a",
  description: "Where a run begins; declares the run's input fields.",
  help: "Every workflow has exactly one Start node. Its fields are the input a run is started with (from the Run dialog, the API, a webhook or a schedule); each field becomes a state field other nodes can read as {{name}}.",
  singleton: true,
  configSchema: z.object({
    fields: z
      .array(
        z.object({
          name: identifier("Field name"),
          type: z.enum(["string", "number", "boolean", "json"]).default("string"),
          required: z.boolean().default(true),
          description: z.string().max(500).default(""),
        }),
      )
      .max(100)
      .superRefine(uniqueNames("Field name"))
      .default([])
      .describe("Run input fields"),
  }),
  defaultConfig: { fields: [{ name: "input", type: "string", required: true, description: "" }] },
  inputs: [],
  outputs: () => [OUT],
});

export const output = defineKind({
  kind: "output",
  label: "Output",
  category: "Flow",
  icon: "Flag",
  color: "#0f766e",
  description: "Declares the run's result.",
  help: "When the run reaches an Output node, its value becomes the run result. Left empty, the result is what the step before the Output produced (the run shows which node). Use {{field}} to refer to state fields, or {{json field}} to embed a value as JSON.",
  configSchema: z.object({
    // Empty by default: the result of the step that led here, so adding an Agent before it just works.
    value: template("Result (template over the run state; empty: the previous step's result)", ""),
  }),
  defaultConfig: { value: "" },
  inputs: [IN],
  outputs: () => [],
});
