import { describe, expect, it } from "vitest";
import { CURRENT_SCHEMA_VERSION, migrateDocument, MIGRATIONS, parseWorkflow, validateWorkflow } from "./index";
import v0Export from "./fixtures/v0-react-flow-export.json";
import tooNew from "./fixtures/v3-too-new.json";
import v1Doc from "./fixtures/v1-customer-support.json";

const clone = <T>(v: T): T => structuredClone(v);

/** Freezes an object graph so any mutation by a migration throws. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object") {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

describe("migration registry", () => {
  it("has exactly one step for every version from 0 to the current one, in order", () => {
    expect(MIGRATIONS.map((m) => [m.from, m.to])).toEqual(Array.from({ length: CURRENT_SCHEMA_VERSION }, (_, v) => [v, v + 1]));
  });

  it("every step has a unique id and a description", () => {
    expect(new Set(MIGRATIONS.map((m) => m.id)).size).toBe(MIGRATIONS.length);
    for (const m of MIGRATIONS) expect(m.description.length).toBeGreaterThan(10);
  });

  it("every step writes its target schemaVersion", () => {
    for (const m of MIGRATIONS) expect(m.up({ nodes: [], edges: [] }).schemaVersion).toBe(m.to);
  });

  it("steps are pure: the input is not mutated and the same input gives the same output", () => {
    for (const m of MIGRATIONS) {
      const sample = m.from === 0 ? v0Export : v1Doc;
      const input = deepFreeze(clone(sample) as Record<string, unknown>);
      const a = m.up(input);
      const b = m.up(input);
      expect(a).toEqual(b);
      expect(input).toEqual(sample);
    }
  });

  it("migrateDocument reports which steps ran", () => {
    const r = migrateDocument(clone(v0Export));
    expect(r).toMatchObject({ ok: true, from: 0, applied: ["0-to-1/react-flow-export", "1-to-2/pinned-outputs"] });
    expect(migrateDocument(clone(v1Doc))).toMatchObject({ ok: true, from: 1, applied: ["1-to-2/pinned-outputs"] });
    const current = migrateDocument({ schemaVersion: CURRENT_SCHEMA_VERSION, nodes: [] });
    expect(current).toMatchObject({ ok: true, from: CURRENT_SCHEMA_VERSION, applied: [] });
  });
});

describe("saved sample: unversioned React Flow export (version 0)", () => {
  const result = parseWorkflow(clone(v0Export));

  it("parses, and says it was migrated from version 0", () => {
    expect(result.ok).toBe(true);
    expect(result.ok && result.migratedFrom).toBe(0);
  });

  it("maps type → kind, data.label → label, data.config (or the rest of data) → config", () => {
    if (!result.ok) throw new Error("parse failed");
    const [start, researcher, fetchPage, answer] = result.document.nodes;
    expect(start).toMatchObject({ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } });
    expect(start.config).toEqual({ fields: [{ name: "question", type: "string", required: true, description: "" }] });
    // data without a `config` key: everything but the label is the config.
    expect(researcher).toMatchObject({ kind: "agent", label: "Researcher", config: { role: "Researcher", prompt: "{{question}}", outputKey: "answer" } });
    expect(researcher.config).not.toHaveProperty("label");
    // no label at all: falls back to the kind.
    expect(fetchPage.label).toBe("http-request");
    expect(answer.config).toEqual({ value: "{{answer}}" });
    // React Flow's view state (measured, selected, dragging) is dropped.
    expect(Object.keys(researcher).sort()).toEqual(["config", "id", "kind", "label", "position"]);
  });

  it("keeps edge ids, creates missing ones, drops null handles, keeps labels", () => {
    if (!result.ok) throw new Error("parse failed");
    expect(result.document.edges).toEqual([
      { id: "xy-edge__start-researcher", source: "start", target: "researcher" },
      { id: "e2-researcher-fetch-page", source: "researcher", target: "fetch-page", sourceHandle: "tools" },
      { id: "xy-edge__researcher-answer", source: "researcher", target: "answer", sourceHandle: "out", targetHandle: "in", label: "done" },
    ]);
  });

  it("moves the viewport to meta and names the workflow", () => {
    if (!result.ok) throw new Error("parse failed");
    expect(result.document.meta).toEqual({ viewport: { x: 120, y: 40, zoom: 0.85 } });
    expect(result.document.name).toBe("Imported workflow");
    expect(result.document.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(result.document.pins).toEqual({});
  });

  it("the migrated document validates without errors", () => {
    if (!result.ok) throw new Error("parse failed");
    expect(validateWorkflow(result.document).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("parsing the migrated document again changes nothing", () => {
    if (!result.ok) throw new Error("parse failed");
    const again = parseWorkflow(JSON.parse(JSON.stringify(result.document)));
    expect(again.ok && again.document).toEqual(result.document);
    expect(again.ok && again.migratedFrom).toBeNull();
  });

  it("an unversioned document in Aura's own shape keeps its labels and configs", () => {
    const r = parseWorkflow({
      name: "Hand written",
      nodes: [{ id: "start", kind: "start", label: "Begin", position: { x: 0, y: 0 }, config: { fields: [{ name: "q" }] } }],
    });
    expect(r.ok && r.document.nodes[0]).toMatchObject({ kind: "start", label: "Begin", config: { fields: [{ name: "q" }] } });
    expect(r.ok && r.document.name).toBe("Hand written");
  });

  it("malformed entries survive migration untouched and are reported by the schema with paths", () => {
    const r = parseWorkflow({ nodes: ["not a node"], edges: [42] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["nodes.0", "edges.0"]));
  });
});

describe("saved sample: a version-1 document (before pinned outputs)", () => {
  const result = parseWorkflow(clone(v1Doc));

  it("parses, says it was migrated from version 1, and has no pins", () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migratedFrom).toBe(1);
    expect(result.document.schemaVersion).toBe(2);
    expect(result.document.pins).toEqual({});
  });

  it("keeps everything else exactly as it was", () => {
    if (!result.ok) throw new Error("parse failed");
    const { schemaVersion: _v, pins: _p, ...rest } = result.document;
    const original = parseWorkflow({ ...clone(v1Doc), schemaVersion: 2 });
    if (!original.ok) throw new Error("the sample does not parse as version 2");
    const { schemaVersion: _v2, pins: _p2, ...expected } = original.document;
    expect(rest).toEqual(expected);
    expect(result.document.nodes.map((n) => n.id)).toEqual(v1Doc.nodes.map((n) => n.id));
  });

  it("a pins key in a version-1 document is left for the schema to judge", () => {
    const r = parseWorkflow({ ...clone(v1Doc), pins: "nonsense" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path.join("."))).toContain("pins");
  });

  it("parsing the migrated document again changes nothing", () => {
    if (!result.ok) throw new Error("parse failed");
    const again = parseWorkflow(JSON.parse(JSON.stringify(result.document)));
    expect(again.ok && again.document).toEqual(result.document);
    expect(again.ok && again.migratedFrom).toBeNull();
  });
});

describe("saved sample: a document newer than this build", () => {
  it("is refused with SCHEMA_VERSION_TOO_NEW and a message that says what to do", () => {
    const r = parseWorkflow(clone(tooNew));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: "SCHEMA_VERSION_TOO_NEW", path: ["schemaVersion"], severity: "error" });
    expect(r.issues[0].message).toBe(
      `This document has schemaVersion 3, but this Aura Studio reads up to ${CURRENT_SCHEMA_VERSION}. Update Aura Studio to open it.`,
    );
  });

  it("migrateDocument does not touch it", () => {
    const input = deepFreeze(clone(tooNew));
    expect(migrateDocument(input)).toMatchObject({ ok: false, code: "SCHEMA_VERSION_TOO_NEW" });
  });
});

describe("unversioned Aura-shaped documents", () => {
  it("keep their notes, settings and node policies", () => {
    const r = parseWorkflow({
      name: "Hand written",
      nodes: [{ id: "start", kind: "start", label: "Begin", position: { x: 0, y: 0 }, policy: { onError: "route" } }],
      notes: [{ id: "n1", text: "hello", position: { x: 10, y: 10 } }],
      settings: { maxConcurrentRuns: 3 },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.document.nodes[0].policy).toEqual({ onError: "route" });
    expect(r.document.notes).toEqual([{ id: "n1", text: "hello", position: { x: 10, y: 10 }, width: 220, height: 140, color: "yellow" }]);
    expect(r.document.settings.maxConcurrentRuns).toBe(3);
  });
});

describe("unversioned garbage", () => {
  it("is refused by the schema, not turned into an empty workflow", () => {
    const result = parseWorkflow({ nodes: 3 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path.join("."))).toContain("nodes");
    expect(parseWorkflow({ nodes: [], edges: "x" }).ok).toBe(false);
  });
});
