import { describe, expect, it } from "vitest";
import { createSignInLimiter } from "./sign-in-limiter";

describe("sign-in limiter", () => {
  const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };
  const setup = () => {
    let now = 1_000_000;
    const limiter = createSignInLimiter(limits, () => now);
    return { limiter, tick: (ms: number) => (now += ms) };
  };

  it("blocks an account after its failures, from any address, until the window has passed", () => {
    const { limiter, tick } = setup();
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("ada@x.test", `10.0.0.${i}`)).toBe(0);
      limiter.fail("ada@x.test", `10.0.0.${i}`);
      tick(1000);
    }
    expect(limiter.retryAfter("ADA@x.test", "10.9.9.9")).toBe(57); // the first failure (3 s ago) leaves the window in 57 s
    expect(limiter.retryAfter("bob@x.test", "10.9.9.9")).toBe(0);
    tick(57_000);
    expect(limiter.retryAfter("ada@x.test", "10.9.9.9")).toBe(0);
  });

  it("blocks an address that tries many accounts", () => {
    const { limiter } = setup();
    for (let i = 0; i < 5; i++) limiter.fail(`user${i}@x.test`, "192.0.2.1");
    expect(limiter.retryAfter("someone-new@x.test", "192.0.2.1")).toBeGreaterThan(0);
    expect(limiter.retryAfter("someone-new@x.test", "192.0.2.2")).toBe(0);
  });

  it("a success clears the account's count but not the address's", () => {
    const { limiter } = setup();
    for (let i = 0; i < 2; i++) limiter.fail("ada@x.test", "192.0.2.1");
    limiter.succeed("ada@x.test");
    limiter.fail("ada@x.test", "192.0.2.1");
    limiter.fail("ada@x.test", "192.0.2.1");
    expect(limiter.retryAfter("ada@x.test", "192.0.2.9")).toBe(0);
    limiter.fail("ada@x.test", "192.0.2.1");
    expect(limiter.retryAfter("other@x.test", "192.0.2.1")).toBeGreaterThan(0); // 5 from this address
  });
});
