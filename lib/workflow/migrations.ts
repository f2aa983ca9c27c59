import { CURRENT_SCHEMA_VERSION } from "./schema";

type Json = Record<string, unknown>;

/**
 * One named, pure step from one schemaVersion to the next. Migrations never mutate their input.
 * Add one (with a saved sample of the old version under lib/workflow/fixtures/) for every schema change.
 */
export interface Migration {
  id: string;
  from: number;
  to: number;
  description: string;
  up: (doc: Json) => Json;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Version 0 is an unversioned document: what React Flow's `toObject()` or an early Aura draft writes
 * (`nodes[].type` and `nodes[].data.label`, edges without ids, `viewport` at the top level).
 */
const fromReactFlowExport: Migration = {
  id: "0-to-1/react-flow-export",
  from: 0,
  to: 1,
  description: "Unversioned React Flow export: type → kind, data.label → label, data.config (or the rest of data) → config, viewport → meta.viewport.",
  up(doc) {
    // Anything that is not a list stays as it is, so the schema check reports it instead of the
    // migration turning garbage into an empty workflow.
    if (!Array.isArray(doc.nodes) || (doc.edges !== undefined && !Array.isArray(doc.edges))) return { ...doc, schemaVersion: 1 };
    const nodes: unknown[] = doc.nodes;
    const edges: unknown[] = Array.isArray(doc.edges) ? doc.edges : [];
    const meta = isObject(doc.meta) ? { ...doc.meta } : {};
    if (isObject(doc.viewport)) meta.viewport = doc.viewport;
    return {
      schemaVersion: 1,
      name: typeof doc.name === "string" && doc.name.trim() ? doc.name : "Imported workflow",
      description: typeof doc.description === "string" ? doc.description : "",
      nodes: nodes.map((n) => {
        if (!isObject(n)) return n;
        const data = isObject(n.data) ? n.data : {};
        const { label, config, kind, ...rest } = data;
        // An unversioned document may already be in Aura's own node shape (top-level label/config,
        // e.g. hand-written before schemaVersion existed): keep those rather than dropping them.
        const out: Json = {
          id: n.id,
          kind: n.kind ?? kind ?? n.type,
          label:
            typeof n.label === "string"
              ? n.label
              : typeof label === "string"
                ? label
                : ([n.kind, kind, n.type, n.id].find((v): v is string => typeof v === "string") ?? ""),
          position: n.position,
          config: isObject(n.config) ? n.config : isObject(config) ? config : rest,
        };
        if (n.policy !== undefined) out.policy = n.policy;
        return out;
      }),
      edges: edges.map((e, i) => {
        if (!isObject(e)) return e;
        const out: Json = { id: e.id ?? `e${i + 1}-${String(e.source)}-${String(e.target)}`, source: e.source, target: e.target };
        if (e.sourceHandle != null) out.sourceHandle = e.sourceHandle;
        if (e.targetHandle != null) out.targetHandle = e.targetHandle;
        if (typeof e.label === "string") out.label = e.label;
        return out;
      }),
      ...(Array.isArray(doc.notes) ? { notes: doc.notes } : {}),
      ...(isObject(doc.settings) ? { settings: doc.settings } : {}),
      meta,
    };
  },
};

/** Version 2 adds pinned node outputs (`pins`, by node id); a version-1 document has none. */
const addPins: Migration = {
  id: "1-to-2/pinned-outputs",
  from: 1,
  to: 2,
  description: "Pinned node outputs: adds an empty `pins` map (node id → { output, port?, pinnedAt, fromRunId? }).",
  up(doc) {
    // A `pins` key a version-1 document should not have is kept, so the schema check reports it.
    return { ...doc, schemaVersion: 2, pins: doc.pins === undefined ? {} : doc.pins };
  },
};

/** Every migration, in order. A test checks the chain is complete from 0 to CURRENT_SCHEMA_VERSION. */
export const MIGRATIONS: readonly Migration[] = [fromReactFlowExport, addPins];

export type MigrateResult =
  { ok: true; doc: Json; from: number; applied: string[] } | { ok: false; code: "SCHEMA_VERSION_TOO_NEW" | "SCHEMA_VERSION_UNKNOWN"; message: string };

/** Reads `schemaVersion` (absent means 0) and applies migrations up to the current version. */
export function migrateDocument(doc: Json): MigrateResult {
  const raw = doc.schemaVersion;
  const from = raw === undefined ? 0 : raw;
  if (typeof from !== "number" || !Number.isInteger(from) || from < 0) {
    return { ok: false, code: "SCHEMA_VERSION_UNKNOWN", message: `schemaVersion must be a whole number, got ${JSON.stringify(raw)}.` };
  }
  if (from > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      code: "SCHEMA_VERSION_TOO_NEW",
      message: `This document has schemaVersion ${from}, but this Aura Studio reads up to ${CURRENT_SCHEMA_VERSION}. Update Aura Studio to open it.`,
    };
  }
  let current = doc;
  const applied: string[] = [];
  for (let v = from; v < CURRENT_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (!step) return { ok: false, code: "SCHEMA_VERSION_UNKNOWN", message: `No migration from schemaVersion ${v}.` };
    current = step.up(current);
    applied.push(step.id);
  }
  return { ok: true, doc: current, from, applied };
}
