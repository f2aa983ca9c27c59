/**
 * TF-IDF cosine similarity over word tokens: a real (if simple) relevance measure, shared by the
 * in-memory memory service and any database-backed one that ranks in process.
 * 1. Tokenize: lowercase, split on anything that is not a letter or digit, drop stop words.
 * 2. Weight each term by (1 + log tf) · idf, where idf = log((N + 1) / (df + 1)) + 1 over the corpus.
 * 3. Score = cosine of the query vector and each document vector; keep scores > 0, best first.
 */
const STOP = new Set(
  "a an the and or but of to in on at for with by from is are was were be been it this that these those as i you he she we they my your our their me us them do does did not no yes so if then than".split(
    " ",
  ),
);

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 1 && !STOP.has(t));
}

function termFrequencies(tokens: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

/** Ranks `docs` by similarity to `query`; returns indexes and scores, best first, at most `topK`. */
export function rankBySimilarity(query: string, docs: readonly string[], topK: number): { index: number; score: number }[] {
  const docTf = docs.map((d) => termFrequencies(tokenize(d)));
  const df = new Map<string, number>();
  for (const tf of docTf) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1;
  const vector = (tf: Map<string, number>) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      const w = (1 + Math.log(c)) * idf(t);
      v.set(t, w);
      norm += w * w;
    }
    return { v, norm: Math.sqrt(norm) };
  };
  const q = vector(termFrequencies(tokenize(query)));
  if (q.norm === 0) return [];
  const scored: { index: number; score: number }[] = [];
  docTf.forEach((tf, index) => {
    const d = vector(tf);
    if (d.norm === 0) return;
    let dot = 0;
    for (const [t, w] of q.v) dot += w * (d.v.get(t) ?? 0);
    const score = dot / (q.norm * d.norm);
    if (score > 0) scored.push({ index, score });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.slice(0, topK);
}
