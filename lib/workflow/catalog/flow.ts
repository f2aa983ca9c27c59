import { z } from "zod";
import { defineKind, OUT, IN } from "./types";
import { identifier, template, uniqueNames } from "./fields";

const FIELD_TYPE_NOUN = { string: "text", number: "a number", boolean: "true or false", json: "JSON" } as const;

/** Whether an example value fits a Start field's type (any JSON value fits "json"). */
function exampleFits(type: keyof typeof FIELD_TYPE_NOUN, example: unknown): boolean {
  if (type === "string") return typeof example === "string";
  if (type === "number") return typeof example === "number" && Number.isFinite(example);
  if (type === "boolean") return typeof example === "boolean";
  return true;
}

/**
 * One run input field of the Start node. `example` is an optional sample value of the field's type:
 * the Run dialog pre-fills it and `aura run --example` runs with it, so a template runs in one click.
 */
export const StartFieldSchema = z
  .object({
    name: identifier("Field name"),
    type: z.enum(["string", "number", "boolean", "json"]).default("string"),
    required: z.boolean().default(true),
    description: z.string().max(500).default(""),
    example: z.json().optional().describe("Example value (pre-fills the Run dialog)").meta({ widget: "json" }),
  })
  .superRefine((field, ctx) => {
    if (field.example === undefined || exampleFits(field.type, field.example)) return;
    ctx.addIssue({
      code: "custom",
      path: ["example"],
      message: `The example of "${field.name}" must be ${FIELD_TYPE_NOUN[field.type]}, because the field's type is ${field.type}; got ${JSON.stringify(field.example).slice(0, 40)}${field.type === "string" ? " (put it in double quotes to keep it as text)" : ""}.`,
    });
  });
/** A Start field as stored after parsing (defaults filled in). */
export type StartField = z.infer<typeof StartFieldSchema>;

export const start = defineKind({
  kind: "start",
  label: "Start",
  category: "Flow",
  icon: "Play",
  color: "#16a34a",
  description: "Where a run begins; declares the run's input fields.",
  help: "Every workflow has exactly one Start node. Its fields are the input a run is started with (from the Run dialog, the API, a webhook or a schedule); each field becomes a state field other nodes can read as {{name}}. Give fields an Example so the Run dialog opens filled in and `aura run --example` works.",
  singleton: true,
  configSchema: z.object({
    fields: z.array(StartFieldSchema).max(100).superRefine(uniqueNames("Field name")).default([]).describe("Run input fields"),
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
    // Used only when a webhook trigger answers with this Output's value (response mode "lastNode").
    status: z.number().int().min(200).max(599).optional().describe("Webhook response status (lastNode mode; default 200)"),
    headers: z
      .array(
        z.object({
          name: z
            .string()
            .trim()
            .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Not a valid HTTP header name (letters, digits and - as in X-Request-Id)")
            .max(200),
          value: z.string().max(4000).default(""),
        }),
      )
      .max(50)
      .optional()
      .describe("Webhook response headers (lastNode mode)"),
  }),
  defaultConfig: { value: "" },
  inputs: [IN],
  outputs: () => [],
});
