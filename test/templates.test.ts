import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CURRENT_SCHEMA_VERSION, exampleInput, getOutputPorts, parseWorkflow, startFieldsOf, validateWorkflow, type WorkflowDocument } from "@/lib/workflow";
import { listTemplates } from "@/lib/server/templates";
import { nodeGeometry } from "@/lib/editor/node-geometry";
import { body, req, createWorkflow, startRun, useTestDatabase, waitForRun } from "@/test/api-harness";
import * as templatesRoute from "@/app/api/templates/route";

const dir = join(process.cwd(), "templates");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".aura.json"))
  .sort();

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
        for (const b of d.nodes)
          if (a !== b)
            expect(Math.abs(a.position.x - b.position.x) >= 200 || Math.abs(a.position.y - b.position.y) >= 100, `${a.id} overlaps ${b.id}`).toBe(true);
    });
  });

  it.each(files)("%s is laid out compactly: Fit view at 1400×900 shows it at zoom ≥ 0.6, where labels read", (file) => {
    const d = load(file.slice(0, -".aura.json".length));
    // The editor's canvas at 1400×900 is about 824×804 px; Fit view leaves 12% padding on each side.
    const boxes = [
      ...d.nodes.map((n) => ({
        ...n.position,
        width: nodeGeometry(n.kind, n.config, n.policy).width,
        height: nodeGeometry(n.kind, n.config, n.policy).height,
      })),
      ...d.notes.map((n) => ({ ...n.position, width: n.width, height: n.height })),
    ];
    const width = Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x));
    const height = Math.max(...boxes.map((b) => b.y + b.height)) - Math.min(...boxes.map((b) => b.y));
    expect(Math.min((824 * 0.76) / width, (804 * 0.76) / height), `${width}×${height}`).toBeGreaterThanOrEqual(0.6);
  });

  const load = (slug: string) => {
    const r = parseWorkflow(JSON.parse(readFileSync(join(dir, `${slug}.aura.json`), "utf8")));
    if (!r.ok) throw new Error(slug);
    return r.document;
  };
  const kinds = (slug: string) => load(slug).nodes.map((n) => n.kind);

  it("document analysis: fan-out over documents → extract → sentiment → store → join → output", () => {
    expect(kinds("document-analysis")).toEqual(
      expect.arrayContaining(["start", "parallel-map", "json-extract", "sentiment", "memory-store", "join", "output"]),
    );
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
    expect(kinds("trading-signals")).toEqual(expect.arrayContaining(["start", "js-transform", "model-router", "agent", "router", "human-approval", "output"]));
    const d = load("trading-signals");
    const mr = d.nodes.find((n) => n.kind === "model-router")!;
    const agent = d.nodes.find((n) => n.kind === "agent")!;
    expect(d.edges.some((e) => e.source === mr.id && e.target === agent.id)).toBe(true);
    expect(agent.config.model).toBe(""); // so it uses the Model router's choice
  });

  it("reach no network: market data and order lookups are labelled sample data, not HTTP calls", () => {
    for (const f of files) {
      const d = load(f.slice(0, -".aura.json".length));
      expect(
        d.nodes.filter((n) => n.kind === "http-request").map((n) => n.id),
        f,
      ).toEqual([]);
    }
    const market = load("trading-signals").nodes.find((n) => n.id === "market-data")!;
    const orders = load("customer-support").nodes.find((n) => n.id === "order-lookup")!;
    for (const n of [market, orders]) {
      expect(n.label).toMatch(/sample/i);
      expect(String(n.config.code)).toMatch(/SAMPLE DATA/);
    }
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

// The first five minutes: every template served by GET /api/templates, created as a workflow and run
// through the API with nothing but its Start examples, succeeds with no network and no API key.
describe("every template runs to success through the API with its examples", () => {
  useTestDatabase("sqlite", { runs: true });

  it.each(files.map((f) => f.slice(0, -".aura.json".length)))(
    "%s",
    async (slug) => {
      const { templates } = await body<{ templates: { slug: string; document: WorkflowDocument }[] }>(await templatesRoute.GET(req("/api/templates")));
      const template = templates.find((t) => t.slug === slug)!;
      const { input, missing } = exampleInput(startFieldsOf(template.document));
      expect(missing, "required Start fields without an example").toEqual([]);
      const runId = await startRun(await createWorkflow(template.document), input);
      const run = await waitForRun(runId, ["succeeded", "failed", "waiting", "cancelled"], 60_000);
      expect(run.status, JSON.stringify(run.error ?? run.waitingFor)).toBe("succeeded");
    },
    90_000,
  );
});
