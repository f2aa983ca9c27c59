import { describe, expect, it } from "vitest";
import { connectionFacts, isLoopback } from "./client-ip";

describe("client address", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["10.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["unknown", false],
    ["127.0.0.1.evil.test", false],
  ])("%s is loopback: %s", (ip, loop) => expect(isLoopback(ip)).toBe(loop));

  it("ignores X-Forwarded-* unless the proxy is trusted, and then takes the address the proxy saw", () => {
    expect(connectionFacts("127.0.0.1", false, "203.0.113.9", "https", false)).toEqual({ ip: "127.0.0.1", tls: false });
    expect(connectionFacts("127.0.0.1", false, "6.6.6.6, 203.0.113.9", "https", true)).toEqual({ ip: "203.0.113.9", tls: true });
    expect(connectionFacts("10.0.0.2", true, undefined, undefined, true)).toEqual({ ip: "10.0.0.2", tls: true });
  });
});
