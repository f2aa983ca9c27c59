import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "../../contracts/events";
import { DEFAULT_PROVIDER_SETTINGS, type ProviderSettings } from "../../contracts/providers-api";
import { collectRun, compileWorkflow, createDefaultServices } from "../index";
import { buildWorkflow, type NodeSpec } from "../testing";
import { startFakeLlmServer, type FakeLlmServer } from "../models/fixtures/fake-llm-server";
import type { ResilienceClock } from "./clock";
import { ResilienceRegistry } from "./registry";

/**
 * Breakers and rate limits through real workflow runs: the real OpenAI / Anthropic clients against the
 * fake LLM server, which fails, slows down and recovers on cue.
 */
let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeLlmServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const env = () => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: fake.url });
let counter = 0;

function runAgent(
  registry: ResilienceRegistry,
  agent: Record<string, unknown>,
  opts: { before?: NodeSpec[]; edges?: string[]; q?: string; policy?: NodeSpec[3] } = {},
) {
  const nodes: NodeSpec[] = [
    ["start", "start", { fields: [{ name: "q" }] }],
    ...(opts.before ?? []),
    ["ag", "agent", { role: "Helper", prompt: "Question: {{q}}", ...agent }, opts.policy],
    ["out", "output", { value: "{{ag}}" }],
  ];
  const resilience = registry.forScope("ws");
  const services = createDefaultServices({ models: { env: env(), resilience }, resilience });
  return collectRun(compileWorkflow(buildWorkflow(nodes, opts.edges ?? ["start->ag", "ag->out"]), services), {
    runId: `res${++counter}`,
    input: { q: opts.q ?? "hi" },
  });
}

const settingsOf = (over: Partial<ProviderSettings>) => (): ProviderSettings => ({ ...DEFAULT_PROVIDER_SETTINGS, ...over });
const failedOf = (events: EngineEvent[]) => events.find((e) => e.type === "node.failed" && e.nodeId === "ag") as Extract<EngineEvent, { type: "node.failed" }>;

describe("circuit breaker with a failing provider", () => {
  it("opens after N provider failures; then fails fast with CIRCUIT_OPEN without calling the provider", async () => {
    const registry = new ResilienceRegistry({ settings: settingsOf({ failureThreshold: 2, windowMs: 60_000, cooldownMs: 60_000 }) });
    fake.reply({ status: 500, message: "boom" }, { status: 502, message: "bad gateway" });
    for (let i = 0; i < 2; i++) expect(failedOf((await runAgent(registry, { model: "openai:gpt-test" })).events).error.code).toBe("MODEL_SERVER_ERROR");
    const started = Date.now();
    const { events, outcome } = await runAgent(registry, { model: "openai:gpt-test" });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome.status).toBe("failed");
    const err = failedOf(events).error;
    expect(err.code).toBe("CIRCUIT_OPEN");
    expect(err.message).toMatch(
      /model provider "openai" is open since .* after 2 failures within 60 s \(last: .*HTTP 502.*\); it lets one probe call through at /,
    );
    expect(fake.requests).toHaveLength(2);
    expect(registry.status("ws")[0]).toMatchObject({ key: "model:openai", state: "open" });
  });

  it("does not count a 4xx caused by the request", async () => {
    const registry = new ResilienceRegistry({ settings: settingsOf({ failureThreshold: 1 }) });
    fake.reply({ status: 400, message: "bad request" }, { status: 401, message: "bad key" });
    await runAgent(registry, { model: "openai:gpt-test" });
    await runAgent(registry, { model: "openai:gpt-test" });
    expect(registry.status("ws")[0]).toMatchObject({ state: "closed", recentFailures: 0 });
  });

  it("counts a provider that slows down past the node's timeout", async () => {
    const registry = new ResilienceRegistry({ settings: settingsOf({ failureThreshold: 1 }) });
    fake.reply({ text: ["slow ", "answer"], chunkDelayMs: 2_000 });
    const { events } = await runAgent(registry, { model: "openai:gpt-test" }, { policy: { timeoutMs: 300 } });
    expect(failedOf(events).error.code).toBe("NODE_TIMEOUT");
    await new Promise((r) => setTimeout(r, 20)); // the settle message is fire-and-forget
    expect(registry.status("ws")[0].state).toBe("open");
  });

  it("a Model router's agent moves to the next candidate while the first provider's breaker is open", async () => {
    const registry = new ResilienceRegistry({ settings: settingsOf({ failureThreshold: 1, cooldownMs: 60_000 }) });
    fake.reply({ status: 503, message: "overloaded" });
    await runAgent(registry, { model: "openai:gpt-test" });
    fake.reset();
    fake.reply({ text: ["from anthropic"] });
    const candidates = [
      { model: "openai:gpt-test", quality: "high", costPer1kTokens: 5, latencyMs: 100 },
      { model: "anthropic:claude-test", quality: "medium", costPer1kTokens: 1, latencyMs: 100 },
    ];
    const { outcome, events } = await runAgent(
      registry,
      { model: "" },
      {
        before: [["mr", "model-router", { policy: "best-quality", minQuality: "medium", fallback: true, candidates }]],
        edges: ["start->mr", "mr->ag", "ag->out"],
      },
    );
    expect(outcome.status).toBe("succeeded");
    expect(outcome.result).toBe("from anthropic");
    expect(fake.requests.map((r) => r.path)).toEqual(["/v1/messages"]); // openai was not called
    const fin = events.find((e) => e.type === "node.finished" && e.nodeId === "ag") as Extract<EngineEvent, { type: "node.finished" }>;
    expect(fin.detail?.fallbackFrom).toEqual([{ model: "openai:gpt-test", code: "CIRCUIT_OPEN", message: expect.stringMatching(/is open since/) }]);
  });

  it("lets one probe through after the cool-down; a success closes the breaker", async () => {
    const registry = new ResilienceRegistry({ settings: settingsOf({ failureThreshold: 1, cooldownMs: 300 }) });
    fake.reply({ status: 500, message: "down" });
    await runAgent(registry, { model: "openai:gpt-test" });
    expect((await runAgent(registry, { model: "openai:gpt-test" })).outcome.status).toBe("failed"); // fast, still open
    expect(fake.requests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 350));
    fake.reply({ text: ["recovered"] });
    const { outcome } = await runAgent(registry, { model: "openai:gpt-test" });
    expect(outcome.result).toBe("recovered");
    await new Promise((r) => setTimeout(r, 20));
    const s = registry.status("ws")[0];
    expect(s.state).toBe("closed");
    expect(s.history.map((h) => h.state)).toEqual(["open", "half-open", "closed"]);
  });
});

/** A clock whose timers fire only on `advance` (Date.now is real; only the limiter reads this clock here). */
function manualClock(): ResilienceClock & { advance(ms: number): Promise<void> } {
  let offset = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const now = () => Date.now() + offset;
  return {
    now,
    after(ms, fn) {
      const t = { at: now() + ms, fn };
      timers.push(t);
      return () => void timers.splice(timers.indexOf(t) >>> 0, timers.includes(t) ? 1 : 0);
    },
    async advance(ms) {
      offset += ms;
      for (const t of timers.filter((x) => x.at <= now())) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
      await new Promise((r) => setTimeout(r, 50));
    },
  };
}

describe("rate limit with backpressure", () => {
  it("calls over the limit wait in order, show node.throttled live, and go as the minute refills", async () => {
    const clock = manualClock();
    const registry = new ResilienceRegistry({ settings: settingsOf({ requestsPerMinute: 1 }), clock });
    fake.reply({ text: ["one"] }, { text: ["two"] }, { text: ["three"] });
    const first = await runAgent(registry, { model: "openai:gpt-test" }, { q: "one" });
    expect(first.outcome.result).toBe("one");
    const second = runAgent(registry, { model: "openai:gpt-test" }, { q: "two" });
    await new Promise((r) => setTimeout(r, 100));
    const third = runAgent(registry, { model: "openai:gpt-test" }, { q: "three" });
    await new Promise((r) => setTimeout(r, 100));
    expect(registry.status("ws")[0].waiting).toBe(2);
    expect(fake.requests).toHaveLength(1);
    await clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests).toHaveLength(2);
    await clock.advance(60_000);
    const [b, c] = await Promise.all([second, third]);
    expect(b.outcome.result).toBe("two");
    expect(c.outcome.result).toBe("three");
    // FIFO: the provider saw the prompts in the order the calls came.
    expect(fake.requests.map((r) => r.body.messages.at(-1).content)).toEqual(["Question: one", "Question: two", "Question: three"]);
    const throttled = (events: EngineEvent[]) =>
      events
        .filter((e): e is Extract<EngineEvent, { type: "node.throttled" }> => e.type === "node.throttled")
        .map(({ phase, position, waitedMs, limit, provider }) => ({ phase, position, waitedMs, limit, provider }));
    expect(throttled(b.events)).toEqual([
      { phase: "waiting", position: 1, limit: "requests", provider: "model:openai", waitedMs: undefined },
      { phase: "admitted", waitedMs: expect.any(Number), provider: "model:openai", position: undefined, limit: undefined },
    ]);
    expect(throttled(c.events)[0]).toMatchObject({ phase: "waiting", position: 2 });
    expect(throttled(c.events)[1].waitedMs).toBeGreaterThanOrEqual(120_000);
  });

  it("a call that waits longer than the node's timeout fails with NODE_TIMEOUT and leaves the line", async () => {
    const clock = manualClock();
    const registry = new ResilienceRegistry({ settings: settingsOf({ requestsPerMinute: 1 }), clock });
    fake.reply({ text: ["one"] });
    await runAgent(registry, { model: "openai:gpt-test" });
    const { events } = await runAgent(registry, { model: "openai:gpt-test" }, { policy: { timeoutMs: 300 } });
    expect(failedOf(events).error.code).toBe("NODE_TIMEOUT");
    await new Promise((r) => setTimeout(r, 20));
    expect(registry.status("ws")[0]).toMatchObject({ waiting: 0, state: "closed" });
  });
});
