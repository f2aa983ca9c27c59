import { EngineError, EngineErrorCode } from "../errors";
import { compileExpression } from "../expression";
import type { ExecutorFor } from "./types";

/** Router: the first route whose condition holds, else `default`. Conditions are compiled once, at compile time. */
export const router: ExecutorFor<"router"> = (node, plan) => {
  const routes = (plan.configs.get(node.id)!.routes as { name: string; condition: string }[]).map((r) => ({
    name: r.name,
    condition: r.condition,
    test: compileExpression(r.condition),
  }));
  return (ctx) => {
    for (const r of routes) {
      let ok: unknown;
      try {
        ok = r.test(ctx.state);
      } catch (err) {
        throw new EngineError(EngineErrorCode.EXPRESSION_ERROR, `Route "${r.name}" (${r.condition}): ${(err as Error).message}`);
      }
      if (ok) return { port: `route:${r.name}`, detail: { route: r.name, condition: r.condition } };
    }
    return { port: "default", detail: { route: "default" } };
  };
};
