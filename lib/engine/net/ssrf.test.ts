import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { collectRun, compileWorkflow, createDefaultServices, type EngineServices } from "../index";
import { buildWorkflow } from "../testing";
import { EngineError } from "../errors";
import { checkHostname, egressPolicyFromEnv, type EgressPolicy } from "./egress-policy";
import { classifyAddress, cidrContains, parseCidr, type AddressClass } from "./ip-address";
import type { Resolver } from "./guarded-fetch";

// Nothing here leaves the machine: targets are 127.0.0.0/8 and "localhost"; other ranges come from a
// stubbed resolver and are refused before any connection is tried.

const CLOSED: EgressPolicy = { allowPrivate: false, hosts: [], cidrs: [] };

const ADDRESSES: [string, AddressClass][] = [
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["::1", "loopback"],
  ["0.0.0.0", "unspecified"],
  ["::", "unspecified"],
  ["10.0.0.1", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["fc00::1", "private"],
  ["fd12:3456::1", "private"],
  ["fec0::1", "private"],
  ["100.64.0.1", "carrier-grade-nat"],
  ["100.127.255.255", "carrier-grade-nat"],
  ["169.254.1.1", "link-local"],
  ["fe80::1", "link-local"],
  ["fe80::1%eth0", "link-local"],
  ["169.254.169.254", "cloud-metadata"],
  ["169.254.170.2", "cloud-metadata"],
  ["100.100.100.200", "cloud-metadata"],
  ["fd00:ec2::254", "cloud-metadata"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["ff02::1", "multicast"],
  ["255.255.255.255", "reserved"],
  ["240.0.0.1", "reserved"],
  ["0.1.2.3", "reserved"],
  ["192.0.2.1", "reserved"],
  ["198.18.0.1", "reserved"],
  ["2001:db8::1", "reserved"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["0:0:0:0:0:ffff:a9fe:a9fe", "cloud-metadata"],
  ["::ffff:10.0.0.1", "private"],
  ["::127.0.0.1", "loopback"],
  ["64:ff9b::a9fe:a9fe", "cloud-metadata"],
  ["64:ff9b::7f00:1", "loopback"],
  ["2002:7f00:1::", "loopback"],
  ["2002:c0a8:101::1", "private"],
  ["not-an-address", "reserved"],
  ["8.8.8.8", "public"],
  ["93.184.216.34", "public"],
  ["172.32.0.1", "public"],
  ["100.128.0.1", "public"],
  ["2606:4700:4700::1111", "public"],
  ["::ffff:8.8.8.8", "public"],
];

describe("address classes", () => {
  it.each(ADDRESSES)("%s is %s", (address, cls) => expect(classifyAddress(address)).toBe(cls));

  it("ranges match across IPv4-mapped IPv6", () => {
    expect(cidrContains(parseCidr("127.0.0.0/8")!, "::ffff:127.0.0.9")).toBe(true);
    expect(cidrContains(parseCidr("10.1.0.0/16")!, "10.2.0.1")).toBe(false);
    expect(cidrContains(parseCidr("fd00::/8")!, "fd12::1")).toBe(true);
    expect(parseCidr("10.0.0.0/33")).toBeNull();
  });
});

/** URL spellings of forbidden targets: each is refused by the URL check, before any lookup. */
const HOSTILE_URLS: string[] = [
  "http://127.0.0.1/",
  "http://2130706433/", // decimal 127.0.0.1
  "http://0x7f000001/", // hex
  "http://0177.0.0.1/", // octal
  "http://0x7f.1/",
  "http://127.1/",
  "http://127.0.0.1./",
  "http://0/",
  "http://0.0.0.0:8080/",
  "http://[::1]/",
  "http://[::]/",
  "http://[::ffff:127.0.0.1]/",
  "http://[0:0:0:0:0:ffff:7f00:1]/",
  "http://169.254.169.254/latest/meta-data/",
  "http://2852039166/", // decimal 169.254.169.254
  "http://[::ffff:169.254.169.254]/",
  "http://[fd00:ec2::254]/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://METADATA.google.internal./",
  "http://metadata/",
  "http://100.100.100.200/",
  "http://10.0.0.1/",
  "http://012.0.0.1/", // octal 10.0.0.1
  "http://172.16.0.1/",
  "http://192.168.0.1/",
  "http://0xc0.0xa8.0.1/",
  "http://100.64.0.1/",
  "http://[fe80::1]/",
  "http://[fc00::1]/",
  "http://224.0.0.1/",
  "http://[ff02::1]/",
  "http://255.255.255.255/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://[2002:a9fe:a9fe::1]/",
  "https://user:pass@127.0.0.1:443/",
];

describe("URL spellings of forbidden targets", () => {
  it.each(HOSTILE_URLS)("%s is refused", (raw) => {
    expect(() => checkHostname(CLOSED, new URL(raw).hostname)).toThrow(expect.objectContaining({ code: "HTTP_TARGET_FORBIDDEN" }));
  });

  it("public literals pass; metadata stays closed under AURA_HTTP_ALLOW_PRIVATE unless allowlisted", () => {
    expect(() => checkHostname(CLOSED, new URL("http://93.184.216.34/").hostname)).not.toThrow();
    const open = egressPolicyFromEnv({ AURA_HTTP_ALLOW_PRIVATE: "1" });
    expect(() => checkHostname(open, "10.0.0.1")).not.toThrow();
    expect(() => checkHostname(open, "169.254.169.254")).toThrow(/cloud metadata/);
    expect(() => checkHostname(open, "metadata.google.internal")).toThrow(/cloud metadata/);
    const named = egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "metadata.google.internal, 169.254.169.254/32" });
    expect(() => checkHostname(named, "metadata.google.internal")).not.toThrow();
    expect(() => checkHostname(named, "169.254.169.254")).not.toThrow();
  });

  it("reads the admin's variables and refuses a malformed allowlist", () => {
    expect(egressPolicyFromEnv({})).toEqual(CLOSED);
    expect(egressPolicyFromEnv({ AURA_HTTP_ALLOW_PRIVATE: "0" }).allowPrivate).toBe(false);
    const p = egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "api.internal, *.corp.example ,10.0.0.0/8,fd00::/8,127.0.0.1" });
    expect(p.hosts).toEqual(["api.internal", "*.corp.example"]);
    expect(p.cidrs.map((c) => c.text)).toEqual(["10.0.0.0/8", "fd00::/8", "127.0.0.1"]);
    expect(() => egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "10.0.0.0/99" })).toThrow(/AURA_HTTP_ALLOWLIST entry "10.0.0.0\/99"/);
    expect(() => egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "http://x/" })).toThrow(EngineError);
  });
});

let server: Server;
let port = 0;
const seen: { url?: string; host?: string; authorization?: string; method?: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url, host: req.headers.host, authorization: req.headers.authorization, method: req.method });
    const to = (location: string, status = 302) => res.writeHead(status, { location }).end();
    if (req.url === "/json") return res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    if (req.url === "/gzip") return res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync('{"zipped":true}'));
    if (req.url === "/to-loopback-2") return to(`http://127.0.0.2:${port}/json`);
    if (req.url === "/to-private") return to("http://evil.test/latest/meta-data/");
    if (req.url === "/to-metadata") return to("http://169.254.169.254/latest/meta-data/");
    if (req.url === "/to-self") return to(`/json`);
    if (req.url === "/loop") return to("/loop");
    if (req.url === "/see-other") return to(`http://127.0.0.1:${port}/json`, 303);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "0.0.0.0", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A resolver stub: name → addresses, each call taking the next answer when a list of answers is given. */
function stubResolver(answers: Record<string, string[] | string[][]>): Resolver {
  const calls: Record<string, number> = {};
  return async (host) => {
    const a = answers[host];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    const i = (calls[host] = (calls[host] ?? 0) + 1) - 1;
    const list = Array.isArray(a[0]) ? (a as string[][])[Math.min(i, a.length - 1)] : (a as string[]);
    return list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

let counter = 0;
async function call(url: string, services: Partial<EngineServices>, extra: Record<string, unknown> = {}) {
  const allowedHosts = [new URL(url).hostname.replace(/^\[|\]$/g, ""), "*.test", "127.0.0.1", "127.0.0.2", "localhost", "169.254.169.254"];
  const doc = buildWorkflow(
    [
      ["start", "start", {}],
      ["h", "http-request", { url, allowedHosts, timeoutMs: 3000, ...extra }],
      ["out", "output", { value: "{{json h}}" }],
    ],
    ["start->h", "h->out"],
  );
  const { outcome } = await collectRun(compileWorkflow(doc, createDefaultServices({ models: { env: {} }, ...services })), {
    runId: `s${++counter}`,
    input: {},
  });
  return { code: outcome.error?.code, message: outcome.error?.message ?? "", result: outcome.result as { status: number; body: unknown } | undefined };
}

describe("HTTP request node: the egress rule after DNS and on every redirect", () => {
  const loop = () => `http://127.0.0.1:${port}`;

  it("refuses loopback by default, naming the host and the address class", async () => {
    const r = await call(`${loop()}/json`, { egressPolicy: CLOSED });
    expect(r.code).toBe("HTTP_TARGET_FORBIDDEN");
    expect(r.message).toMatch(/"127\.0\.0\.1".*loopback.*AURA_HTTP_ALLOW_PRIVATE/);
  });

  it("refuses a name after resolving it (localhost through the OS resolver)", async () => {
    const r = await call(`http://localhost:${port}/json`, { egressPolicy: CLOSED });
    expect(r.code).toBe("HTTP_TARGET_FORBIDDEN");
    expect(r.message).toMatch(/"localhost": it resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  const STUBBED: [name: string, host: string, addresses: string[], policy: EgressPolicy, cls: RegExp][] = [
    ["private name", "internal.test", ["10.1.2.3"], CLOSED, /10\.1\.2\.3, a private/],
    ["CGNAT name", "cgnat.test", ["100.64.9.9"], CLOSED, /carrier-grade NAT/],
    ["link-local name", "ll.test", ["fe80::5"], CLOSED, /link-local/],
    ["ULA name", "ula.test", ["fd00:1::5"], CLOSED, /private/],
    ["metadata by address, even with ALLOW_PRIVATE", "meta.test", ["169.254.169.254"], { ...CLOSED, allowPrivate: true }, /cloud metadata/],
    ["AWS IPv6 metadata", "meta6.test", ["fd00:ec2::254"], { ...CLOSED, allowPrivate: true }, /cloud metadata/],
    ["mapped IPv6 loopback", "mapped.test", ["::ffff:127.0.0.1"], CLOSED, /loopback/],
    ["one bad address among good ones", "mixed.test", ["93.184.216.34", "127.0.0.1"], CLOSED, /127\.0\.0\.1, a loopback/],
    ["multicast name", "mc.test", ["239.1.1.1"], CLOSED, /multicast/],
    ["unspecified name", "zero.test", ["0.0.0.0"], CLOSED, /unspecified/],
    ["allowlisted range does not cover another", "other.test", ["10.9.0.1"], { ...CLOSED, cidrs: [parseCidr("10.1.0.0/16")!] }, /private/],
  ];
  it.each(STUBBED)("refuses a %s before connecting", async (_n, host, addresses, policy, cls) => {
    const r = await call(`http://${host}:${port}/json`, { egressPolicy: policy, resolveHost: stubResolver({ [host]: addresses }) });
    expect(r.code).toBe("HTTP_TARGET_FORBIDDEN");
    expect(r.message).toMatch(cls);
  });

  it("the node's Allowed hosts never open what the admin closed", async () => {
    expect((await call(`${loop()}/json`, { egressPolicy: CLOSED })).code).toBe("HTTP_TARGET_FORBIDDEN");
  });

  it("connects to the checked address (the stub's answer), with the admin's allowlist", async () => {
    const resolveHost = stubResolver({ "api.test": ["127.0.0.1"] });
    seen.length = 0;
    const byName = await call(`http://api.test:${port}/json`, { egressPolicy: egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "api.test" }), resolveHost });
    expect(byName.result?.body).toEqual({ ok: true });
    expect(seen[0].host).toBe(`api.test:${port}`); // it reached our server on 127.0.0.1, as the stub said
    const byRange = await call(`${loop()}/gzip`, { egressPolicy: egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "127.0.0.1/32" }) });
    expect(byRange.result?.body).toEqual({ zipped: true });
  });

  it("checks every redirect hop: another loopback address, a private name, a metadata address", async () => {
    const only1 = egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "127.0.0.1/32" });
    const toLoop2 = await call(`${loop()}/to-loopback-2`, { egressPolicy: only1 });
    expect(toLoop2.code).toBe("HTTP_TARGET_FORBIDDEN");
    expect(toLoop2.message).toMatch(/127\.0\.0\.2/);
    const toPrivate = await call(`${loop()}/to-private`, { egressPolicy: only1, resolveHost: stubResolver({ "evil.test": ["10.0.0.7"] }) });
    expect(toPrivate.message).toMatch(/"evil\.test": it resolves to 10\.0\.0\.7/);
    const toMeta = await call(`${loop()}/to-metadata`, { egressPolicy: { ...only1, allowPrivate: true } });
    expect(toMeta.code).toBe("HTTP_TARGET_FORBIDDEN");
    expect(toMeta.message).toMatch(/cloud metadata/);
  });

  it("has no DNS-rebinding window: a name that changes its answer between hops is checked again", async () => {
    // First answer 127.0.0.1 (allowed by range), second 10.0.0.1: the redirect to the same name is refused.
    const resolveHost = stubResolver({ "rebind.test": [["127.0.0.1"], ["10.0.0.1"]] });
    const policy = egressPolicyFromEnv({ AURA_HTTP_ALLOWLIST: "127.0.0.1/32" });
    const r = await call(`http://rebind.test:${port}/to-self`, { egressPolicy: policy, resolveHost });
    expect(r.code).toBe("HTTP_TARGET_FORBIDDEN");
    expect(r.message).toMatch(/rebind\.test": it resolves to 10\.0\.0\.1/);
  });

  it("caps redirects, turns a 303 into GET and drops credentials across origins", async () => {
    const open = egressPolicyFromEnv({ AURA_HTTP_ALLOW_PRIVATE: "1" });
    expect((await call(`${loop()}/loop`, { egressPolicy: open })).code).toBe("HTTP_TOO_MANY_REDIRECTS");
    seen.length = 0;
    const resolveHost = stubResolver({ "a.test": ["127.0.0.1"] });
    const r = await call(
      `http://a.test:${port}/see-other`,
      { egressPolicy: open, resolveHost },
      {
        method: "POST",
        body: "x",
        headers: [{ name: "authorization", value: "Bearer secret" }],
      },
    );
    expect(r.result?.body).toEqual({ ok: true });
    expect(seen.map((s) => [s.method, s.authorization])).toEqual([
      ["POST", "Bearer secret"],
      ["GET", undefined],
    ]);
  });

  it("reads AURA_HTTP_ALLOW_PRIVATE from the environment when no policy is injected", async () => {
    const before = process.env.AURA_HTTP_ALLOW_PRIVATE;
    try {
      delete process.env.AURA_HTTP_ALLOW_PRIVATE;
      expect((await call(`${loop()}/json`, {})).code).toBe("HTTP_TARGET_FORBIDDEN");
      process.env.AURA_HTTP_ALLOW_PRIVATE = "1";
      expect((await call(`${loop()}/json`, {})).result?.body).toEqual({ ok: true });
      process.env.AURA_HTTP_ALLOW_PRIVATE = "0";
      process.env.AURA_HTTP_ALLOWLIST = "not a host!";
      expect((await call(`${loop()}/json`, {})).message).toMatch(/AURA_HTTP_ALLOWLIST entry/);
    } finally {
      delete process.env.AURA_HTTP_ALLOWLIST;
      if (before === undefined) delete process.env.AURA_HTTP_ALLOW_PRIVATE;
      else process.env.AURA_HTTP_ALLOW_PRIVATE = before;
    }
  });
});
