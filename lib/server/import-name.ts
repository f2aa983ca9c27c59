/**
 * The name an imported workflow gets so the home list and the run filters never show two identical
 * entries: the file's own name when no workflow has it, else "<name> (imported)", else "<name> (2)",
 * "(3)", …. Names are compared case-insensitively after trimming, as people read them. Pure.
 */
export function uniqueImportName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.trim().toLowerCase()));
  const free = (n: string) => !used.has(n.trim().toLowerCase());
  const base = name.trim();
  if (free(base)) return base;
  if (free(`${base} (imported)`)) return `${base} (imported)`;
  for (let i = 2; ; i++) if (free(`${base} (${i})`)) return `${base} (${i})`;
}
