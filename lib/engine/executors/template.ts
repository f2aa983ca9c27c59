import { renderTemplate } from "../template";
import type { ExecutorFactory } from "./types";

/** Template: renders text with {{path}} / {{json path}} placeholders. */
export const template: ExecutorFactory<{ template: string }> = () => (ctx) => ({ value: renderTemplate(ctx.config.template, ctx.state) });
