import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { ChatOpenAI } from "@langchain/openai";
import type { EngineEvent } from "../../contracts/events";
import { collectRun, compileWorkflow, createDefaultServices } from "../index";
import { buildWorkflow, type NodeSpec } from "../testing";
import { startFakeLlmServer, type FakeLlmServer, type RecordedRequest } from "./fixtures/fake-llm-server";
import type { ModelSettings } from "./resolve";

/**
 * The real providers (ChatOpenAI / ChatAnthropic through LangChain) against a local fake server that
 * speaks their wire protocols: tokens, usage, tool calls, prompts, errors, retries and fallbacks,
 * each through a real workflow run.
 */
let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeLlmServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Body = Record<string, any>;
interface Provider {
  name: "openai" | "anthropic";
  model: string;
  env: (url: string) => Record<string, string>;
  path: string;
  apiKey: (r: RecordedRequest) => string | undefined;
  system: (b: Body) => string;
  user: (b: Body) => string;
  tools: (b: Body) => { name: string; parameters: Body }[];
  toolResult: (b: Body) => { id: string; content: string } | undefined;
  toolChoiceNone: (b: Body) => boolean;
}

const PROVIDERS: Provider[] = [
  {
    name: "openai",
    model: "openai:gpt-test",
    env: (url) => ({ OPENAI_API_KEY: "sk-test-openai", OPENAI_BASE_URL: `${url}/v1` }),
    path: "/v1/chat/completions",
    apiKey: (r) => r.headers.authorization?.replace(/^Bearer /, ""),
    system: (b) =>
      b.messages
        .filter((m: Body) => m.role === "system")
        .map((m: Body) => m.content)
        .join("\n"),
    user: (b) => b.messages.find((m: Body) => m.role === "user").content,
    tools: (b) => (b.tools ?? []).map((t: Body) => ({ name: t.function.name, parameters: t.function.parameters })),
    toolResult: (b) => {
      const m = b.messages.find((x: Body) => x.role === "tool");
      return m && { id: m.tool_call_id, content: m.content };
    },
    toolChoiceNone: (b) => b.tool_choice === "none",
  },
  {
    name: "anthropic",
    model: "anthropic:claude-test",
    env: (url) => ({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: url }),
    path: "/v1/messages",
    apiKey: (r) => r.headers["x-api-key"] as string | undefined,
    system: (b) => (typeof b.system === "string" ? b.system : (b.system ?? []).map((x: Body) => x.text).join("\n")),
    user: (b) => {
      const c = b.messages[0].content;
      return typeof c === "string" ? c : c.map((x: Body) => x.text).join("");
    },
    tools: (b) => (b.tools ?? []).map((t: Body) => ({ name: t.name, parameters: t.input_schema })),
    toolResult: (b) => {
      for (const m of b.messages)
        for (const block of Array.isArray(m.content) ? m.content : []) {
          if (block.type === "tool_result")
            return { id: block.tool_use_id, content: typeof block.content === "string" ? block.content : block.content.map((x: Body) => x.text).join("") };
        }
      return undefined;
    },
    toolChoiceNone: (b) => b.tool_choice?.type === "none",
  },
];

const ofType = <T extends EngineEvent["type"]>(events: EngineEvent[], type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
const finishedOf = (events: EngineEvent[], nodeId: string) => ofType(events, "node.finished").find((e) => e.nodeId === nodeId);
let counter = 0;

/** start(q, city) → [nodes…] → output of {{ag}}; `extra` wires tools or a router. */
async function run(
  models: ModelSettings,
  agent: Record<string, unknown>,
  opts: { policy?: NodeSpec[3]; before?: NodeSpec[]; tools?: NodeSpec[]; edges?: string[]; input?: Record<string, unknown> } = {},
) {
  const nodes: NodeSpec[] = [
    ["start", "start", { fields: [{ name: "q" }, { name: "city", required: false }] }],
    ...(opts.before ?? []),
    ["ag", "agent", { role: "Weather Helper", systemPrompt: "Answer in one sentence.", prompt: "Question: {{q}}", ...agent }, opts.policy],
    ...(opts.tools ?? []),
    ["out", "output", { value: "{{ag}}" }],
  ];
  const edges = opts.edges ?? ["start->ag", "ag->out", ...(opts.tools ?? []).map(([id]) => `ag->${id}:tools`)];
  const doc = buildWorkflow(nodes, edges);
  return collectRun(compileWorkflow(doc, createDefaultServices({ models })), {
    runId: `prov${++counter}`,
    input: opts.input ?? { q: "Is it sunny?", city: "Bergen" },
  });
}

describe.each(PROVIDERS)("$name provider against a fake server", (p) => {
  const models = () => ({ env: p.env(fake.url) });

  it("streams tokens in order, reports the provider's usage, and sends the model, role, prompt and key", async () => {
    fake.reply({ text: ["Yes, ", "it is ", "sunny ", "in Bergen."], usage: { input: 42, output: 7 } });
    const { outcome, events } = await run(models(), { model: p.model });
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toBe("Yes, it is sunny in Bergen.");
    const tokens = ofType(events, "token").filter((e) => e.nodeId === "ag");
    expect(tokens.map((t) => t.text)).toEqual(["Yes, ", "it is ", "sunny ", "in Bergen."]);
    expect(tokens.every((t) => t.model === p.model)).toBe(true);

    const fin = finishedOf(events, "ag")!;
    expect(fin.tokens).toEqual({ input: 42, output: 7 });
    expect(fin.model).toBe(p.model);
    expect(fin.detail?.modelLabel).toBe(`${p.model.split(":")[1]} (${p.name})`);
    expect(fin.costUsd).toBeUndefined(); // no price known for this model: no cost rather than a false $0
    expect(ofType(events, "run.finished")[0].tokens).toEqual({ input: 42, output: 7 });

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.path).toBe(p.path);
    expect(p.apiKey(req)).toBe(p.env("")[p.name === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"]);
    expect(req.body.model).toBe(p.model.split(":")[1]);
    expect(req.body.stream).toBe(true);
    if (p.name === "openai") expect(req.body.stream_options).toEqual({ include_usage: true });
    expect(p.system(req.body)).toBe("You are the Weather Helper.\n\nAnswer in one sentence.");
    expect(p.user(req.body)).toBe("Question: Is it sunny?");
  });

  it("runs the tool loop: the model calls a wired tool, gets its result, then answers", async () => {
    fake.reply(
      { text: ["Let me check. "], toolCalls: [{ id: "call_w1", name: "weather-tool", args: { city: "Oslo" } }], usage: { input: 30, output: 9 } },
      { text: ["Sunny ", "in Oslo."], usage: { input: 50, output: 4 } },
    );
    const { outcome, events } = await run(
      models(),
      { model: p.model, maxSteps: 2 },
      { tools: [["weather-tool", "template", { template: "Forecast: sunny in {{city}}" }]] },
    );
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toBe("Sunny in Oslo.");

    const toolEvents = events.filter((e) => "nodeId" in e && e.nodeId === "weather-tool");
    expect(toolEvents.map((e) => e.type)).toEqual(["node.started", "node.finished"]);
    expect((toolEvents[0] as { calledBy?: string }).calledBy).toBe("ag");
    const fin = finishedOf(events, "ag")!;
    expect(fin.tokens).toEqual({ input: 80, output: 13 });
    expect(fin.detail).toMatchObject({ steps: 2, toolCalls: 1 });

    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests.map((r) => r.body);
    expect(p.tools(first)).toEqual([
      { name: "weather-tool", parameters: { type: "object", properties: { city: { type: "string", description: expect.any(String) } } } },
    ]);
    expect(p.toolChoiceNone(first)).toBe(false);
    expect(p.toolResult(first)).toBeUndefined();
    // The model's argument (Oslo) wins over the run's value (Bergen), and the result goes back under the call's id.
    expect(p.toolResult(second)).toEqual({ id: "call_w1", content: "Forecast: sunny in Oslo" });
    // The last step (maxSteps 2) must answer: tools still described, tool choice "none".
    expect(p.tools(second).map((t) => t.name)).toEqual(["weather-tool"]);
    expect(p.toolChoiceNone(second)).toBe(true);
  });

  it("a 401 fails the node with MODEL_AUTH_FAILED naming the provider and status, without retrying it", async () => {
    fake.reply({ status: 401, message: "Invalid API key provided." });
    const { outcome, events } = await run(
      models(),
      { model: p.model },
      { policy: { retry: { maxAttempts: 3, initialDelayMs: 0, backoffFactor: 1, retryOn: ["MODEL_SERVER_ERROR", "MODEL_RATE_LIMITED"] } } },
    );
    expect(outcome.status).toBe("failed");
    expect(outcome.error?.code).toBe("MODEL_AUTH_FAILED");
    expect(outcome.error?.nodeId).toBe("ag");
    const failed = ofType(events, "node.failed").find((e) => e.nodeId === "ag")!;
    expect(failed.error.code).toBe("MODEL_AUTH_FAILED");
    expect(failed.error.message).toBe(
      `Model provider "${p.name}" (model "${p.model.split(":")[1]}") answered HTTP 401: Invalid API key provided. Check the API key (${p.name === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"}).`,
    );
    expect(failed.error.message).not.toMatch(/\n|\bat \S+:\d+|Troubleshooting/);
    expect(ofType(events, "node.retrying")).toHaveLength(0);
    expect(fake.requests).toHaveLength(1); // neither the SDK nor the node retried
  });

  it("a 500 is MODEL_SERVER_ERROR, and the node's retry policy retries it", async () => {
    fake.reply({ status: 500, message: "upstream exploded" }, { text: ["Recovered."], usage: { input: 5, output: 2 } });
    const { outcome, events } = await run(
      models(),
      { model: p.model },
      { policy: { retry: { maxAttempts: 2, initialDelayMs: 0, backoffFactor: 1, retryOn: ["MODEL_SERVER_ERROR"] } } },
    );
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toBe("Recovered.");
    const retrying = ofType(events, "node.retrying").filter((e) => e.nodeId === "ag");
    expect(retrying).toHaveLength(1);
    expect(retrying[0].error.code).toBe("MODEL_SERVER_ERROR");
    expect(retrying[0].error.message).toMatch(new RegExp(`^Model provider "${p.name}" .* answered HTTP 500: upstream exploded\\.`));
    expect(finishedOf(events, "ag")).toMatchObject({ attempt: 2, tokens: { input: 5, output: 2 } });
    expect(fake.requests).toHaveLength(2);

    fake.reply({ status: 500, message: "still down" });
    const noRetry = await run(models(), { model: p.model });
    expect(noRetry.outcome.error).toMatchObject({ code: "MODEL_SERVER_ERROR", nodeId: "ag" });
    expect(noRetry.outcome.error?.message).toMatch(/HTTP 500: still down/);
  });

  it("a node timeout aborts the streaming request before the retry starts", async () => {
    fake.reply({ text: ["slow ", "tokens ", "keep ", "coming ", "forever"], chunkDelayMs: 400 }, { text: ["Fast."] });
    const { outcome, events } = await run(
      models(),
      { model: p.model },
      { policy: { timeoutMs: 1200, retry: { maxAttempts: 2, initialDelayMs: 0, backoffFactor: 1, retryOn: [] } } },
    );
    expect(outcome.result).toBe("Fast.");
    expect(ofType(events, "node.retrying").find((e) => e.nodeId === "ag")?.error.code).toBe("NODE_TIMEOUT");
    expect(fake.requests).toHaveLength(2);
    // The timed-out attempt's HTTP stream was closed when it timed out (its 5 chunks would take 2 s),
    // not left running beside the retry. The server hears that close and the retry's request on two
    // sockets, in either order when they come together: a few ms of slack, far below the 800 ms the
    // stream had left.
    const [slow, fast] = fake.requests;
    expect(slow.abortedAt).toBeDefined();
    expect(slow.abortedAt! - slow.receivedAt).toBeLessThan(5 * 400);
    expect(slow.abortedAt!).toBeLessThanOrEqual(fast.receivedAt + 100);
  });

  it("the model router falls back to the next candidate when this provider fails", async () => {
    const other = PROVIDERS.find((x) => x.name !== p.name)!;
    fake.reply({ status: 503, message: "overloaded" }, { text: ["From ", "the fallback."], usage: { input: 600, output: 400 } });
    const candidates = [
      { model: p.model, quality: "high", costPer1kTokens: 5, latencyMs: 100 },
      { model: other.model, quality: "medium", costPer1kTokens: 0.5, latencyMs: 100 },
    ];
    const { outcome, events } = await run(
      { env: { ...p.env(fake.url), ...other.env(fake.url) } },
      { model: "" },
      {
        before: [["mr", "model-router", { policy: "best-quality", minQuality: "medium", fallback: true, candidates }]],
        edges: ["start->mr", "mr->ag", "ag->out"],
      },
    );
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toBe("From the fallback.");
    expect(fake.requests.map((r) => r.path)).toEqual([p.path, other.path]);
    const fin = finishedOf(events, "ag")!;
    expect(fin.model).toBe(other.model);
    expect(fin.tokens).toEqual({ input: 600, output: 400 });
    expect(fin.costUsd).toBe(0.5); // (600 + 400) / 1000 × $0.5, from the provider's usage and the router's price
    expect(fin.detail?.fallbackFrom).toEqual([{ model: p.model, code: "MODEL_SERVER_ERROR", message: expect.stringMatching(/HTTP 503: overloaded/) }]);
    expect(ofType(events, "run.finished")[0].costUsd).toBe(0.5);
  });
});

describe("provider configuration", () => {
  it("the offline Simulated model stays the default with no key, and even with a key unless a default model is set", async () => {
    const none = await run({ env: {} }, { model: "" });
    expect(finishedOf(none.events, "ag")).toMatchObject({ model: "offline:simulated", costUsd: 0, detail: { modelLabel: "Simulated model" } });
    const keyOnly = await run({ env: PROVIDERS[0].env(fake.url) }, { model: "" });
    expect(finishedOf(keyOnly.events, "ag")!.model).toBe("offline:simulated");
    expect(fake.requests).toHaveLength(0);

    fake.reply({ text: ["real"] });
    const withDefault = await run({ env: { ...PROVIDERS[0].env(fake.url), AURA_DEFAULT_MODEL: "openai:gpt-default" } }, { model: "" });
    expect(withDefault.outcome.result).toBe("real");
    expect(fake.requests[0].body.model).toBe("gpt-default");
  });

  it("an OpenAI-compatible server without a key (vLLM) and an Anthropic base URL ending in /v1 both work", async () => {
    fake.reply({ text: ["from vllm"] }, { text: ["from claude"] });
    const vllm = await run({ env: { VLLM_BASE_URL: `${fake.url}/v1` } }, { model: "vllm:llama-3" });
    expect(vllm.outcome.result).toBe("from vllm");
    const claude = await run({ providers: { anthropic: { type: "anthropic", apiKey: "k", baseUrl: `${fake.url}/v1/` } } }, { model: "anthropic:claude-test" });
    expect(claude.outcome.result).toBe("from claude");
    expect(fake.requests.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/messages"]);
  });

  it("a server that is not there gives MODEL_UNREACHABLE with the URL", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const r = await run({ env: { OLLAMA_BASE_URL: `http://127.0.0.1:${closed}/v1` } }, { model: "ollama:llama3" });
    expect(r.outcome.error?.code).toBe("MODEL_UNREACHABLE");
    expect(r.outcome.error?.message).toMatch(new RegExp(`"ollama" .* could not be reached at http://127.0.0.1:${closed}/v1.*ECONNREFUSED`));
  });

  it("the fake server also answers non-streamed chat completions", async () => {
    fake.reply({ text: ["whole ", "answer"], usage: { input: 3, output: 2 } });
    const msg = await new ChatOpenAI({ model: "m", apiKey: "k", streaming: false, maxRetries: 0, configuration: { baseURL: `${fake.url}/v1` } }).invoke("hi");
    expect(msg.content).toBe("whole answer");
    expect(msg.usage_metadata).toMatchObject({ input_tokens: 3, output_tokens: 2 });
    expect(fake.requests[0].body.stream).toBeFalsy();
  });
});
