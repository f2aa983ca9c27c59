import { EngineError, EngineErrorCode } from "../errors";
import { renderTemplate } from "../template";
import type { ExecutorFor } from "./types";

function parseMaybeJson(text: string): unknown {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return text;
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}

/** Memory store: remembers the rendered content with tags in a namespace. */
export const memoryStore: ExecutorFor<"memory-store"> = () => async (ctx) => {
  const content = renderTemplate(ctx.config.content, ctx.state);
  let record;
  try {
    record = await ctx.services.memory.store(ctx.config.namespace, content, ctx.config.tags);
  } catch (err) {
    throw new EngineError(EngineErrorCode.MEMORY_ERROR, `Could not store the memory: ${(err as Error).message}`);
  }
  return { value: { id: record.id, namespace: record.namespace, tags: record.tags, content: parseMaybeJson(content) } };
};

/** Memory retrieve: the top K memories of the namespace most similar to the rendered query. */
export const memoryRetrieve: ExecutorFor<"memory-retrieve"> = () => async (ctx) => {
  const query = renderTemplate(ctx.config.query, ctx.state);
  let matches;
  try {
    matches = await ctx.services.memory.search(ctx.config.namespace, query, ctx.config.topK);
  } catch (err) {
    throw new EngineError(EngineErrorCode.MEMORY_ERROR, `Could not search the memory: ${(err as Error).message}`);
  }
  return {
    value: matches.map((m) => ({ id: m.id, content: parseMaybeJson(m.content), tags: m.tags, score: Math.round(m.score * 1000) / 1000 })),
    detail: { matches: matches.length },
  };
};
