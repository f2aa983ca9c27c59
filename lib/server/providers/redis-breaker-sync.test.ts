// Breakers shared by two "processes" (two registries, two Redis connections) over a real Redis:
// opened in one, open in the other; one probe between them; closed in both. Skipped without Redis
// unless AURA_REQUIRE_REDIS=1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "redis";
import { DEFAULT_PROVIDER_SETTINGS } from "@/lib/contracts/providers-api";
import { ResilienceRegistry } from "@/lib/engine/resilience/registry";
import { connectBreakerSync } from "./redis-breaker-sync";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `h_breakers_test_${process.pid}_${Date.now()}:`;
let reachable = true;
beforeAll(async () => {
  const c = createClient({ url: REDIS_URL });
  c.on("error", () => {});
  try {
    await c.connect();
    await c.quit();
  } catch {
    c.destroy();
    reachable = false;
    if (process.env.AURA_REQUIRE_REDIS === "1") throw new Error(`Redis not reachable at ${REDIS_URL}`);
  }
});
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  if (!reachable) return;
  const c = createClient({ url: REDIS_URL });
  await c.connect();
  for (const k of await c.keys(`${prefix}*`)) await c.del(k);
  await c.quit();
});

const settings = () => ({ ...DEFAULT_PROVIDER_SETTINGS, failureThreshold: 1, cooldownMs: 400 });
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return check();
};

async function processWithSync() {
  const registry = new ResilienceRegistry({ settings });
  const sync = await connectBreakerSync(REDIS_URL, registry, { prefix });
  closers.push(() => sync.close());
  registry.setSync(sync);
  return registry;
}

describe("circuit breakers shared over Redis", () => {
  it("opened by one process, refused in the other; one probe between them; closed in both", async (ctx) => {
    if (!reachable) return ctx.skip();
    const a = await processWithSync();
    const b = await processWithSync();
    const key = "model:openai";
    // B has used the provider before (so it holds a breaker of its own).
    const bFirst = await b.admit("ws", { key, tokens: 0 });
    if (bFirst.status === "admitted") b.settle(bFirst.ticket, "success");
    // A fails once: open (threshold 1), published.
    const aCall = await a.admit("ws", { key, tokens: 0 });
    expect(aCall.status).toBe("admitted");
    if (aCall.status === "admitted") a.settle(aCall.ticket, "failure", { reason: "HTTP 500" });
    expect(await until(() => b.status("ws")[0]?.state === "open")).toBe(true);
    const refused = await b.admit("ws", { key, tokens: 0 });
    expect(refused).toMatchObject({ status: "open", message: expect.stringMatching(/is open since .*HTTP 500/) });
    expect(b.status("ws")[0].history.at(-1)?.reason).toMatch(/another server/);
    // A process that starts later reads the shared state.
    const c = await processWithSync();
    expect((await c.admit("ws", { key, tokens: 0 })).status).toBe("open");

    // After the cool-down, both try at once: exactly one gets the probe.
    await new Promise((r) => setTimeout(r, 450));
    const [pa, pb] = await Promise.all([a.admit("ws", { key, tokens: 0 }), b.admit("ws", { key, tokens: 0 })]);
    const probes = [pa, pb].filter((x) => x.status === "admitted");
    expect(probes).toHaveLength(1);
    expect([pa, pb].find((x) => x.status === "open")).toMatchObject({ message: expect.stringMatching(/Another server is sending the probe call/) });
    const [winner, other] = pa.status === "admitted" ? [a, b] : [b, a];
    const probe = probes[0];
    if (probe.status === "admitted") winner.settle(probe.ticket, "success");
    expect(await until(() => winner.status("ws")[0].state === "closed" && other.status("ws")[0].state === "closed")).toBe(true);
    expect((await other.admit("ws", { key, tokens: 0 })).status).toBe("admitted");
  });
});
