// Query-string parameter shapes shared by list routes (runs, dead letters, audit).
import { z } from "zod";

/** A point in time given as ISO 8601 or epoch milliseconds. */
export const isoOrMs = z.string().transform((s, ctx) => {
  const d = /^\d+$/.test(s) ? new Date(Number(s)) : new Date(s);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a time; use ISO 8601 (2026-01-31T12:00:00Z) or epoch milliseconds.` });
    return z.NEVER;
  }
  return d;
});

/**
 * One value of an enum or several, comma-separated (`?status=failed,cancelled`). Each unknown value is its own
 * issue naming it and, when `listValues` is set, the values that exist.
 */
export function commaList<S extends z.ZodEnum>(schema: S, noun: string, listValues = true) {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      const known = listValues ? ` (${schema.options.join(", ")})` : "";
      for (const x of list) if (!schema.safeParse(x).success) ctx.addIssue({ code: "custom", message: `Unknown ${noun} "${x}"${known}.` });
      return list as z.infer<S>[];
    });
}
