import type { WorkflowDocument, WorkflowEdge, WorkflowNode } from "./schema";
import type { DiffEdgeChange, DiffEdgeRef, DiffNodeChange, DiffNodeRef, FieldChange, WorkflowDiff } from "./diff-schema";

// The diff between two versions of a workflow, by element id: nodes, edges and notes added, removed or
// changed (field by field), plus settings and document-level fields. Pure: it only reads the two
// documents, so the route, the editor's compare view and tests all get the same answer.

type Json = unknown;
type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** Structural equality of JSON-like values; an object key holding `undefined` counts as absent. */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  // NaN never appears in a parsed document (finite numbers only), so === is enough for scalars.
  return false;
}

/** Keys of either object in first-seen order (the older document's order, then new keys). */
const unionKeys = (a: Rec, b: Rec) => [...new Set([...Object.keys(a), ...Object.keys(b)])];

/** One FieldChange per differing key of two records, named `prefix.key`; `undefined` values are left out of the change. */
function recordChanges(
  prefix: string,
  before: Rec,
  after: Rec,
  skip: ReadonlySet<string> = new Set(),
  normalize: (v: unknown) => unknown = (v) => v,
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of unionKeys(before, after)) {
    if (skip.has(k)) continue;
    const b = normalize(before[k]);
    const a = normalize(after[k]);
    if (deepEqual(b, a)) continue;
    out.push(fieldChange(prefix ? `${prefix}.${k}` : k, b, a));
  }
  return out;
}

const fieldChange = (field: string, before: unknown, after: unknown): FieldChange => ({
  field,
  ...(before === undefined ? {} : { before }),
  ...(after === undefined ? {} : { after }),
});

const NODE_OWN = new Set(["id", "kind", "label", "position", "config", "policy"]);

/** Field-by-field changes of one node present in both documents. */
function nodeChanges(from: WorkflowNode, to: WorkflowNode): FieldChange[] {
  const out: FieldChange[] = [];
  if (from.kind !== to.kind) out.push(fieldChange("kind", from.kind, to.kind));
  if (from.label !== to.label) out.push(fieldChange("label", from.label, to.label));
  if (!deepEqual(from.position, to.position)) out.push(fieldChange("position", from.position, to.position));
  out.push(...recordChanges("config", from.config ?? {}, to.config ?? {}));
  out.push(...recordChanges("policy", from.policy ?? {}, to.policy ?? {}));
  // Fields a later schema adds to nodes are still compared, one change per field.
  out.push(...recordChanges("", from, to, NODE_OWN));
  return out;
}

const nodeRef = (n: WorkflowNode): DiffNodeRef => ({ id: n.id, kind: n.kind, label: n.label });
const edgeRef = (e: WorkflowEdge): DiffEdgeRef => ({ id: e.id, source: e.source, target: e.target });
// A handle of null and an absent handle both mean "the kind's default port".
const nullAsAbsent = (v: unknown) => (v === null ? undefined : v);
const ID_ONLY = new Set(["id"]);

/** Added, removed and changed elements of two id-keyed lists; `changes` returns [] when equal. */
function diffById<T extends { id: string }, C>(
  from: readonly T[],
  to: readonly T[],
  changes: (a: T, b: T) => FieldChange[],
  changed: (b: T, c: FieldChange[]) => C,
): { added: T[]; removed: T[]; changed: C[] } {
  const before = new Map(from.map((x) => [x.id, x]));
  const after = new Map(to.map((x) => [x.id, x]));
  const result = { added: [] as T[], removed: [] as T[], changed: [] as C[] };
  for (const x of to) {
    const old = before.get(x.id);
    if (!old) result.added.push(x);
    else {
      const c = changes(old, x);
      if (c.length) result.changed.push(changed(x, c));
    }
  }
  for (const x of from) if (!after.has(x.id)) result.removed.push(x);
  return result;
}

/** Top-level keys compared elsewhere (elements, settings) or not part of the content (the id, the format version). */
const DOC_HANDLED = new Set(["schemaVersion", "id", "nodes", "edges", "notes", "settings"]);

/**
 * Document-level changes: name, description, and every other top-level field. A field holding a map
 * on either side (meta, a later `pins` map keyed by node id) is compared key by key ("pins.agent");
 * anything else as a whole.
 */
function documentChanges(from: Rec, to: Rec): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of unionKeys(from, to)) {
    if (DOC_HANDLED.has(k)) continue;
    const a = from[k];
    const b = to[k];
    if (deepEqual(a, b)) continue;
    if ((isRecord(a) || a === undefined) && (isRecord(b) || b === undefined)) out.push(...recordChanges(k, a ?? {}, b ?? {}));
    else out.push(fieldChange(k, a, b));
  }
  return out;
}

/**
 * What changed from `from` to `to` (both parsed documents). Elements are matched by id, so a node
 * deleted and re-created under the same id is "changed", not removed and added. Lists come in
 * document order: added and changed in `to`'s order, removed in `from`'s.
 */
export function diffWorkflows(from: WorkflowDocument, to: WorkflowDocument): WorkflowDiff {
  const nodes = diffById(from.nodes, to.nodes, nodeChanges, (n, changes): DiffNodeChange => ({
    ...nodeRef(n),
    movedOnly: changes.every((c) => c.field === "position"),
    changes,
  }));
  const edges = diffById(
    from.edges,
    to.edges,
    (a, b) => recordChanges("", a as unknown as Rec, b as unknown as Rec, ID_ONLY, nullAsAbsent),
    (e, changes): DiffEdgeChange => ({ ...edgeRef(e), changes }),
  );
  const notes = diffById(
    from.notes,
    to.notes,
    (a, b) => recordChanges("", a as unknown as Rec, b as unknown as Rec, ID_ONLY),
    (n, changes) => ({ id: n.id, changes }),
  );
  const settings = recordChanges("settings", from.settings ?? {}, to.settings ?? {});
  const document = documentChanges(from, to);
  const diff: Omit<WorkflowDiff, "identical"> = {
    nodes: { added: nodes.added.map(nodeRef), removed: nodes.removed.map(nodeRef), changed: nodes.changed },
    edges: { added: edges.added.map(edgeRef), removed: edges.removed.map(edgeRef), changed: edges.changed },
    notes: { added: notes.added.map((n) => ({ id: n.id })), removed: notes.removed.map((n) => ({ id: n.id })), changed: notes.changed },
    settings,
    document,
  };
  const counts = [diff.nodes, diff.edges, diff.notes].flatMap((g) => [g.added.length, g.removed.length, g.changed.length]);
  return { ...diff, identical: counts.every((c) => c === 0) && settings.length === 0 && document.length === 0 };
}
