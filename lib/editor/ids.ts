/**
 * Fresh ids that do not clash with the ones in use: `agent`, `agent-2`, `agent-3`, …
 * A trailing `-N` is stripped first, so copying `agent-2` gives `agent-3`, not `agent-2-2`.
 */
export function uniqueId(wanted: string, taken: ReadonlySet<string>): string {
  const clean = wanted.replace(/[^A-Za-z0-9_.:-]/g, "-").slice(0, 100) || "node";
  if (!taken.has(clean)) return clean;
  const base = clean.replace(/-\d+$/, "") || "node";
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Every id used by a node or a note (they share one namespace on the canvas). */
export function takenIds(doc: { nodes: readonly { id: string }[]; notes: readonly { id: string }[] }): Set<string> {
  const s = new Set<string>();
  for (const n of doc.nodes) s.add(n.id);
  for (const n of doc.notes) s.add(n.id);
  return s;
}
