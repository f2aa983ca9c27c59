import { describe, expect, it } from "vitest";
import { createEmptyWorkflow, CURRENT_SCHEMA_VERSION, formatPath, getNodeKind, LIMITS, parseWorkflow, PIN_MAX_BYTES, type WorkflowIssue } from "./index";

const minimal = () => ({
  schemaVersion: CURRENT_SCHEMA_VERSION,
  name: "Minimal",
  nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } }],
});

function issuesOf(input: unknown): WorkflowIssue[] {
  const r = parseWorkflow(input);
  if (r.ok) throw new Error("expected parse to fail");
  return r.issues;
}

describe("parseWorkflow", () => {
  it("fills defaults for everything optional", () => {
    const r = parseWorkflow(minimal());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBeNull();
    expect(r.document).toMatchObject({
      description: "",
      edges: [],
      notes: [],
      meta: {},
      settings: { runTimeoutMs: 600_000, maxConcurrentRuns: 10, stateFields: [] },
    });
    expect(r.document.nodes[0].config).toEqual({});
  });

  it("is idempotent: parsing its own output gives the same document", () => {
    const once = parseWorkflow(minimal());
    if (!once.ok) throw new Error("parse failed");
    const twice = parseWorkflow(JSON.parse(JSON.stringify(once.document)));
    expect(twice).toEqual(once);
  });

  it("does not mutate its input", () => {
    const input = minimal();
    const before = JSON.stringify(input);
    parseWorkflow(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  it.each([
    ["null", null],
    ["a string", "{}"],
    ["a number", 42],
    ["an array", [minimal()]],
  ])("refuses %s: a document must be a JSON object", (_what, input) => {
    const issues = issuesOf(input);
    expect(issues).toEqual([expect.objectContaining({ code: "SCHEMA_INVALID", path: [], severity: "error" })]);
    expect(issues[0].message).toMatch(/JSON object/);
  });

  it("reports shape errors with JSON paths", () => {
    const doc = minimal() as Record<string, unknown>;
    doc.name = "   ";
    doc.nodes = [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
      { id: "bad id!", kind: "agent", label: "A", position: { x: "left", y: 0 } },
    ];
    doc.edges = [{ id: "e1", source: "start" }];
    const issues = issuesOf(doc);
    expect(issues.every((i) => i.code === "SCHEMA_INVALID")).toBe(true);
    const paths = issues.map((i) => formatPath(i.path));
    expect(paths).toEqual(expect.arrayContaining(["$.name", "$.nodes[1].id", "$.nodes[1].position.x", "$.edges[0].target"]));
    expect(issues.find((i) => formatPath(i.path) === "$.name")!.message).toMatch(/name must not be empty/);
  });

  it("reports a missing nodes array at $.nodes", () => {
    const issues = issuesOf({ schemaVersion: 1, name: "x" });
    expect(issues.map((i) => formatPath(i.path))).toEqual(["$.nodes"]);
  });

  it("refuses a document newer than this build with SCHEMA_VERSION_TOO_NEW", () => {
    const issues = issuesOf({ ...minimal(), schemaVersion: 7 });
    expect(issues).toEqual([expect.objectContaining({ code: "SCHEMA_VERSION_TOO_NEW", path: ["schemaVersion"] })]);
    expect(issues[0].message).toMatch(/schemaVersion 7/);
    expect(issues[0].message).toMatch(/Update Aura Studio/);
  });

  it.each([
    ["a string", "1"],
    ["a fraction", 1.5],
    ["negative", -1],
    ["null", null],
  ])("refuses schemaVersion that is %s with SCHEMA_VERSION_UNKNOWN", (_what, v) => {
    const issues = issuesOf({ ...minimal(), schemaVersion: v });
    expect(issues).toEqual([expect.objectContaining({ code: "SCHEMA_VERSION_UNKNOWN", path: ["schemaVersion"] })]);
  });

  it("checks integrity: duplicate node ids and dangling edges are parse errors with paths", () => {
    const doc = {
      ...minimal(),
      nodes: [
        { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 } },
        { id: "start", kind: "output", label: "Out", position: { x: 0, y: 100 } },
      ],
      edges: [{ id: "e1", source: "start", target: "missing" }],
    };
    const issues = issuesOf(doc);
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["DUPLICATE_ID", "$.nodes[1].id"],
      ["DANGLING_EDGE", "$.edges[0].target"],
    ]);
  });

  it(`refuses more than ${LIMITS.maxNodes} nodes with TOO_MANY_NODES before checking each one`, () => {
    const nodes = Array.from({ length: LIMITS.maxNodes + 1 }, (_, i) => ({ id: `n${i}` }));
    const issues = issuesOf({ schemaVersion: 1, name: "big", nodes });
    expect(issues).toEqual([expect.objectContaining({ code: "TOO_MANY_NODES", path: ["nodes"] })]);
  });

  it("accepts exactly the node limit", () => {
    const nodes = Array.from({ length: LIMITS.maxNodes }, (_, i) => ({ id: `n${i}`, kind: "template", label: `n${i}`, position: { x: 0, y: i } }));
    expect(parseWorkflow({ schemaVersion: 1, name: "big", nodes }).ok).toBe(true);
  });

  it("keeps unknown kinds and their config (validation reports them, parse does not lose them)", () => {
    const doc = {
      ...minimal(),
      nodes: [...minimal().nodes, { id: "x", kind: "future-kind", label: "X", position: { x: 1, y: 2 }, config: { a: [1, { b: 2 }] } }],
    };
    const r = parseWorkflow(doc);
    expect(r.ok && r.document.nodes[1]).toMatchObject({ kind: "future-kind", config: { a: [1, { b: 2 }] } });
  });
});

describe("formatPath", () => {
  it("renders JSON paths the way the API and the import dialog show them", () => {
    expect(formatPath([])).toBe("$");
    expect(formatPath(["nodes", 3, "config", "url"])).toBe("$.nodes[3].config.url");
    expect(formatPath(["meta", "odd key"])).toBe('$.meta["odd key"]');
  });
});

describe("createEmptyWorkflow", () => {
  it("creates a parseable document whose configs are exactly their kinds' parsed configs", () => {
    const doc = createEmptyWorkflow("New");
    const r = parseWorkflow(JSON.parse(JSON.stringify(doc)));
    expect(r.ok && r.document).toEqual(doc);
    for (const n of doc.nodes) expect(getNodeKind(n.kind)!.configSchema.parse(n.config), n.kind).toEqual(n.config);
  });
});

describe("pinned outputs", () => {
  const pin = (output: unknown, extra: Record<string, unknown> = {}) => ({ output, pinnedAt: "2026-12-06T20:00:00.000Z", ...extra });
  const withPins = (pins: Record<string, unknown>) => ({
    ...minimal(),
    nodes: [
      ...minimal().nodes,
      { id: "t", kind: "template", label: "T", position: { x: 0, y: 100 } },
      { id: "out", kind: "output", label: "Out", position: { x: 0, y: 200 } },
    ],
    pins,
  });

  it("keeps a valid pin with its port and source run", () => {
    const r = parseWorkflow(withPins({ t: pin({ text: "hi" }, { port: "out", fromRunId: "run_1" }) }));
    expect(r.ok && r.document.pins).toEqual({ t: { output: { text: "hi" }, port: "out", pinnedAt: "2026-12-06T20:00:00.000Z", fromRunId: "run_1" } });
  });

  it("refuses a pin for a node that does not exist, with its path", () => {
    const issues = issuesOf(withPins({ ghost: pin({}) }));
    expect(issues).toEqual([expect.objectContaining({ code: "PIN_UNKNOWN_NODE", path: ["pins", "ghost"], nodeId: "ghost" })]);
    expect(formatPath(issues[0].path)).toBe("$.pins.ghost");
  });

  it("refuses a pin on an Output node", () => {
    expect(issuesOf(withPins({ out: pin({ x: 1 }) }))).toEqual([expect.objectContaining({ code: "PIN_NOT_ALLOWED", path: ["pins", "out"] })]);
  });

  it("refuses a pinned output over 1 MB with its path, and takes one just under", () => {
    const big = "x".repeat(PIN_MAX_BYTES);
    const issues = issuesOf(withPins({ t: pin({ big }) }));
    expect(issues).toEqual([expect.objectContaining({ code: "PIN_TOO_LARGE", path: ["pins", "t"] })]);
    expect(issues[0].message).toMatch(/limit is 1 MB/);
    const fits = "x".repeat(PIN_MAX_BYTES - '{"big":""}'.length);
    expect(parseWorkflow(withPins({ t: pin({ big: fits }) })).ok).toBe(true);
  });

  it("refuses an output that is not an object (state fields), with its path", () => {
    const issues = issuesOf(withPins({ t: pin([1, 2]) }));
    expect(issues.map((i) => formatPath(i.path))).toEqual(["$.pins.t.output"]);
  });
});
