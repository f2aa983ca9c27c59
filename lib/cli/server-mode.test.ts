// `aura … --server`: the CLI's server mode against the real route handlers (in-process fetch), on SQLite
// and PostgreSQL.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useTestDatabase, TEST_OWNER } from "@/test/api-harness";
import { routeFetch } from "@/test/route-fetch";
import { testProviders } from "@/lib/db/testing";
import { buildWorkflow } from "@/lib/engine/testing";
import { serverMain } from "./server-mode";

/** Runs the CLI with `argv`; returns its exit code and output. */
async function aura(argv: string[], options: { env?: Record<string, string>; fetch?: typeof fetch } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await serverMain(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { AURA_SERVER: "http://aura.test", AURA_TOKEN: TEST_OWNER.token, ...options.env },
    fetch: options.fetch ?? routeFetch,
  });
  return {
    code,
    stdout,
    stderr,
    lines: () =>
      stdout
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const file = (name: string, value: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), "aura-cli-")), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

const greet = buildWorkflow(
  [
    ["start", "start", { fields: [{ name: "who", example: "ann" }] }],
    ["o", "output", { value: "hi {{who}}" }],
  ],
  ["start->o"],
  {},
  "greet",
);
const approve = buildWorkflow(
  [
    ["start", "start", { fields: [] }],
    ["ap", "human-approval", { instructions: "Ok?" }],
    ["o", "output", { value: "approved" }],
  ],
  ["start->ap", "ap->o"],
  {},
  "approve me",
);
const failing = buildWorkflow(
  [
    ["start", "start", { fields: [] }],
    ["j", "js-transform", { code: "throw new Error('boom')" }],
  ],
  ["start->j"],
  {},
  "fails",
);

const providers = await testProviders();

describe.each(providers)("aura --server on %s", (provider) => {
  useTestDatabase(provider, { runs: true });

  it("imports, lists and runs a workflow by name, printing its events as JSON lines", async () => {
    const imported = await aura(["import", file("greet.aura.json", greet)]);
    expect(imported.code, imported.stderr).toBe(0);
    const { id } = imported.lines()[0] as { id: string };
    const list = await aura(["workflows"]);
    expect(list.lines()).toContainEqual(expect.objectContaining({ id, name: "greet" }));

    const run = await aura(["run", "greet", "--input", '{"who":"bo"}']);
    expect(run.code, run.stderr).toBe(0);
    const events = run.lines();
    expect(events[0]).toMatchObject({ type: "run.queued" });
    expect(events.at(-1)).toMatchObject({ type: "run.finished", result: "hi bo" });
    const quiet = await aura(["run", id, "--example", "--quiet"]);
    expect(quiet).toMatchObject({ code: 0, stdout: '"hi ann"\n' });
  });

  it("exit 3 when an approval waits, 0 with --approve, 1 for a failed run, 2 for an unknown workflow or bad input", async () => {
    await aura(["import", file("a.aura.json", approve)]);
    await aura(["import", file("f.aura.json", failing)]);
    const waits = await aura(["run", "approve me"]);
    expect(waits.code).toBe(3);
    expect(waits.stderr).toMatch(/waiting for approval at "ap".*--approve/);
    const approved = await aura(["run", "approve me", "--approve", "--quiet"]);
    expect(approved).toMatchObject({ code: 0, stdout: '"approved"\n' });
    const failed = await aura(["run", "fails", "--no-tokens"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/failed at "j"/);
    expect((await aura(["run", "nope"])).stderr).toMatch(/no workflow "nope"/);
    expect((await aura(["run", "fails", "--input", "[1]"])).code).toBe(2);
    const badInput = await aura(["run", "greet", "--input", '{"who":{"a":1}}']);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toMatch(/INPUT_INVALID/);
  });
});

describe("aura --server: tokens and usage", () => {
  it("sends AURA_TOKEN (or --token, which wins) as a bearer token; a 401 says how to get one (exit 4)", async () => {
    const seen: (string | null)[] = [];
    const deny: typeof fetch = (input, init) => {
      seen.push(new Request(input, init).headers.get("authorization"));
      return Promise.resolve(new Response(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "Sign in first." } }), { status: 401 }));
    };
    const r = await aura(["workflows"], { env: { AURA_TOKEN: "from-env" }, fetch: deny });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/UNAUTHORIZED: Sign in first\. .*AURA_TOKEN=<token> or --token <token>/);
    await aura(["workflows", "--token", "from-flag"], { env: { AURA_TOKEN: "from-env" }, fetch: deny });
    expect(seen).toEqual(["Bearer from-env", "Bearer from-flag"]);
  });

  it("refuses local-only options and a missing server with a clear message (exit 2)", async () => {
    expect((await aura(["run", "x", "--thread", "t"])).stderr).toMatch(/--thread works only in local mode/);
    const noServer = await serverMain(["workflows"], { stdout: () => {}, stderr: () => {}, env: {} });
    expect(noServer).toBe(2);
    expect((await aura(["run", "x", "--server", "ftp://x"])).code).toBe(2);
  });
});
