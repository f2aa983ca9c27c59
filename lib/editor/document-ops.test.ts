import { describe, expect, it } from "vitest";
import { createEmptyWorkflow, parseWorkflow, validateWorkflow } from "@/lib/workflow";
import {
  addNode,
  addNote,
  connect,
  connectionProblem,
  deleteElements,
  moveElements,
  removePin,
  setNodeConfig,
  setPin,
  setNodeLabel,
  setNodePolicy,
  setWorkflowFields,
  updateNote,
} from "./document-ops";
import { uniqueId } from "./ids";

const base = () => createEmptyWorkflow("Test");

describe("document ops", () => {
  it("adds nodes with unique ids, labels and default config", () => {
    const a = addNode(base(), "agent", { x: 10.4, y: 20.6 });
    const b = addNode(a.doc, "agent", { x: 0, y: 0 });
    expect(a.id).toBe("agent");
    expect(b.id).toBe("agent-2");
    const n = b.doc.nodes.find((x) => x.id === "agent-2")!;
    expect(n.label).toBe("Agent 2");
    expect(n.config.role).toBe("Assistant");
    expect(a.doc.nodes.find((x) => x.id === "agent")!.position).toEqual({ x: 10, y: 21 });
  });

  it("uniqueId strips a numeric suffix before counting", () => {
    expect(uniqueId("agent-2", new Set(["agent-2", "agent-3"]))).toBe("agent-4");
    expect(uniqueId("x", new Set())).toBe("x");
  });

  it("moves nodes and keeps untouched objects", () => {
    const doc = base();
    const moved = moveElements(doc, new Map([["start", { x: 5, y: 6 }]]));
    expect(moved.nodes[0].position).toEqual({ x: 5, y: 6 });
    expect(moved.nodes[1]).toBe(doc.nodes[1]);
    expect(moveElements(doc, new Map([["start", { x: 0, y: 0 }]]))).toBe(doc);
  });

  it("deletes nodes with their edges", () => {
    const doc = deleteElements(base(), { nodes: ["output"] });
    expect(doc.nodes.map((n) => n.id)).toEqual(["start"]);
    expect(doc.edges).toEqual([]);
  });

  it("connects valid pairs and refuses self loops, duplicates and bad tool targets", () => {
    let { doc } = addNode(base(), "agent", { x: 0, y: 100 });
    doc = connect(doc, { source: "start", target: "agent" });
    expect(doc.edges.some((e) => e.source === "start" && e.target === "agent")).toBe(true);
    expect(connect(doc, { source: "start", target: "agent" })).toBe(doc);
    expect(connect(doc, { source: "agent", target: "agent" })).toBe(doc);
    expect(connectionProblem(doc, { source: "agent", sourceHandle: "tools", target: "output" })).toMatch(/tool/);
    expect(connect(doc, { source: "agent", target: "start" })).toBe(doc); // start takes no input
    const t = addNode(doc, "http-request", { x: 0, y: 0 });
    const withTool = connect(t.doc, { source: "agent", sourceHandle: "tools", target: t.id });
    expect(withTool.edges.at(-1)).toMatchObject({ source: "agent", sourceHandle: "tools", target: "http-request" });
  });

  it("drops edges of router routes that no longer exist", () => {
    const { doc: added, id } = addNode(base(), "router", { x: 0, y: 0 });
    let doc = added;
    doc = connect(doc, { source: id, sourceHandle: "route:yes", target: "output" });
    expect(doc.edges.some((e) => e.sourceHandle === "route:yes")).toBe(true);
    doc = setNodeConfig(doc, id, { routes: [{ name: "no", condition: "true" }] });
    expect(doc.edges.some((e) => e.sourceHandle === "route:yes")).toBe(false);
  });

  it("renames nodes and the workflow, edits notes", () => {
    let doc = setNodeLabel(base(), "start", "<b>Begin</b>");
    expect(doc.nodes[0].label).toBe("<b>Begin</b>");
    doc = setWorkflowFields(doc, { name: "Other" });
    expect(doc.name).toBe("Other");
    expect(setWorkflowFields(doc, { name: "Other" })).toBe(doc);
    const n = addNote(doc, { x: 1, y: 2 }, "hi");
    doc = updateNote(n.doc, n.id, { text: "hello", width: 10 });
    expect(doc.notes[0]).toMatchObject({ text: "hello", width: 40 });
    expect(validateWorkflow(doc).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("an on-error route adds an error output; turning it off drops the edges from it", () => {
    let doc = createEmptyWorkflow("saga");
    const added = addNode(doc, "delay", { x: 0, y: 100 });
    const undo = addNode(added.doc, "template", { x: 200, y: 100 });
    doc = setNodePolicy(undo.doc, added.id, { onError: "route" });
    expect(connectionProblem(doc, { source: added.id, target: undo.id, sourceHandle: "error" })).toBeNull();
    doc = connect(doc, { source: added.id, target: undo.id, sourceHandle: "error" });
    expect(doc.edges.some((e) => e.sourceHandle === "error")).toBe(true);
    doc = setNodePolicy(doc, added.id, { onError: "fail" });
    expect(doc.edges.some((e) => e.sourceHandle === "error")).toBe(false);
  });
});

describe("pins", () => {
  const pin = { output: { input: "pinned" }, pinnedAt: "2026-12-06T20:00:00.000Z", fromRunId: "run_1" };

  it("pins and unpins a node's output; unknown nodes and missing pins change nothing", () => {
    const doc = base();
    const pinned = setPin(doc, "start", pin);
    expect(pinned.pins).toEqual({ start: pin });
    expect(doc.pins).toEqual({});
    expect(setPin(doc, "ghost", pin)).toBe(doc);
    expect(removePin(pinned, "start").pins).toEqual({});
    expect(removePin(doc, "start")).toBe(doc);
  });

  it("deleting a pinned node drops its pin, so the document still parses", () => {
    const { doc, id } = addNode(base(), "template", { x: 0, y: 100 });
    const pinned = setPin(setPin(doc, id, pin), "start", pin);
    const after = deleteElements(pinned, { nodes: [id] });
    expect(Object.keys(after.pins)).toEqual(["start"]);
    expect(parseWorkflow(JSON.parse(JSON.stringify(after))).ok).toBe(true);
  });
});
