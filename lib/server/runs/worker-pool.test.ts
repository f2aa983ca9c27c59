import { describe, expect, it } from "vitest";
import { poolSize, sandboxThreadsPerWorker } from "./worker-pool";

/** An environment with only these variables. */
const env = (vars: Record<string, string> = {}) => vars as NodeJS.ProcessEnv;

describe("poolSize", () => {
  it("leaves the main thread a core when the process also serves HTTP (role all)", () => {
    expect(poolSize(env(), 2)).toBe(1);
    expect(poolSize(env({ AURA_ROLE: "all" }), 8)).toBe(7);
  });
  it("never goes below one worker", () => {
    expect(poolSize(env(), 1)).toBe(1);
  });
  it("gives a queue-mode worker process every core", () => {
    expect(poolSize(env({ AURA_ROLE: "worker" }), 2)).toBe(2);
  });
  it("takes AURA_WORKERS when it is a positive integer", () => {
    expect(poolSize(env({ AURA_WORKERS: "3" }), 2)).toBe(3);
    expect(poolSize(env({ AURA_WORKERS: "0" }), 4)).toBe(3);
    expect(poolSize(env({ AURA_WORKERS: "two" }), 4)).toBe(3);
  });
});

describe("sandboxThreadsPerWorker", () => {
  it("spreads about one sandbox thread per core over the pool, at least one each", () => {
    expect(sandboxThreadsPerWorker(env(), 1, 2)).toBe(2);
    expect(sandboxThreadsPerWorker(env(), 2, 2)).toBe(1);
    expect(sandboxThreadsPerWorker(env(), 7, 8)).toBe(1);
    expect(sandboxThreadsPerWorker(env(), 4, 2)).toBe(1);
  });
  it("takes AURA_SANDBOX_WORKERS when it is a positive integer", () => {
    expect(sandboxThreadsPerWorker(env({ AURA_SANDBOX_WORKERS: "3" }), 2, 2)).toBe(3);
    expect(sandboxThreadsPerWorker(env({ AURA_SANDBOX_WORKERS: "-1" }), 1, 2)).toBe(2);
  });
});
