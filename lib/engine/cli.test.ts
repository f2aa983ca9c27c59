import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const root = join(__dirname, "..", "..");
const aura = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, "bin", "aura.mjs"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, AURA_DEFAULT_MODEL: "" } });

describe("aura run (CLI)", () => {
  it("runs a template headless and prints JSON-line events; exit 0 on success", () => {
    const r = aura(
      "run",
      "templates/document-analysis.aura.json",
      "--input",
      JSON.stringify({ documents: [{ id: "d1", title: "A", text: "great, I love it" }], topic: "reviews" }),
      "--no-tokens",
    );
    expect(r.status, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events[0].type).toBe("run.started");
    expect(events.at(-1)).toMatchObject({ type: "run.finished" });
    expect(events.at(-1).result).toMatch(/reviews/);
  }, 30_000);

  it("exits non-zero with a clear message on a bad file, bad input or a waiting approval", () => {
    const missing = aura("run", "no-such.aura.json");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read/);
    const badInput = aura("run", "templates/customer-support.aura.json", "--input", '{"ticket":"x"}');
    expect(badInput.status).toBe(2);
    expect(badInput.stderr).toMatch(/"intent" is required/);
    const waiting = aura("run", "templates/customer-support.aura.json", "--input", '{"ticket":"x","intent":"legal","urgency":5}', "--quiet");
    expect(waiting.status).toBe(3);
    expect(waiting.stderr).toMatch(/waiting for approval/);
    const approved = aura("run", "templates/customer-support.aura.json", "--input", '{"ticket":"x","intent":"legal","urgency":5}', "--quiet", "--approve");
    expect(approved.status).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatch(/Simulated model/);
  }, 60_000);

  it("uses pinned outputs only with --pinned", () => {
    const file = join(mkdtempSync(join(tmpdir(), "aura-cli-")), "pinned.aura.json");
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 2,
        name: "Pinned",
        nodes: [
          { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [{ name: "input", type: "string" }] } },
          { id: "t", kind: "template", label: "T", position: { x: 0, y: 100 }, config: { template: "live {{input}}" } },
          { id: "o", kind: "output", label: "O", position: { x: 0, y: 200 }, config: { value: "{{t}}" } },
        ],
        edges: [
          { id: "e1", source: "start", target: "t" },
          { id: "e2", source: "t", target: "o" },
        ],
        pins: { t: { output: { t: "from the pin" }, pinnedAt: "2026-12-06T20:00:00.000Z" } },
      }),
    );
    const plain = aura("run", file, "--input", '{"input":"x"}', "--quiet");
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toBe("live x");
    const pinned = aura("run", file, "--input", '{"input":"x"}', "--pinned");
    expect(pinned.status, pinned.stderr).toBe(0);
    const events = pinned.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: "run.finished", result: "from the pin" });
    expect(events.find((e) => e.type === "node.finished" && e.nodeId === "t")).toMatchObject({ pinned: true });
  }, 60_000);

  it("--example runs every template with its Start examples, offline, to success", () => {
    for (const slug of ["customer-support", "document-analysis", "trading-signals"]) {
      const r = aura("run", `templates/${slug}.aura.json`, "--example", "--quiet");
      expect(r.status, `${slug}: ${r.stderr}`).toBe(0);
    }
  }, 90_000);

  it("--example: --input wins over examples; a required field with no example exits 2 naming it", () => {
    const merged = aura("run", "templates/document-analysis.aura.json", "--example", "--input", '{"topic":"my own topic"}', "--quiet");
    expect(merged.status, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatch(/my own topic/);
    const dir = mkdtempSync(join(tmpdir(), "aura-cli-"));
    const file = join(dir, "no-example.aura.json");
    const doc = JSON.parse(readFileSync(join(root, "templates", "document-analysis.aura.json"), "utf8"));
    delete doc.nodes[0].config.fields[0].example;
    writeFileSync(file, JSON.stringify(doc));
    const missing = aura("run", file, "--example");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/"documents" .* is required but has no example/);
    const given = aura("run", file, "--example", "--input", '{"documents":[{"id":"x","title":"t","text":"fine"}]}', "--quiet");
    expect(given.status, given.stderr).toBe(0);
  }, 60_000);
});
