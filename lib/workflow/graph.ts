/**
 * Small graph helpers over node ids, used by validation (and reused by topology and the compiler).
 * Adjacency is built once per call site; every function is iterative so 5,000-node graphs cannot
 * overflow the stack.
 */
export interface SimpleEdge {
  source: string;
  target: string;
}

export type Adjacency = Map<string, string[]>;

/** Outgoing neighbours of each node id (every id present, possibly with an empty list). */
export function buildAdjacency(nodeIds: Iterable<string>, edges: Iterable<SimpleEdge>): Adjacency {
  const adj: Adjacency = new Map();
  for (const id of nodeIds) adj.set(id, []);
  for (const e of edges) adj.get(e.source)?.push(e.target);
  return adj;
}

/** Ids reachable from `roots` (roots included), breadth first. */
export function reachableFrom(adj: Adjacency, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const r of roots)
    if (adj.has(r) && !seen.has(r)) {
      seen.add(r);
      queue.push(r);
    }
  for (let i = 0; i < queue.length; i++) {
    for (const next of adj.get(queue[i]) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/**
 * Strongly connected components (Tarjan), iterative.
 * 1. Depth-first from every unvisited node, giving each an index and a low-link.
 * 2. When a node's low-link equals its index, pop the stack down to it: that is one component.
 * Components come out in reverse topological order of the condensation.
 */
export function stronglyConnectedComponents(adj: Adjacency): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;

  for (const root of adj.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter++;
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = adj.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter);
          counter++;
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.id);
        out.push(comp);
      }
    }
  }
  return out;
}
