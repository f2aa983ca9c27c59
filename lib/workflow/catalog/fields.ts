import { z } from "zod";

/** Reusable config fields, so every kind names and checks them the same way. */
export const identifier = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `${what} must start with a letter or '_' and contain only letters, digits and '_'`)
    .max(64);

/** The state field a node writes its result to; empty means "the node's id". */
export const outputKey = () =>
  z
    .union([z.literal(""), identifier("Output key")])
    .default("")
    .describe("State field that receives this node's result (empty: the node id)");

export const template = (description: string, def: string) => z.string().max(20_000).default(def).describe(description).meta({ widget: "template" });

export const requiredText = (what: string, max = 2000) => z.string().trim().min(1, `${what} is required`).max(max);

/**
 * A refinement for arrays of named entries (router routes, start fields): every `name` must be
 * unique, because names become port ids and state fields. The issue points at the repeated name.
 */
export const uniqueNames = (what: string) => (items: readonly { name?: unknown }[], ctx: z.RefinementCtx) => {
  const seen = new Set<unknown>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `${what} "${String(item.name)}" is used more than once` });
    seen.add(item.name);
  });
};

/** A credential id ("cred_…"): the node uses that workspace credential instead of the server-wide default. */
export const credentialId = (types: readonly string[], description: string) =>
  z
    .string()
    .regex(/^cred_[A-Za-z0-9]{1,60}$/, "Pick a credential from the list (or Server default).")
    .optional()
    .describe(description)
    .meta({ widget: "credential", credentialTypes: [...types] });

/**
 * The export form of a credential reference: exports carry the credential's name instead of its id,
 * and an import maps the name back to a credential of the importing workspace. A document that still
 * has a name here was imported without a match: the node cannot run until someone picks a credential.
 */
export const credentialName = () =>
  z
    .string()
    .max(100)
    .optional()
    .superRefine((name, ctx) => {
      if (name !== undefined)
        ctx.addIssue({
          code: "custom",
          message: `The credential "${name}" (from an imported file) is not set in this workspace: pick a credential or Server default.`,
        });
    })
    .meta({ widget: "hidden" });
