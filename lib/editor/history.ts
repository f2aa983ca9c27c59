/**
 * Undo/redo as a bounded list of documents. Consecutive edits with the same coalesce key within
 * `COALESCE_MS` (typing into one field) become one step; a drag is pushed once when it ends.
 */
export interface History<T> {
  past: T[];
  future: T[];
  lastKey: string | null;
  lastAt: number;
}

export const HISTORY_LIMIT = 100;
export const COALESCE_MS = 1000;

export const emptyHistory = <T>(): History<T> => ({ past: [], future: [], lastKey: null, lastAt: 0 });

/** Records that `previous` was replaced by a new present. */
export function record<T>(h: History<T>, previous: T, key: string | null = null, now = Date.now()): History<T> {
  if (key !== null && key === h.lastKey && now - h.lastAt < COALESCE_MS && h.past.length > 0) {
    return { ...h, future: [], lastAt: now };
  }
  const past = h.past.length >= HISTORY_LIMIT ? [...h.past.slice(h.past.length - HISTORY_LIMIT + 1), previous] : [...h.past, previous];
  return { past, future: [], lastKey: key, lastAt: now };
}

/** Steps back: returns the document to show and the new history, or null when there is nothing to undo. */
export function undo<T>(h: History<T>, present: T): { present: T; history: History<T> } | null {
  if (h.past.length === 0) return null;
  const prev = h.past[h.past.length - 1];
  return { present: prev, history: { past: h.past.slice(0, -1), future: [present, ...h.future], lastKey: null, lastAt: 0 } };
}

export function redo<T>(h: History<T>, present: T): { present: T; history: History<T> } | null {
  if (h.future.length === 0) return null;
  const [next, ...rest] = h.future;
  return { present: next, history: { past: [...h.past, present], future: rest, lastKey: null, lastAt: 0 } };
}
