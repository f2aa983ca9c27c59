import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEmptyWorkflow, CURRENT_SCHEMA_VERSION, parseWorkflow, WorkflowDocumentSchema, type WorkflowDocument } from "@/lib/workflow";
import { deepEqual, diffWorkflows } from "./diff";
import { WorkflowDiffSchema } from "./diff-schema";

const templatesDir = join(process.cwd(), "templates");
const templates = readdirSync(templatesDir)
  .filter((f) => f.endsWith(".aura.json"))
  .sort();

function loadTemplate(file: string): WorkflowDocument {
  const parsed = parseWorkflow(JSON.parse(readFileSync(join(templatesDir, file), "utf8")));
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.document;
}

/** A three-node chain start → agent → output, parsed (defaults filled in). */
function chain(): WorkflowDocument {
  return WorkflowDocumentSchema.parse({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name: "Chain",
    nodes: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
      { id: "agent", kind: "agent", label: "Writer", position: { x: 300, y: 0 }, config: { prompt: "Write", temperature: 0.2 } },
      { id: "out", kind: "output", label: "Output", position: { x: 600, y: 0 }, config: { value: "{{text}}" } },
    ],
    edges: [
      { id: "e1", source: "start", target: "agent" },
      { id: "e2", source: "agent", target: "out" },
    ],
  });
}

describe("deepEqual", () => {
  it("compares JSON values structurally; undefined keys count as absent", () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: 1 }, { a: "1" })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual([], {})).toBe(false);
  });
});

describe("diffWorkflows on hand-made pairs", () => {
  it("finds nothing between a document and its copy", () => {
    const d = chain();
    const diff = diffWorkflows(d, structuredClone(d));
    expect(diff.identical).toBe(true);
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [] });
  });

  it("reports added and removed nodes and edges", () => {
    const from = chain();
    const to = structuredClone(from);
    to.nodes = to.nodes.filter((n) => n.id !== "agent");
    to.nodes.push({ id: "summarize", kind: "transform", label: "Summarize", position: { x: 300, y: 100 }, config: {} });
    to.edges = [
      { id: "e3", source: "start", target: "summarize" },
      { id: "e4", source: "summarize", target: "out" },
    ];
    const diff = diffWorkflows(from, to);
    expect(diff.nodes.added).toEqual([{ id: "summarize", kind: "transform", label: "Summarize" }]);
    expect(diff.nodes.removed).toEqual([{ id: "agent", kind: "agent", label: "Writer" }]);
    expect(diff.nodes.changed).toEqual([]);
    expect(diff.edges.added.map((e) => e.id)).toEqual(["e3", "e4"]);
    expect(diff.edges.removed).toEqual([
      { id: "e1", source: "start", target: "agent" },
      { id: "e2", source: "agent", target: "out" },
    ]);
    expect(diff.identical).toBe(false);
  });

  it("lists config, policy, label and position changes field by field", () => {
    const from = chain();
    const to = structuredClone(from);
    const agent = to.nodes.find((n) => n.id === "agent")!;
    agent.label = "Editor";
    agent.config = { prompt: "Edit", model: "openai:gpt-4o-mini" }; // temperature removed, model added
    agent.policy = { onError: "route", timeoutMs: 5000 };
    to.nodes.find((n) => n.id === "out")!.position = { x: 640, y: 20 };
    const diff = diffWorkflows(from, to);
    expect(diff.nodes.changed).toEqual([
      {
        id: "agent",
        kind: "agent",
        label: "Editor",
        movedOnly: false,
        changes: [
          { field: "label", before: "Writer", after: "Editor" },
          { field: "config.prompt", before: "Write", after: "Edit" },
          { field: "config.temperature", before: 0.2 },
          { field: "config.model", after: "openai:gpt-4o-mini" },
          { field: "policy.onError", after: "route" },
          { field: "policy.timeoutMs", after: 5000 },
        ],
      },
      { id: "out", kind: "output", label: "Output", movedOnly: true, changes: [{ field: "position", before: { x: 600, y: 0 }, after: { x: 640, y: 20 } }] },
    ]);
  });

  it("reports a kind change on the same id, and edge rewiring as an edge change", () => {
    const from = chain();
    const to = structuredClone(from);
    to.nodes[1] = { ...to.nodes[1], kind: "transform", config: {} };
    to.edges[1] = { ...to.edges[1], source: "start", sourceHandle: "default" };
    const diff = diffWorkflows(from, to);
    expect(diff.nodes.changed[0].changes.map((c) => c.field)).toEqual(["kind", "config.prompt", "config.temperature"]);
    expect(diff.edges.changed).toEqual([
      {
        id: "e2",
        source: "start",
        target: "out",
        changes: [
          { field: "source", before: "agent", after: "start" },
          { field: "sourceHandle", after: "default" },
        ],
      },
    ]);
  });

  it("treats a null handle as the default port (no change)", () => {
    const from = chain();
    const to = structuredClone(from);
    to.edges[0] = { ...to.edges[0], sourceHandle: null };
    expect(diffWorkflows(from, to).identical).toBe(true);
  });

  it("compares notes, settings and document fields; ignores the id and schemaVersion", () => {
    const from = chain();
    const to = structuredClone(from);
    to.id = "wf_other";
    to.name = "Chain 2";
    to.meta = { owner: "ops" };
    to.settings = { ...to.settings, maxConcurrentRuns: 3 };
    to.notes = [{ id: "n1", text: "hi", position: { x: 0, y: 0 }, width: 220, height: 140, color: "yellow" }];
    const diff = diffWorkflows(from, to);
    expect(diff.notes.added).toEqual([{ id: "n1" }]);
    expect(diff.settings).toEqual([{ field: "settings.maxConcurrentRuns", before: 10, after: 3 }]);
    expect(diff.document).toEqual([
      { field: "name", before: "Chain", after: "Chain 2" },
      { field: "meta.owner", after: "ops" },
    ]);
    const noteMoved = structuredClone(to);
    noteMoved.notes[0].text = "hello";
    expect(diffWorkflows(to, noteMoved).notes.changed).toEqual([{ id: "n1", changes: [{ field: "text", before: "hi", after: "hello" }] }]);
  });

  it("compares top-level fields it does not know, maps key by key (a later `pins` map)", () => {
    const from = { ...chain(), pins: { agent: { output: { text: "a" } } } } as unknown as WorkflowDocument;
    const to = { ...chain(), pins: { agent: { output: { text: "b" } }, out: { output: 1 } }, flag: true } as unknown as WorkflowDocument;
    expect(diffWorkflows(from, to).document).toEqual([
      { field: "pins.agent", before: { output: { text: "a" } }, after: { output: { text: "b" } } },
      { field: "pins.out", after: { output: 1 } },
      { field: "flag", after: true },
    ]);
  });

  it("answers a value that passes its own zod schema and survives JSON", () => {
    const from = createEmptyWorkflow("A");
    const to = chain();
    const diff = diffWorkflows(from, to);
    expect(WorkflowDiffSchema.parse(JSON.parse(JSON.stringify(diff)))).toEqual(diff);
  });
});

describe.each(templates)("diffWorkflows on template %s", (file) => {
  const template = loadTemplate(file);

  it("is identical to itself", () => {
    expect(diffWorkflows(template, loadTemplate(file)).identical).toBe(true);
  });

  it("finds every change made to a modified copy, and the reverse diff mirrors it", () => {
    const copy = structuredClone(template);
    const [first, second, ...rest] = copy.nodes;
    const removed = rest.at(-1)!;
    copy.nodes = [
      { ...first, label: `${first.label} (renamed)` },
      { ...second, position: { x: second.position.x + 50, y: second.position.y } },
      ...rest.slice(0, -1),
    ];
    copy.nodes.push({ id: "added-node", kind: "transform", label: "Added", position: { x: 0, y: 900 }, config: {} });
    copy.edges = copy.edges.filter((e) => e.source !== removed.id && e.target !== removed.id);
    copy.edges.push({ id: "e-added", source: first.id, target: "added-node" });
    const goneEdges = template.edges.filter((e) => e.source === removed.id || e.target === removed.id).map((e) => e.id);

    const diff = diffWorkflows(template, copy);
    expect(diff.nodes.added.map((n) => n.id)).toEqual(["added-node"]);
    expect(diff.nodes.removed.map((n) => n.id)).toEqual([removed.id]);
    expect(diff.nodes.changed.map((n) => [n.id, n.movedOnly, n.changes.map((c) => c.field)])).toEqual([
      [first.id, false, ["label"]],
      [second.id, true, ["position"]],
    ]);
    expect(diff.edges.added.map((e) => e.id)).toEqual(["e-added"]);
    expect(diff.edges.removed.map((e) => e.id)).toEqual(goneEdges);

    const back = diffWorkflows(copy, template);
    expect(back.nodes.added.map((n) => n.id)).toEqual([removed.id]);
    expect(back.nodes.removed.map((n) => n.id)).toEqual(["added-node"]);
    expect(back.edges.added.map((e) => e.id).sort()).toEqual([...goneEdges].sort());
  });
});
