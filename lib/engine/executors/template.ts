import { renderTemplate } from "../template";
import type { ExecutorFor } from "./types";

/** Template: renders text with {{path}} / {{json path}} placeholders. */
export const template: ExecutorFor<"template"> = () => (ctx) => ({ value: renderTemplate(ctx.config.template, ctx.state) });
