import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_PROVIDER_SETTINGS, type ProviderSettings } from "../../contracts/providers-api";
import { realClock } from "./clock";
import { ResilienceRegistry } from "./registry";
import { RateLimiter } from "./rate-limiter";

// A fake clock: vitest's fake timers drive Date.now (which cockatiel reads) and setTimeout (realClock.after) together.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => vi.useRealTimers());

const settings = (over: Partial<ProviderSettings> = {}): ProviderSettings => ({ ...DEFAULT_PROVIDER_SETTINGS, ...over });

async function call(reg: ResilienceRegistry, outcome: "success" | "failure" | "neutral" | "cancelled", key = "model:openai") {
  const a = await reg.admit("ws", { key, tokens: 0 });
  if (a.status !== "admitted") return a;
  reg.settle(a.ticket, outcome, { reason: "HTTP 500" });
  await vi.advanceTimersByTimeAsync(0);
  return a;
}

describe("circuit breaker state machine", () => {
  it("opens after N failures within the window, fails fast, probes once after the cool-down, closes on success", async () => {
    const reg = new ResilienceRegistry({ settings: () => settings({ failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000 }) });
    await call(reg, "failure");
    await call(reg, "failure");
    expect(reg.status("ws")[0].state).toBe("closed");
    await call(reg, "failure");
    const [open] = reg.status("ws");
    expect(open.state).toBe("open");
    expect(open.probeAt).toBe(Date.now() + 5_000);
    const refused = await reg.admit("ws", { key: "model:openai", tokens: 0 });
    expect(refused.status).toBe("open");
    expect(refused.status === "open" && refused.message).toMatch(
      /model provider "openai" is open since 2023-11-14T22:13:20.000Z after 3 failures within 10 s \(last: HTTP 500\); it lets one probe call through at 2023-11-14T22:13:25.000Z/,
    );

    await vi.advanceTimersByTimeAsync(5_000);
    const probe = await reg.admit("ws", { key: "model:openai", tokens: 0 });
    expect(probe).toMatchObject({ status: "admitted", probe: true });
    expect(reg.status("ws")[0].state).toBe("half-open");
    // One probe only: others fail fast while it is in flight.
    expect((await reg.admit("ws", { key: "model:openai", tokens: 0 })).status).toBe("open");
    reg.settle(probe.status === "admitted" ? probe.ticket : "", "success");
    await vi.advanceTimersByTimeAsync(0);
    const closed = reg.status("ws")[0];
    expect(closed.state).toBe("closed");
    expect(closed.history.map((h) => h.state)).toEqual(["open", "half-open", "closed"]);
    expect((await reg.admit("ws", { key: "model:openai", tokens: 0 })).status).toBe("admitted");
  });

  it("counts failures only within the window", async () => {
    const reg = new ResilienceRegistry({ settings: () => settings({ failureThreshold: 2, windowMs: 1_000 }) });
    await call(reg, "failure");
    await vi.advanceTimersByTimeAsync(1_500);
    await call(reg, "failure");
    expect(reg.status("ws")[0].state).toBe("closed");
    await call(reg, "failure");
    expect(reg.status("ws")[0].state).toBe("open");
  });

  it("does not count failures that are not the provider's (4xx, cancelled)", async () => {
    const reg = new ResilienceRegistry({ settings: () => settings({ failureThreshold: 1 }) });
    await call(reg, "neutral");
    await call(reg, "cancelled");
    expect(reg.status("ws")[0]).toMatchObject({ state: "closed", recentFailures: 0 });
  });

  it("a failed probe re-opens for another cool-down", async () => {
    const reg = new ResilienceRegistry({ settings: () => settings({ failureThreshold: 1, cooldownMs: 1_000 }) });
    await call(reg, "failure");
    await vi.advanceTimersByTimeAsync(1_000);
    await call(reg, "failure");
    const s = reg.status("ws")[0];
    expect(s.state).toBe("open");
    expect(s.probeAt).toBe(Date.now() + 1_000);
    expect(s.history.map((h) => h.state)).toEqual(["open", "half-open", "open"]);
  });

  it("keeps breakers per scope and key", async () => {
    const reg = new ResilienceRegistry({ settings: () => settings({ failureThreshold: 1 }) });
    await call(reg, "failure", "model:openai");
    expect((await reg.admit("ws", { key: "model:anthropic", tokens: 0 })).status).toBe("admitted");
    expect((await reg.admit("other", { key: "model:openai", tokens: 0 })).status).toBe("admitted");
    expect(reg.status("ws").map((s) => [s.key, s.state])).toEqual([
      ["model:anthropic", "closed"],
      ["model:openai", "open"],
    ]);
  });

  it("applies changed thresholds to an existing breaker, keeping its failures", async () => {
    let threshold = 5;
    const reg = new ResilienceRegistry({ settings: () => settings({ failureThreshold: threshold }) });
    await call(reg, "failure");
    await call(reg, "failure");
    threshold = 3;
    await call(reg, "failure");
    expect(reg.status("ws")[0].state).toBe("open");
  });
});

describe("rate limiter", () => {
  it("lets calls wait in FIFO order and releases them as the bucket refills", async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 2, tokensPerMinute: 0 }, realClock);
    expect(limiter.take(0)).toBeNull();
    expect(limiter.take(0)).toBeNull();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => {
      const w = limiter.take(0)!;
      void w.done.then(() => order.push(n));
      return w;
    });
    expect(waits.map((w) => [w.position, w.limit])).toEqual([
      [1, "requests"],
      [2, "requests"],
      [3, "requests"],
    ]);
    expect(waits[0].etaMs).toBe(30_000);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual([1]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(order).toEqual([1, 2, 3]);
  });

  it("limits tokens per minute, corrects estimates after the call, and never lets a later call overtake", async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 0, tokensPerMinute: 600 }, realClock);
    expect(limiter.take(100)).toBeNull();
    limiter.adjust(400); // the call used 500, not 100: 100 left
    const big = limiter.take(300)!;
    expect(big.limit).toBe("tokens");
    const small = limiter.take(10)!; // would fit now, but waits behind the big one
    expect(small).not.toBeNull();
    const order: string[] = [];
    void big.done.then(() => order.push("big"));
    void small.done.then(() => order.push("small"));
    await vi.advanceTimersByTimeAsync(19_999); // 200 more tokens take 20 s at 10/s
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual(["big"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual(["big", "small"]);
  });

  it("a cancelled waiter leaves the line and the next one moves up", async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 1, tokensPerMinute: 0 }, realClock);
    limiter.take(0);
    const a = limiter.take(0)!;
    const b = limiter.take(0)!;
    a.cancel(new Error("gone"));
    await expect(a.done).rejects.toThrow("gone");
    expect(limiter.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(b.done).resolves.toBeUndefined();
  });
});

describe("registry: rate limit then breaker", () => {
  it("queues over the limit; wait() answers with the time waited", async () => {
    const reg = new ResilienceRegistry({ settings: () => settings({ requestsPerMinute: 1 }) });
    expect((await reg.admit("ws", { key: "model:x", tokens: 0 })).status).toBe("admitted");
    const q = await reg.admit("ws", { key: "model:x", tokens: 0 });
    expect(q).toMatchObject({ status: "queued", position: 1, limit: "requests" });
    expect(reg.status("ws")[0].waiting).toBe(1);
    const turn = reg.wait(q.status === "queued" ? q.ticket : "");
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(turn).resolves.toEqual({ status: "admitted", waitedMs: 60_000, probe: false });
  });

  it("a settled-as-cancelled queued ticket makes wait() answer expired", async () => {
    const reg = new ResilienceRegistry({ settings: () => settings({ requestsPerMinute: 1 }) });
    await reg.admit("ws", { key: "model:x", tokens: 0 });
    const q = await reg.admit("ws", { key: "model:x", tokens: 0 });
    const ticket = q.status === "queued" ? q.ticket : "";
    const turn = reg.wait(ticket);
    reg.settle(ticket, "cancelled");
    await expect(turn).resolves.toMatchObject({ status: "expired" });
    expect(reg.status("ws")[0].waiting).toBe(0);
  });
});
