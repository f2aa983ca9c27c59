import { rankBySimilarity } from "./similarity";

export interface MemoryRecord {
  id: string;
  namespace: string;
  content: string;
  tags: string[];
  createdAt: number;
}

export interface MemoryMatch extends MemoryRecord {
  /** Similarity to the query, 0..1 (higher is closer). */
  score: number;
}

/**
 * Long-term memory the Memory store / retrieve nodes use. The server implements it over the database
 * (scoped to the workspace); tests and the CLI use InMemoryMemoryService.
 */
export interface MemoryService {
  store(namespace: string, content: string, tags: string[]): Promise<MemoryRecord>;
  /** The `topK` records of `namespace` most similar to `query`, best first. */
  search(namespace: string, query: string, topK: number): Promise<MemoryMatch[]>;
}

/** Memory in a Map, ranked by TF-IDF cosine similarity. */
export class InMemoryMemoryService implements MemoryService {
  private readonly byNamespace = new Map<string, MemoryRecord[]>();
  private counter = 0;

  async store(namespace: string, content: string, tags: string[]): Promise<MemoryRecord> {
    const record: MemoryRecord = { id: `mem-${++this.counter}`, namespace, content, tags: [...tags], createdAt: Date.now() };
    const list = this.byNamespace.get(namespace) ?? [];
    list.push(record);
    this.byNamespace.set(namespace, list);
    return record;
  }

  async search(namespace: string, query: string, topK: number): Promise<MemoryMatch[]> {
    const list = this.byNamespace.get(namespace) ?? [];
    return rankBySimilarity(
      query,
      list.map((r) => `${r.content} ${r.tags.join(" ")}`),
      topK,
    ).map(({ index, score }) => ({ ...list[index], score }));
  }

  /** Every record of a namespace, oldest first (for tests and inspection). */
  list(namespace: string): MemoryRecord[] {
    return [...(this.byNamespace.get(namespace) ?? [])];
  }
}
