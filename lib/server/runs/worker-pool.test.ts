import { describe, expect, it } from "vitest";
import { poolSize, sandboxThreadsPerWorker } from "./worker-pool";

describe("poolSize", () => {
  it("leaves the main thread a core when the process also serves HTTP (role all)", () => {
    expect(poolSize({}, 2)).toBe(1);
    expect(poolSize({ AURA_ROLE: "all" }, 8)).toBe(7);
  });
  it("never goes below one worker", () => {
    expect(poolSize({}, 1)).toBe(1);
  });
  it("gives a queue-mode worker process every core", () => {
    expect(poolSize({ AURA_ROLE: "worker" }, 2)).toBe(2);
  });
  it("takes AURA_WORKERS when it is a positive integer", () => {
    expect(poolSize({ AURA_WORKERS: "3" }, 2)).toBe(3);
    expect(poolSize({ AURA_WORKERS: "0" }, 4)).toBe(3);
    expect(poolSize({ AURA_WORKERS: "two" }, 4)).toBe(3);
  });
});

describe("sandboxThreadsPerWorker", () => {
  it("spreads about one sandbox thread per core over the pool, at least one each", () => {
    expect(sandboxThreadsPerWorker({}, 1, 2)).toBe(2);
    expect(sandboxThreadsPerWorker({}, 2, 2)).toBe(1);
    expect(sandboxThreadsPerWorker({}, 7, 8)).toBe(1);
    expect(sandboxThreadsPerWorker({}, 4, 2)).toBe(1);
  });
  it("takes AURA_SANDBOX_WORKERS when it is a positive integer", () => {
    expect(sandboxThreadsPerWorker({ AURA_SANDBOX_WORKERS: "3" }, 2, 2)).toBe(3);
    expect(sandboxThreadsPerWorker({ AURA_SANDBOX_WORKERS: "-1" }, 1, 2)).toBe(2);
  });
});
