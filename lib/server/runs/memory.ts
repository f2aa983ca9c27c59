import "server-only";
import { rankBySimilarity } from "@/lib/engine/similarity";
import type { MemoryMatch, MemoryService } from "@/lib/engine/memory";
import type { Database } from "@/lib/db/client";
import { insertMemory, recentMemory } from "@/lib/db/memory";

/** How many of a namespace's newest items a search ranks. */
export const MEMORY_SEARCH_WINDOW = 2000;

/** The engine's MemoryService for one workspace, over MemoryItem rows (TF-IDF cosine of content + tags). */
export function createDbMemoryService(db: Database, workspaceId: string): MemoryService {
  return {
    store: (namespace, content, tags) => insertMemory(db, workspaceId, namespace, content, tags),
    async search(namespace, query, topK): Promise<MemoryMatch[]> {
      const list = await recentMemory(db, workspaceId, namespace, MEMORY_SEARCH_WINDOW);
      return rankBySimilarity(
        query,
        list.map((r) => `${r.content} ${r.tags.join(" ")}`),
        topK,
      ).map(({ index, score }) => ({ ...list[index], score }));
    },
  };
}
