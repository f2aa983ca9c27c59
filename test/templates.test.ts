import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CURRENT_SCHEMA_VERSION, getOutputPorts, parseWorkflow, validateWorkflow } from "@/lib/workflow";
import { listTemplates } from "@/lib/server/templates";

const dir = join(process.cwd(), "templates");
const files = readdirSync(dir).filter((f) => f.endsWith(".aura.json")).sort();

describe("templates", () => {
  it("ship the three AURA examples", () => {
    expect(files).toEqual(["customer-support.aura.json", "document-analysis.aura.json", "trading-signals.aura.json"]);
  });

  describe.each(files)("%s", (file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const raw = JSON.parse(text);
    const parsed = parseWorkflow(structuredClone(raw));

    it("parses at the current schema version without migration", () => {
      expect(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues)).toBe(true);
      expect(raw.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
      expect(parsed.ok && parsed.migratedFrom).toBeNull();
    });

    it("validates with no issues at all (no errors, no warnings)", () => {
      if (!parsed.ok) throw new Error("parse failed");
      expect(validateWorkflow(parsed.document)).toEqual([]);
    });

    it("round-trips through JSON unchanged (the file is already in canonical form)", () => {
      if (!parsed.ok) throw new Error("parse failed");
      expect(parsed.document).toEqual(raw);
      expect(JSON.stringify(parsed.document, null, 2) + "\n").toBe(text);
    });

    it("has a name, a description, labels on every node, sticky notes and a laid-out canvas", () => {
      if (!parsed.ok) throw new Error("parse failed");
      const d = parsed.document;
      expect(d.name.length).toBeGreaterThan(3);
      expect(d.description.length).toBeGreaterThan(40);
      expect(d.notes.length).toBeGreaterThanOrEqual(2);
      for (const n of d.nodes) expect(n.label.trim().length, n.id).toBeGreaterThan(2);
      // no two nodes on top of each other
      for (const a of d.nodes)
        for (const b of d.nodes) if (a !== b) expect(Math.abs(a.position.x - b.position.x) >= 200 || Math.abs(a.position.y - b.position.y) >= 100, `${a.id} overlaps ${b.id}`).toBe(true);
    });
  });

  const load = (slug: string) => {
    const r = parseWorkflow(JSON.parse(readFileSync(join(dir, `${slug}.aura.json`), "utf8")));
    if (!r.ok) throw new Error(slug);
    return r.document;
  };
  const kinds = (slug: string) => load(slug).nodes.map((n) => n.kind);

  it("document analysis: fan-out over documents → extract → sentiment → store → join → output", () => {
    expect(kinds("document-analysis")).toEqual(expect.arrayContaining(["start", "parallel-map", "json-extract", "sentiment", "memory-store", "join", "output"]));
    const map = load("document-analysis").nodes.find((n) => n.kind === "parallel-map")!;
    expect(map.config.itemsFrom).toBe("documents");
  });

  it("customer support: router with every route connected → retrieve → agent with a tool → human approval", () => {
    const d = load("customer-support");
    expect(kinds("customer-support")).toEqual(expect.arrayContaining(["start", "router", "memory-retrieve", "agent", "human-approval", "output"]));
    const router = d.nodes.find((n) => n.kind === "router")!;
    const used = new Set(d.edges.filter((e) => e.source === router.id).map((e) => e.sourceHandle));
    for (const p of getOutputPorts("router", router.config)) expect(used, p.id).toContain(p.id);
    expect(d.edges.some((e) => e.sourceHandle === "tools")).toBe(true);
  });

  it("trading: market data → model router → agent → risk check → approval → execute", () => {
    expect(kinds("trading-signals")).toEqual(expect.arrayContaining(["start", "http-request", "js-transform", "model-router", "agent", "router", "human-approval", "output"]));
    const d = load("trading-signals");
    const mr = d.nodes.find((n) => n.kind === "model-router")!;
    const agent = d.nodes.find((n) => n.kind === "agent")!;
    expect(d.edges.some((e) => e.source === mr.id && e.target === agent.id)).toBe(true);
    expect(agent.config.model).toBe(""); // so it uses the Model router's choice
  });

  it("listTemplates serves every file with slug, name, description and node count", async () => {
    const list = await listTemplates();
    expect(list.map((t) => t.slug)).toEqual(["customer-support", "document-analysis", "trading-signals"]);
    for (const t of list) {
      expect(t.name).toBe(t.document.name);
      expect(t.description).toBe(t.document.description);
      expect(t.nodeCount).toBe(t.document.nodes.length);
    }
  });
});
