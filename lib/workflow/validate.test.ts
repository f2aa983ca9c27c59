import { describe, expect, it } from "vitest";
import {
  createEmptyWorkflow,
  CURRENT_SCHEMA_VERSION,
  isRunnable,
  validateWorkflow,
  WorkflowDocumentSchema,
  type WorkflowDocument,
  type WorkflowIssue,
} from "./index";

type NodeIn = { id: string; kind: string; label?: string; config?: Record<string, unknown> };
type EdgeIn = { id?: string; source: string; target: string; sourceHandle?: string; targetHandle?: string };

/** A document from a compact node/edge list (positions and labels filled in). */
function doc(nodes: NodeIn[], edges: EdgeIn[] = []): WorkflowDocument {
  return WorkflowDocumentSchema.parse({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    name: "test",
    nodes: nodes.map((n, i) => ({ label: n.id, position: { x: 0, y: i * 100 }, config: {}, ...n })),
    edges: edges.map((e, i) => ({ id: e.id ?? `e${i}`, ...e })),
  });
}

const codes = (issues: WorkflowIssue[]) => issues.map((i) => i.code);
const only = (issues: WorkflowIssue[], code: string) => issues.filter((i) => i.code === code);

const START = { id: "start", kind: "start", config: { fields: [{ name: "input", type: "string" }] } };
const OUTPUT = { id: "out", kind: "output" };
const TPL = (id: string) => ({ id, kind: "template", config: { template: `{{input}} ${id}` } });

describe("validateWorkflow", () => {
  it("an empty new workflow has no issues", () => {
    expect(validateWorkflow(createEmptyWorkflow("New"))).toEqual([]);
  });

  it("a straight line start → template → output is clean", () => {
    expect(
      validateWorkflow(
        doc(
          [START, TPL("t"), OUTPUT],
          [
            { source: "start", target: "t" },
            { source: "t", target: "out" },
          ],
        ),
      ),
    ).toEqual([]);
  });

  it("NO_START when there is no Start node", () => {
    const issues = validateWorkflow(doc([TPL("t"), OUTPUT], [{ source: "t", target: "out" }]));
    expect(codes(issues)).toEqual(["NO_START"]);
    expect(issues[0]).toMatchObject({ severity: "error", path: ["nodes"] });
    expect(isRunnable(issues)).toBe(false);
  });

  it("MULTIPLE_START for every Start after the first, tied to that node", () => {
    const issues = validateWorkflow(
      doc(
        [START, { ...START, id: "start2" }, OUTPUT],
        [
          { source: "start", target: "out" },
          { source: "start2", target: "out" },
        ],
      ),
    );
    const multi = only(issues, "MULTIPLE_START");
    expect(multi).toHaveLength(1);
    expect(multi[0]).toMatchObject({ nodeId: "start2", path: ["nodes", 1], severity: "error" });
  });

  it("UNKNOWN_KIND for a kind the catalog does not know, and no further noise about its edges", () => {
    const issues = validateWorkflow(
      doc(
        [START, { id: "x", kind: "teleporter" }, OUTPUT],
        [
          { source: "start", target: "x" },
          { source: "x", target: "out" },
        ],
      ),
    );
    expect(codes(issues)).toEqual(["UNKNOWN_KIND"]);
    expect(issues[0]).toMatchObject({ nodeId: "x", path: ["nodes", 1, "kind"] });
  });

  it("CONFIG_INVALID naming the field when a Start field's example does not match its type", () => {
    const fields = [
      { name: "symbol", type: "string", example: "ACME" },
      { name: "size", type: "number", example: "5000" },
      { name: "live", type: "boolean", example: true },
      { name: "docs", type: "json", example: [{ id: "d1" }] },
      { name: "note", type: "string", required: false },
    ];
    const issues = validateWorkflow(doc([{ ...START, config: { fields } }, OUTPUT], [{ source: "start", target: "out" }]));
    expect(issues).toEqual([
      expect.objectContaining({ code: "CONFIG_INVALID", nodeId: "start", path: ["nodes", 0, "config", "fields", 1, "example"], field: "fields.1.example" }),
    ]);
    expect(issues[0].message).toContain('The example of "size" must be a number');
    const flag = validateWorkflow(
      doc([{ ...START, config: { fields: [{ name: "live", type: "boolean", example: "yes" }] } }, OUTPUT], [{ source: "start", target: "out" }]),
    );
    expect(flag[0].message).toContain('"live" must be true or false');
  });

  it("UNKNOWN_HANDLE for an output port the source does not have", () => {
    const issues = validateWorkflow(doc([START, OUTPUT], [{ id: "bad", source: "start", target: "out", sourceHandle: "nope" }]));
    expect(only(issues, "UNKNOWN_HANDLE")[0]).toMatchObject({ edgeId: "bad", path: ["edges", 0, "sourceHandle"] });
    expect(only(issues, "UNKNOWN_HANDLE")[0].message).toContain('"out"');
  });

  it("UNKNOWN_HANDLE for an input port the target does not have", () => {
    const issues = validateWorkflow(doc([START, OUTPUT], [{ id: "bad", source: "start", target: "out", targetHandle: "side" }]));
    expect(only(issues, "UNKNOWN_HANDLE")[0]).toMatchObject({ edgeId: "bad", path: ["edges", 0, "targetHandle"] });
  });

  it("UNKNOWN_HANDLE for an edge into Start (it takes no input)", () => {
    const issues = validateWorkflow(
      doc(
        [START, TPL("t"), OUTPUT],
        [
          { source: "start", target: "t" },
          { id: "back", source: "t", target: "start" },
          { source: "t", target: "out" },
        ],
      ),
    );
    expect(only(issues, "UNKNOWN_HANDLE")[0]).toMatchObject({ edgeId: "back", path: ["edges", 1, "target"] });
  });

  it("UNKNOWN_HANDLE for a non-tool node on an Agent's Tools port; a tool node there is fine", () => {
    const agent = { id: "a", kind: "agent", config: { role: "R" } };
    const withJoin = validateWorkflow(
      doc(
        [START, agent, { id: "j", kind: "join" }, OUTPUT],
        [
          { source: "start", target: "a" },
          { id: "t", source: "a", target: "j", sourceHandle: "tools" },
          { source: "a", target: "out" },
        ],
      ),
    );
    expect(only(withJoin, "UNKNOWN_HANDLE")[0]).toMatchObject({ edgeId: "t", path: ["edges", 1, "target"] });

    const withTool = validateWorkflow(
      doc(
        [START, agent, { id: "http", kind: "http-request", config: { url: "https://example.com", allowedHosts: ["example.com"] } }, OUTPUT],
        [
          { source: "start", target: "a" },
          { source: "a", target: "http", sourceHandle: "tools" },
          { source: "a", target: "out" },
        ],
      ),
    );
    expect(withTool).toEqual([]); // the tool is reached through its agent
  });

  it("UNREACHABLE_NODE (a warning) for a node Start cannot reach", () => {
    const issues = validateWorkflow(doc([START, TPL("island"), OUTPUT], [{ source: "start", target: "out" }]));
    expect(codes(issues)).toEqual(["UNREACHABLE_NODE"]);
    expect(issues[0]).toMatchObject({ nodeId: "island", severity: "warning", path: ["nodes", 1] });
    expect(isRunnable(issues)).toBe(true);
  });

  it("JOIN_TOO_FEW_INPUTS for a join with one ordinary input, or none", () => {
    const one = validateWorkflow(
      doc(
        [START, { id: "j", kind: "join" }, OUTPUT],
        [
          { source: "start", target: "j" },
          { source: "j", target: "out" },
        ],
      ),
    );
    expect(only(one, "JOIN_TOO_FEW_INPUTS")[0]).toMatchObject({ nodeId: "j", path: ["nodes", 1], severity: "error" });
    expect(only(one, "JOIN_TOO_FEW_INPUTS")[0].message).toContain("1 input;");

    const none = validateWorkflow(
      doc(
        [START, { id: "j", kind: "join" }, OUTPUT],
        [
          { source: "start", target: "out" },
          { source: "j", target: "out" },
        ],
      ),
    );
    expect(only(none, "JOIN_TOO_FEW_INPUTS")[0].message).toContain("0 inputs");
  });

  it("a join with two branches is fine", () => {
    const issues = validateWorkflow(
      doc(
        [START, TPL("a"), TPL("b"), { id: "j", kind: "join" }, OUTPUT],
        [
          { source: "start", target: "a" },
          { source: "start", target: "b" },
          { source: "a", target: "j" },
          { source: "b", target: "j" },
          { source: "j", target: "out" },
        ],
      ),
    );
    expect(issues).toEqual([]);
  });

  it("a join with one input after a Parallel map is fine (one edge, many branches)", () => {
    const issues = validateWorkflow(
      doc(
        [START, { id: "map", kind: "parallel-map", config: { itemsFrom: "items" } }, TPL("each"), { id: "j", kind: "join" }, OUTPUT],
        [
          { source: "start", target: "map" },
          { source: "map", target: "each", sourceHandle: "each" },
          { source: "each", target: "j" },
          { source: "j", target: "out" },
        ],
      ),
    );
    expect(issues).toEqual([]);
  });

  it("ROUTER_OUTPUT_UNCONNECTED for each named route without an edge (Default may stay open)", () => {
    const router = {
      id: "r",
      kind: "router",
      config: {
        routes: [
          { name: "vip", condition: 'tier == "gold"' },
          { name: "angry", condition: "score < 0" },
        ],
      },
    };
    const issues = validateWorkflow(
      doc(
        [START, router, OUTPUT],
        [
          { source: "start", target: "r" },
          { source: "r", target: "out", sourceHandle: "route:vip" },
        ],
      ),
    );
    expect(codes(issues)).toEqual(["ROUTER_OUTPUT_UNCONNECTED"]);
    expect(issues[0]).toMatchObject({ nodeId: "r", field: "routes", path: ["nodes", 1, "config", "routes"] });
    expect(issues[0].message).toContain("angry");
  });

  it("CYCLE_WITHOUT_EXIT for a loop with no way out", () => {
    const issues = validateWorkflow(
      doc(
        [START, TPL("a"), TPL("b"), OUTPUT],
        [
          { source: "start", target: "a" },
          { source: "a", target: "b" },
          { source: "b", target: "a" },
          { source: "start", target: "out" },
        ],
      ),
    );
    expect(codes(issues)).toEqual(["CYCLE_WITHOUT_EXIT"]);
    expect(issues[0]).toMatchObject({ nodeId: "a", path: ["nodes", 1], severity: "error" });
    expect(issues[0].message).toContain('"a"');
    expect(issues[0].message).toContain('"b"');
  });

  it("CYCLE_WITHOUT_EXIT for a self-loop", () => {
    const issues = validateWorkflow(
      doc(
        [START, TPL("a"), OUTPUT],
        [
          { source: "start", target: "a" },
          { source: "a", target: "a" },
          { source: "a", target: "out" },
        ],
      ),
    );
    expect(codes(issues)).toEqual(["CYCLE_WITHOUT_EXIT"]);
  });

  it("a loop whose Router has a route leaving it is fine (retry loop)", () => {
    const router = { id: "check", kind: "router", config: { routes: [{ name: "again", condition: "attempts < 3" }] } };
    const issues = validateWorkflow(
      doc(
        [START, TPL("work"), router, OUTPUT],
        [
          { source: "start", target: "work" },
          { source: "work", target: "check" },
          { source: "check", target: "work", sourceHandle: "route:again" },
          { source: "check", target: "out", sourceHandle: "default" },
        ],
      ),
    );
    expect(issues).toEqual([]);
  });

  it("a loop through a Router whose every edge stays inside still has no exit", () => {
    const router = { id: "check", kind: "router", config: { routes: [{ name: "again", condition: "true" }] } };
    const issues = validateWorkflow(
      doc(
        [START, TPL("work"), router, OUTPUT],
        [
          { source: "start", target: "work" },
          { source: "work", target: "check" },
          { source: "check", target: "work", sourceHandle: "route:again" },
          { source: "check", target: "work", sourceHandle: "default" },
          { source: "start", target: "out" },
        ],
      ),
    );
    expect(codes(issues)).toEqual(["CYCLE_WITHOUT_EXIT"]);
  });

  it("CONFIG_INVALID with the field and a JSON path into the config", () => {
    const issues = validateWorkflow(
      doc(
        [START, { id: "http", kind: "http-request", label: "Fetch", config: { url: "", timeoutMs: 5 } }, OUTPUT],
        [
          { source: "start", target: "http" },
          { source: "http", target: "out" },
        ],
      ),
    );
    const config = only(issues, "CONFIG_INVALID");
    expect(config.map((i) => i.field).sort()).toEqual(["timeoutMs", "url"]);
    const url = config.find((i) => i.field === "url")!;
    expect(url).toMatchObject({ nodeId: "http", path: ["nodes", 1, "config", "url"], severity: "error" });
    expect(url.message).toContain("URL is required");
  });

  it("CONFIG_INVALID says a missing required field is required", () => {
    const issues = validateWorkflow(
      doc(
        [START, { id: "d", kind: "delay" }, OUTPUT],
        [
          { source: "start", target: "d" },
          { source: "d", target: "out" },
        ],
      ),
    );
    expect(only(issues, "CONFIG_INVALID")[0]).toMatchObject({ field: "ms", path: ["nodes", 1, "config", "ms"] });
    expect(only(issues, "CONFIG_INVALID")[0].message).toMatch(/"ms" is required/);
  });

  it("CONFIG_INVALID for nested fields uses a dotted field name", () => {
    const router = { id: "r", kind: "router", config: { routes: [{ name: "bad name", condition: "x" }] } };
    const issues = validateWorkflow(
      doc(
        [START, router, OUTPUT],
        [
          { source: "start", target: "r" },
          { source: "r", target: "out", sourceHandle: "route:bad name" },
        ],
      ),
    );
    expect(only(issues, "CONFIG_INVALID")[0]).toMatchObject({ field: "routes.0.name", path: ["nodes", 1, "config", "routes", 0, "name"] });
  });

  it("CONFIG_INVALID for a Router with two routes of the same name (they would share one port)", () => {
    const router = {
      id: "r",
      kind: "router",
      config: {
        routes: [
          { name: "vip", condition: "a > 1" },
          { name: "vip", condition: "a > 2" },
        ],
      },
    };
    const issues = validateWorkflow(
      doc(
        [START, router, OUTPUT],
        [
          { source: "start", target: "r" },
          { source: "r", target: "out", sourceHandle: "route:vip" },
        ],
      ),
    );
    expect(codes(issues)).toEqual(["CONFIG_INVALID"]);
    expect(issues[0]).toMatchObject({ nodeId: "r", field: "routes.1.name", path: ["nodes", 1, "config", "routes", 1, "name"] });
    expect(issues[0].message).toContain('"vip" is used more than once');
  });

  it("CONFIG_INVALID for a Start with two input fields of the same name", () => {
    const start = { id: "start", kind: "start", config: { fields: [{ name: "q" }, { name: "q", type: "number" }] } };
    const issues = validateWorkflow(doc([start, OUTPUT], [{ source: "start", target: "out" }]));
    expect(issues).toEqual([expect.objectContaining({ code: "CONFIG_INVALID", field: "fields.1.name" })]);
  });

  it("NO_OUTPUT (a warning) when nothing declares a result", () => {
    const issues = validateWorkflow(doc([START, TPL("t")], [{ source: "start", target: "t" }]));
    expect(codes(issues)).toEqual(["NO_OUTPUT"]);
    expect(issues[0].severity).toBe("warning");
  });

  it("DUPLICATE_ID for nodes, edges and notes", () => {
    const d = doc(
      [START, TPL("t"), OUTPUT],
      [
        { id: "e", source: "start", target: "t" },
        { id: "e", source: "t", target: "out" },
      ],
    );
    d.nodes.push({ ...d.nodes[1], position: { x: 5, y: 5 } });
    d.notes.push({ id: "t", text: "clashes with a node", position: { x: 0, y: 0 }, width: 100, height: 100, color: "yellow" });
    const dup = only(validateWorkflow(d), "DUPLICATE_ID");
    expect(dup.map((i) => i.path)).toEqual([
      ["nodes", 3, "id"],
      ["edges", 1, "id"],
      ["notes", 0, "id"],
    ]);
    expect(dup[0].nodeId).toBe("t");
    expect(dup[1].edgeId).toBe("e");
  });

  it("DANGLING_EDGE for each missing end, with the edge's path", () => {
    const issues = validateWorkflow(
      doc(
        [START, OUTPUT],
        [
          { source: "start", target: "out" },
          { id: "ghost", source: "nowhere", target: "gone" },
        ],
      ),
    );
    const dangling = only(issues, "DANGLING_EDGE");
    expect(dangling.map((i) => i.path)).toEqual([
      ["edges", 1, "source"],
      ["edges", 1, "target"],
    ]);
    expect(dangling.every((i) => i.edgeId === "ghost")).toBe(true);
  });

  it("every issue has a stable code, a severity, a message and a path", () => {
    const issues = validateWorkflow(
      doc(
        [
          { id: "x", kind: "teleporter" },
          { id: "j", kind: "join" },
        ],
        [{ source: "x", target: "missing" }],
      ),
    );
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) {
      expect(i.code).toMatch(/^[A-Z_]+$/);
      expect(["error", "warning"]).toContain(i.severity);
      expect(i.message.length).toBeGreaterThan(5);
      expect(Array.isArray(i.path)).toBe(true);
    }
  });

  it("validates a 5,000-node chain without overflowing the stack", () => {
    const nodes: NodeIn[] = [START, ...Array.from({ length: 4998 }, (_, i) => TPL(`n${i}`)), OUTPUT];
    const edges = nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id }));
    expect(validateWorkflow(doc(nodes, edges))).toEqual([]);
  });
});
