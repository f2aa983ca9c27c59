import { describe, expect, it } from "vitest";
import { buildFlowGraph } from "./flow-graph";
import { condense } from "./loops";
import { parallelisableGroups } from "./parallelisable";
import { keysRead, keysWritten } from "./data-dependencies";
import { chain, doc, loopWithExit, twoBranches } from "./fixtures/small-graphs";
import { estimateNodeLatencyMs } from "./estimates";
import type { WorkflowDocument, WorkflowNode } from "@/lib/workflow/schema";

function groups(d: WorkflowDocument) {
  const g = buildFlowGraph(d);
  const w = g.nodes.map((n) => estimateNodeLatencyMs(n));
  return parallelisableGroups(g, condense(g), w).map((x) => ({
    nodes: x.vertices.map((v) => g.ids[v]),
    edges: x.edgeDocIndices.map((i) => d.edges[i].id),
    savingMs: x.savingMs,
  }));
}
const node = (kind: string, config: Record<string, unknown>, id = "n"): WorkflowNode => ({ id, kind, label: id, position: { x: 0, y: 0 }, config });

describe("keysWritten / keysRead", () => {
  it("writes the output key, else the node id; Start writes its fields", () => {
    expect([...keysWritten(node("agent", { outputKey: "summary" }))]).toEqual(["summary"]);
    expect([...keysWritten(node("agent", { outputKey: "" }, "a1"))]).toEqual(["a1"]);
    expect([...keysWritten(node("start", { fields: [{ name: "input" }, { name: "tier" }] }))]).toEqual(["input", "tier"]);
    expect([...keysWritten(node("human-approval", { editableFields: ["draft"] }, "ok"))]).toEqual(["ok", "draft"]);
  });

  it("reads identifiers in placeholders of any string, and anywhere in expression fields", () => {
    expect([...keysRead(node("agent", { prompt: "Summarise {{ research.items }} for {{json user}}", systemPrompt: "You are precise." }))]).toEqual([
      "research",
      "items",
      "json",
      "user",
    ]);
    expect([...keysRead(node("router", { routes: [{ name: "neg", condition: "sentiment.score < 0" }] }))]).toEqual(["sentiment", "score"]);
    expect([...keysRead(node("js-transform", { code: "return state.total" }))]).toEqual(["return", "state", "total"]);
    expect([...keysRead(node("template", { template: "plain text mentions research" }))]).toEqual([]);
  });
});

describe("parallelisableGroups", () => {
  it("chain of two agents that both read only the input: one group, saving the shorter one", () => {
    expect(groups(chain())).toEqual([{ nodes: ["a", "b"], edges: ["a-b"], savingMs: 2500 }]);
  });

  it("no group when the second reads the first's output", () => {
    const d = chain();
    d.nodes[2].config = { ...d.nodes[2].config, prompt: "Improve {{a}}" };
    expect(groups(d)).toEqual([]);
  });

  it("respects output keys: reading the first's key (not its id) is a dependency", () => {
    const d = chain();
    d.nodes[1].config = { ...d.nodes[1].config, outputKey: "draft" };
    d.nodes[2].config = { ...d.nodes[2].config, prompt: "Check {{draft}}" };
    expect(groups(d)).toEqual([]);
  });

  it("greedy runs: a, b independent, c reads b → [a, b] then c starts a new run with d", () => {
    const d = doc(
      [
        ["start", "start"],
        ["a", "agent"],
        ["b", "agent"],
        ["c", "agent", { prompt: "{{b}}", outputKey: "" }],
        ["d", "template", { template: "{{input}}", outputKey: "" }],
        ["output", "output"],
      ],
      [
        ["start", "a"],
        ["a", "b"],
        ["b", "c"],
        ["c", "d"],
        ["d", "output"],
      ],
    );
    expect(groups(d)).toEqual([
      { nodes: ["a", "b"], edges: ["a-b"], savingMs: 2500 },
      { nodes: ["c", "d"], edges: ["c-d"], savingMs: 1 },
    ]);
  });

  it("only inside chains: branches, joins and loops are left alone", () => {
    expect(groups(twoBranches())).toEqual([{ nodes: ["a1", "a2"], edges: ["a1-a2"], savingMs: 2500 }]);
    expect(groups(loopWithExit())).toEqual([]);
  });

  it("memory store then retrieve on the same namespace, or two side effects, stay in order", () => {
    const mem = doc(
      [
        ["s", "memory-store", { namespace: "cases", content: "{{input}}" }],
        ["r", "memory-retrieve", { namespace: "cases", query: "{{input}}", outputKey: "" }],
        ["o", "memory-retrieve", { namespace: "other", query: "{{input}}", outputKey: "" }],
      ],
      [
        ["s", "r"],
        ["r", "o"],
      ],
    );
    expect(groups(mem).map((g) => g.nodes)).toEqual([["r", "o"]]);
    const posts = doc(
      [
        ["p1", "http-request", { method: "POST", url: "https://x.test", body: "{{input}}" }],
        ["p2", "http-request", { method: "POST", url: "https://x.test", body: "{{input}}" }],
      ],
      [["p1", "p2"]],
    );
    expect(groups(posts)).toEqual([]);
  });

  it("control kinds never join a group", () => {
    const d = doc(
      [
        ["a", "agent"],
        ["dl", "delay", { ms: 10 }],
        ["b", "agent"],
      ],
      [
        ["a", "dl"],
        ["dl", "b"],
      ],
    );
    expect(groups(d)).toEqual([]);
  });
});
