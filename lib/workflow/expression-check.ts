import jsep from "jsep";
import type { WorkflowDocument } from "./schema";
import { IssueCode, type WorkflowIssue } from "./issues";
import type { SetFieldAssignment } from "./catalog";

/**
 * Names no expression or template may read: they lead to JavaScript internals (`a.constructor`,
 * `__proto__`), never to data. The engine refuses them when it compiles, and the editor flags them.
 */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(["__proto__", "prototype", "constructor"]);

/** Names the expression language reads as constants, not state fields. */
const CONSTANTS = new Set(["true", "false", "null", "undefined"]);

/**
 * Parses an expression of the safe expression language (Router conditions, Set fields) for the editor:
 * a syntax error, or the state fields it reads (the first name of every path: `order` in
 * `order.items[0]`). Whether operators and helpers are allowed is checked by the engine's compiler.
 */
export function checkExpression(source: string): { error?: string; fields: string[] } {
  let ast: jsep.Expression;
  try {
    ast = jsep(source);
  } catch (err) {
    return { error: `cannot parse "${source}": ${(err as Error).message}`, fields: [] };
  }
  if (ast.type === "Compound") return { error: `write a single expression (no ';' or ','): "${source}"`, fields: [] };
  const fields = new Set<string>();
  let forbidden: string | undefined;
  const visit = (node: jsep.Expression | null | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case "Identifier": {
        const name = (node as jsep.Identifier).name;
        if (FORBIDDEN_NAMES.has(name)) forbidden ??= name;
        else if (!CONSTANTS.has(name)) fields.add(name);
        return;
      }
      case "MemberExpression": {
        const m = node as jsep.MemberExpression;
        visit(m.object);
        if (m.computed) visit(m.property);
        const key = m.computed ? (m.property.type === "Literal" ? (m.property as jsep.Literal).value : undefined) : (m.property as jsep.Identifier).name;
        if (typeof key === "string" && FORBIDDEN_NAMES.has(key)) forbidden ??= key;
        return;
      }
      case "CallExpression": {
        const c = node as jsep.CallExpression;
        // The callee is a helper name (len, upper, …), not a field.
        if (c.callee.type !== "Identifier") visit(c.callee);
        c.arguments.forEach(visit);
        return;
      }
      default:
        for (const value of Object.values(node)) {
          if (Array.isArray(value))
            value.forEach((v: unknown) => {
              if (v && typeof v === "object" && "type" in v) visit(v as jsep.Expression);
            });
          else if (value && typeof value === "object" && "type" in value) visit(value);
        }
    }
  };
  visit(ast);
  if (forbidden) return { error: `"${forbidden}" cannot be read in an expression: "${source}"`, fields: [] };
  return { fields: [...fields] };
}

/**
 * Every state field a run of `doc` can have: declared fields, Start fields, node results (output key
 * or node id), Parallel map item names, Set fields targets and `error`. A generous list on purpose:
 * it only decides which names the editor warns about.
 */
export function knownStateFields(doc: WorkflowDocument): Set<string> {
  const names = new Set<string>(["error", ...doc.settings.stateFields.map((f) => f.name)]);
  for (const n of doc.nodes) {
    const config = n.config;
    names.add(n.id);
    if (typeof config.outputKey === "string" && config.outputKey) names.add(config.outputKey);
    if (n.kind === "start" && Array.isArray(config.fields))
      for (const f of config.fields as { name?: unknown }[]) if (typeof f?.name === "string") names.add(f.name);
    if (n.kind === "parallel-map") names.add(typeof config.itemName === "string" && config.itemName ? config.itemName : "item");
    if (n.kind === "set-fields" && Array.isArray(config.assignments))
      for (const a of config.assignments as { field?: unknown }[]) if (typeof a?.field === "string") names.add(a.field);
  }
  return names;
}

/**
 * Expression problems of Set fields nodes, each pointing at the assignment's expression: a parse error
 * (EXPRESSION_INVALID, blocks a run) or a name that is no state field (UNKNOWN_FIELD, a warning: it
 * reads as undefined at run time).
 */
export function setFieldsIssues(doc: WorkflowDocument): WorkflowIssue[] {
  const known = knownStateFields(doc);
  const issues: WorkflowIssue[] = [];
  doc.nodes.forEach((n, i) => {
    if (n.kind !== "set-fields") return;
    const assignments = (n.config as { assignments?: unknown }).assignments;
    if (!Array.isArray(assignments)) return;
    (assignments as Partial<SetFieldAssignment>[]).forEach((a, j) => {
      if (typeof a?.expression !== "string" || !a.expression.trim()) return; // reported by the config schema
      const where = { path: ["nodes", i, "config", "assignments", j, "expression"], nodeId: n.id, field: `assignments.${j}.expression` };
      const target = typeof a.field === "string" && a.field ? `"${a.field}"` : `line ${j + 1}`;
      const { error, fields } = checkExpression(a.expression);
      if (error) {
        issues.push({ code: IssueCode.EXPRESSION_INVALID, severity: "error", message: `Set fields "${n.label}", field ${target}: ${error}`, ...where });
        return;
      }
      for (const name of fields.filter((f) => !known.has(f))) {
        issues.push({
          code: IssueCode.UNKNOWN_FIELD,
          severity: "warning",
          message: `Set fields "${n.label}", field ${target}: "${name}" is not a state field (no Start field, node result or declared field has that name), so it reads as undefined.`,
          ...where,
        });
      }
    });
  });
  return issues;
}
