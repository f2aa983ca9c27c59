import { describe, expect, it } from "vitest";
import { checkCrossOrigin, type CsrfOptions } from "./csrf";

const request = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });
const HOST = { host: "aura.example:3000" };

// Each row: method, headers, options → expected reason (ok follows from the reason).
const cases: [string, string, Record<string, string>, CsrfOptions, string][] = [
  ["GET passes even cross-site", "GET", { ...HOST, "sec-fetch-site": "cross-site", origin: "https://evil.example" }, {}, "SAFE_METHOD"],
  ["HEAD passes", "HEAD", { ...HOST, origin: "https://evil.example" }, {}, "SAFE_METHOD"],
  ["OPTIONS passes", "options", { ...HOST, "sec-fetch-site": "cross-site" }, {}, "SAFE_METHOD"],
  ["same-origin fetch", "POST", { ...HOST, "sec-fetch-site": "same-origin", origin: "http://aura.example:3000" }, {}, "SAME_ORIGIN"],
  ["navigation the user typed", "POST", { ...HOST, "sec-fetch-site": "none" }, {}, "USER_INITIATED"],
  ["cross-site POST", "POST", { ...HOST, "sec-fetch-site": "cross-site", origin: "https://evil.example" }, {}, "CROSS_ORIGIN"],
  ["same-site (sibling subdomain) POST", "POST", { ...HOST, "sec-fetch-site": "same-site", origin: "http://other.aura.example" }, {}, "CROSS_ORIGIN"],
  ["cross-site DELETE", "DELETE", { ...HOST, "sec-fetch-site": "cross-site" }, {}, "CROSS_ORIGIN"],
  [
    "cross-site PUT with a trusted origin",
    "PUT",
    { ...HOST, "sec-fetch-site": "cross-site", origin: "https://ui.example" },
    { trustedOrigins: ["https://ui.example"] },
    "TRUSTED_ORIGIN",
  ],
  ["Sec-Fetch-Site wins over a matching Origin", "POST", { ...HOST, "sec-fetch-site": "cross-site", origin: "http://aura.example:3000" }, {}, "CROSS_ORIGIN"],
  ["old browser, Origin matches Host", "POST", { ...HOST, origin: "http://aura.example:3000" }, {}, "ORIGIN_MATCHES_HOST"],
  ["old browser, Origin matches Host in another case", "POST", { host: "AURA.example:3000", origin: "http://aura.example:3000" }, {}, "ORIGIN_MATCHES_HOST"],
  ["old browser, other port", "POST", { ...HOST, origin: "http://aura.example:4000" }, {}, "CROSS_ORIGIN_OLD_BROWSER"],
  ["old browser, other host", "PATCH", { ...HOST, origin: "https://evil.example" }, {}, "CROSS_ORIGIN_OLD_BROWSER"],
  ["old browser, Origin null (sandboxed frame)", "POST", { ...HOST, origin: "null" }, {}, "CROSS_ORIGIN_OLD_BROWSER"],
  ["old browser, trusted origin", "POST", { ...HOST, origin: "https://ui.example" }, { trustedOrigins: ["https://ui.example"] }, "TRUSTED_ORIGIN"],
  [
    "trusted list does not match a prefix",
    "POST",
    { ...HOST, origin: "https://ui.example.evil" },
    { trustedOrigins: ["https://ui.example"] },
    "CROSS_ORIGIN_OLD_BROWSER",
  ],
  ["no Host and an Origin", "POST", { origin: "https://evil.example" }, {}, "CROSS_ORIGIN_OLD_BROWSER"],
  ["neither header: curl, the CLI", "POST", { ...HOST }, {}, "NOT_A_BROWSER"],
];

describe("checkCrossOrigin (Go 1.25 CrossOriginProtection)", () => {
  it.each(cases)("%s", (_name, method, headers, options, reason) => {
    const verdict = checkCrossOrigin(request(method, headers), options);
    expect(verdict.reason).toBe(reason);
    expect(verdict.ok).toBe(!reason.startsWith("CROSS_ORIGIN"));
  });

  it("says how to fix a refusal", () => {
    const verdict = checkCrossOrigin(request("POST", { ...HOST, "sec-fetch-site": "cross-site", origin: "https://evil.example" }));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(/Cross-origin request refused.*Origin: https:\/\/evil\.example.*Authorization: Bearer/);
  });
});
