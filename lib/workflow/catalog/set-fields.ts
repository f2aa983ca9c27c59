import { z } from "zod";
import { defineKind, IN, OUT } from "./types";
import { identifier, requiredText } from "./fields";

/** What an assignment's result is converted to; `auto` keeps the expression's own type. */
export const SET_FIELD_TYPES = ["auto", "number", "string", "boolean", "json"] as const;

const Assignment = z.object({
  field: identifier("Field")
    .refine((f) => !f.startsWith("__"), "Field names starting with '__' are reserved for the engine")
    .describe("Field"),
  expression: requiredText("Expression", 2000).describe("Expression (e.g. counter + 1, upper(name), order.items[0].price)").meta({ widget: "expression" }),
  type: z.enum(SET_FIELD_TYPES).default("auto").describe("Type (auto: as the expression gives it)"),
});
/** One `field = expression` line of a Set fields node. */
export type SetFieldAssignment = z.infer<typeof Assignment>;

export const setFields = defineKind({
  kind: "set-fields",
  label: "Set fields",
  category: "Flow",
  icon: "PenLine",
  color: "#059669",
  description: "Sets state fields from expressions, no code needed.",
  help: "Each line sets a state field to the value of an expression over the state, the same safe language as Router conditions: arithmetic (counter + 1), text helpers (upper(name), lower, len, contains), field paths (order.items[0].price) and a ? b : c. Lines run in order and each sees the fields set above it. Pick a type to convert the result (number, string, boolean, json); a value that does not fit fails the node with SET_FIELDS_TYPE naming the field. Fields written here become state fields; declare one under settings to give it an append or merge reducer.",
  configSchema: z.object({
    assignments: z
      .array(Assignment)
      .min(1, "Add at least one field to set")
      .max(100)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((a, i) => {
          if (seen.has(a.field)) ctx.addIssue({ code: "custom", path: [i, "field"], message: `Field "${a.field}" is set more than once` });
          seen.add(a.field);
        });
      })
      .describe("Fields to set"),
  }),
  defaultConfig: { assignments: [{ field: "counter", expression: "1", type: "number" }] },
  inputs: [IN],
  outputs: () => [OUT],
});
