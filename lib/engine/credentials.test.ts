import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices } from "./index";
import type { CredentialService, ResolvedCredential } from "./credentials";
import { MASK } from "./redact";
import { buildWorkflow } from "./testing";
import { startFakeLlmServer, type FakeLlmServer } from "./models/fixtures/fake-llm-server";

// The SSRF guard (another change) refuses loopback targets unless the admin allows them.
process.env.AURA_HTTP_ALLOW_PRIVATE = "1";

const TOKEN = "tok-SECRET-9f8e7d6c5b4a";
const PASSWORD = "pw-SECRET-1234abcd";
const HEADER_VALUE = "hv-SECRET-0011223344";

/** An echo server: answers with the request's headers as JSON; /fail answers 500 with them; /hop redirects to `redirectTo`. */
interface Echo {
  url: string;
  seen: IncomingHttpHeaders[];
  redirectTo?: string;
  close(): Promise<void>;
}
async function startEcho(): Promise<Echo> {
  const echo: Partial<Echo> & { seen: IncomingHttpHeaders[] } = { seen: [] };
  const server: Server = createServer((req, res) => {
    echo.seen.push(req.headers);
    if (req.url === "/hop" && echo.redirectTo) {
      res.writeHead(302, { location: echo.redirectTo }).end();
      return;
    }
    res.writeHead(req.url === "/fail" ? 500 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify({ headers: req.headers }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  echo.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  echo.close = () => new Promise((r) => server.close(() => r()));
  return echo as Echo;
}

const credentials: Record<string, ResolvedCredential> = {
  cred_bearer: { type: "http-bearer", name: "Bearer one", token: TOKEN },
  cred_basic: { type: "http-basic", name: "Basic one", username: "alice", password: PASSWORD },
  cred_header: { type: "http-header", name: "Header one", headerName: "X-Api-Key", value: HEADER_VALUE },
  cred_openai: { type: "openai", name: "OpenAI one", apiKey: "sk-SECRET-openai-778899" },
  cred_anthropic: { type: "anthropic", name: "Anthropic one", apiKey: "sk-ant-SECRET-445566" },
};
const store: CredentialService = { resolve: async (id) => credentials[id] ?? null };

let echo: Echo;
let other: Echo;
let fake: FakeLlmServer;
beforeAll(async () => {
  [echo, other, fake] = await Promise.all([startEcho(), startEcho(), startFakeLlmServer()]);
});
afterAll(async () => {
  await Promise.all([echo.close(), other.close(), fake.close()]);
});
beforeEach(() => {
  echo.seen.length = 0;
  other.seen.length = 0;
  fake.reset();
});

let counter = 0;
function runHttp(auth: Record<string, unknown> | undefined, path = "/echo", services = createDefaultServices({ credentials: store })) {
  const doc = buildWorkflow(
    [
      ["start", "start", { fields: [] }],
      ["call", "http-request", { url: `${echo.url}${path}`, allowedHosts: ["127.0.0.1"], ...(auth ? { auth } : {}) }],
      ["shout", "template", { template: "got {{call.body.headers.authorization}}" }],
      ["out", "output", { value: "" }],
    ],
    ["start->call", "call->shout", "shout->out"],
  );
  return collectRun(compileWorkflow(doc, services), { runId: `cred${++counter}`, input: {} });
}

const everything = (r: { events: EngineEvent[]; outcome: unknown }) => JSON.stringify(r);

describe("HTTP request credentials", () => {
  it("sends a bearer token and masks it everywhere the echoed header shows up", async () => {
    const r = await runHttp({ credentialId: "cred_bearer" });
    expect(r.outcome).toMatchObject({ status: "succeeded" });
    expect(echo.seen[0].authorization).toBe(`Bearer ${TOKEN}`);
    expect(everything(r)).not.toContain(TOKEN);
    const finished = r.events.find((e) => e.type === "state.update" && e.nodeId === "call");
    expect(JSON.stringify(finished)).toContain(`Bearer ${MASK}`);
    // The state itself holds the masked value: the next node reads the mask, not the token.
    expect((r.outcome as { result: unknown }).result).toBe(`got Bearer ${MASK}`);
  });

  it("sends basic auth and masks the password and its base64 form", async () => {
    const r = await runHttp({ credentialId: "cred_basic" });
    expect(echo.seen[0].authorization).toBe(`Basic ${Buffer.from(`alice:${PASSWORD}`).toString("base64")}`);
    const text = everything(r);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(`alice:${PASSWORD}`).toString("base64"));
  });

  it("sends a custom header and masks its value in error messages too", async () => {
    const r = await runHttp({ credentialId: "cred_header" }, "/fail");
    expect(echo.seen[0]["x-api-key"]).toBe(HEADER_VALUE);
    expect(r.outcome).toMatchObject({ status: "failed", error: { code: "HTTP_500" } });
    const failed = r.events.find((e) => e.type === "node.failed");
    expect(failed && "error" in failed && failed.error.message).toContain(MASK);
    expect(everything(r)).not.toContain(HEADER_VALUE);
  });

  it("does not carry the credential on to another origin on a redirect", async () => {
    echo.redirectTo = `${other.url}/landed`;
    const r = await runHttp({ credentialId: "cred_bearer" }, "/hop");
    expect(r.outcome).toMatchObject({ status: "succeeded" });
    expect(echo.seen[0].authorization).toBe(`Bearer ${TOKEN}`);
    expect(other.seen[0].authorization).toBeUndefined();
  });

  it("fails with a clear code for a missing credential, a wrong type, or no credential store", async () => {
    const missing = await runHttp({ credentialId: "cred_gone" });
    expect(missing.outcome).toMatchObject({ status: "failed", error: { code: "CREDENTIAL_NOT_FOUND" } });
    const wrong = await runHttp({ credentialId: "cred_openai" });
    expect(wrong.outcome).toMatchObject({ status: "failed", error: { code: "CREDENTIAL_TYPE_MISMATCH" } });
    expect(everything(wrong)).not.toContain("sk-SECRET-openai-778899");
    const none = await runHttp({ credentialId: "cred_bearer" }, "/echo", createDefaultServices());
    expect(none.outcome).toMatchObject({ status: "failed", error: { code: "CREDENTIAL_UNAVAILABLE" } });
    expect(echo.seen).toHaveLength(0);
  });

  it("refuses to run a node that still names a credential from an imported file", () => {
    expect(() =>
      compileWorkflow(
        buildWorkflow(
          [
            ["start", "start", { fields: [] }],
            ["call", "http-request", { url: `${echo.url}/echo`, allowedHosts: ["127.0.0.1"], auth: { credentialName: "Prod API" } }],
          ],
          ["start->call"],
        ),
        createDefaultServices({ credentials: store }),
      ),
    ).toThrow(/Prod API/);
  });
});

describe("Agent credentials", () => {
  const agentRun = (config: Record<string, unknown>, env: Record<string, string> = {}) =>
    collectRun(
      compileWorkflow(
        buildWorkflow(
          [
            ["start", "start", { fields: [{ name: "q" }] }],
            ["ag", "agent", { role: "Helper", prompt: "{{q}}", ...config }],
            ["out", "output", { value: "{{ag}}" }],
          ],
          ["start->ag", "ag->out"],
        ),
        createDefaultServices({ credentials: store, models: { env: { OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_BASE_URL: fake.url, ...env } } }),
      ),
      { runId: `agent${++counter}`, input: { q: "hi" } },
    );

  it("calls the model with the credential's key instead of the environment's", async () => {
    fake.reply({ text: ["hello"] });
    const r = await agentRun({ model: "openai:gpt-test", credentialId: "cred_openai" }, { OPENAI_API_KEY: "sk-env-default-000" });
    expect(r.outcome).toMatchObject({ status: "succeeded", result: "hello" });
    expect(fake.requests[0].headers.authorization).toBe("Bearer sk-SECRET-openai-778899");
    expect(everything(r)).not.toContain("sk-SECRET-openai-778899");
  });

  it("keeps the environment key as the default when no credential is set", async () => {
    fake.reply({ text: ["hello"] });
    await agentRun({ model: "openai:gpt-test" }, { OPENAI_API_KEY: "sk-env-default-000" });
    expect(fake.requests[0].headers.authorization).toBe("Bearer sk-env-default-000");
  });

  it("uses an Anthropic credential for anthropic models and refuses it for openai ones", async () => {
    fake.reply({ text: ["hej"] });
    const ok = await agentRun({ model: "anthropic:claude-test", credentialId: "cred_anthropic" });
    expect(ok.outcome).toMatchObject({ status: "succeeded" });
    expect(fake.requests[0].headers["x-api-key"]).toBe("sk-ant-SECRET-445566");
    const bad = await agentRun({ model: "openai:gpt-test", credentialId: "cred_anthropic" });
    expect(bad.outcome).toMatchObject({ status: "failed", error: { code: "CREDENTIAL_TYPE_MISMATCH" } });
  });

  it("masks the key when the provider echoes it in an error", async () => {
    fake.reply({ status: 401, message: "Incorrect API key provided: sk-SECRET-openai-778899" });
    const r = await agentRun({ model: "openai:gpt-test", credentialId: "cred_openai" });
    expect(r.outcome).toMatchObject({ status: "failed", error: { code: "MODEL_AUTH_FAILED" } });
    expect(everything(r)).not.toContain("sk-SECRET-openai-778899");
  });
});
