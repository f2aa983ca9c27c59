import { isIP } from "node:net";

/**
 * What kind of network an address belongs to, for the HTTP request node's egress rule: only "public"
 * is reachable unless the server's admin allows more (egress-policy.ts).
 */
export type AddressClass = "public" | "loopback" | "private" | "carrier-grade-nat" | "link-local" | "unspecified" | "multicast" | "cloud-metadata" | "reserved";

/** Words for messages: `… resolves to 10.0.0.5, a private (RFC 1918 / ULA) address`. */
export const ADDRESS_CLASS_LABEL: Record<AddressClass, string> = {
  public: "public",
  loopback: "loopback",
  private: "private (RFC 1918 / ULA)",
  "carrier-grade-nat": "carrier-grade NAT (100.64.0.0/10)",
  "link-local": "link-local",
  unspecified: "unspecified",
  multicast: "multicast",
  "cloud-metadata": "cloud metadata",
  reserved: "reserved or documentation",
};

/** An address as a number, with its family (IPv4-mapped IPv6 stays IPv6 here; see `embeddedIPv4`). */
export interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseIPv6(text: string): bigint | null {
  let s = text.replace(/^\[|\]$/g, "").replace(/%.*$/, ""); // brackets of URLs, zone ids (fe80::1%eth0)
  if (isIP(s) !== 6) return null;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const v4 = parseIPv4(tail[1]);
    if (v4 === null) return null;
    s = `${s.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = s.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const r = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - r.length).fill("0"), ...r];
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses a literal IPv4 (dotted decimal, as URLs and DNS give them) or IPv6 address; null otherwise. */
export function parseAddress(text: string): ParsedAddress | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === null ? null : { family: 6, value: v6 };
}

const inV4 = (v: bigint, base: string, bits: number) => v >> BigInt(32 - bits) === parseIPv4(base)! >> BigInt(32 - bits);
const inV6 = (v: bigint, base: string, bits: number) => v >> BigInt(128 - bits) === parseIPv6(base)! >> BigInt(128 - bits);

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one that the network would reach:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
export function embeddedIPv4(v6: bigint): bigint | null {
  if (v6 >> 32n === 0xffffn || (v6 >> 32n === 0n && v6 > 0xffffn)) return v6 & 0xffffffffn;
  if (inV6(v6, "64:ff9b::", 96)) return v6 & 0xffffffffn;
  if (inV6(v6, "2002::", 16)) return (v6 >> 80n) & 0xffffffffn;
  return null;
}

function classifyV4(v: bigint): AddressClass {
  if (v === 0n) return "unspecified";
  if (v === parseIPv4("169.254.169.254") || v === parseIPv4("169.254.170.2") || v === parseIPv4("100.100.100.200")) return "cloud-metadata";
  if (inV4(v, "127.0.0.0", 8)) return "loopback";
  if (inV4(v, "10.0.0.0", 8) || inV4(v, "172.16.0.0", 12) || inV4(v, "192.168.0.0", 16)) return "private";
  if (inV4(v, "100.64.0.0", 10)) return "carrier-grade-nat";
  if (inV4(v, "169.254.0.0", 16)) return "link-local";
  if (inV4(v, "224.0.0.0", 4)) return "multicast";
  const reserved: [string, number][] = [
    ["0.0.0.0", 8], // "this network"
    ["192.0.0.0", 24], // IETF protocol assignments
    ["192.0.2.0", 24], // documentation
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
    ["192.88.99.0", 24], // 6to4 relay anycast
    ["198.18.0.0", 15], // benchmarking
    ["240.0.0.0", 4], // future use and the broadcast address
  ];
  return reserved.some(([b, n]) => inV4(v, b, n)) ? "reserved" : "public";
}

function classifyV6(v: bigint): AddressClass {
  if (v === 0n) return "unspecified";
  if (v === 1n) return "loopback";
  const v4 = embeddedIPv4(v);
  if (v4 !== null) return classifyV4(v4);
  if (v === parseIPv6("fd00:ec2::254")) return "cloud-metadata";
  if (inV6(v, "fc00::", 7) || inV6(v, "fec0::", 10) || inV6(v, "64:ff9b:1::", 48)) return "private";
  if (inV6(v, "fe80::", 10)) return "link-local";
  if (inV6(v, "ff00::", 8)) return "multicast";
  if (inV6(v, "2001:db8::", 32) || inV6(v, "100::", 64) || inV6(v, "2001::", 32) || inV6(v, "::", 8)) return "reserved";
  return "public";
}

/** The class of a literal address; an unparsable text is "reserved" (never reachable by mistake). */
export function classifyAddress(text: string): AddressClass {
  const a = parseAddress(text);
  if (!a) return "reserved";
  return a.family === 4 ? classifyV4(a.value) : classifyV6(a.value);
}

/** An address range, `10.0.0.0/8` or `fd00::/8`; a bare address is a range of one. */
export interface Cidr {
  text: string;
  family: 4 | 6;
  base: bigint;
  bits: number;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address; null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const a = parseAddress(addr);
  if (!a) return null;
  const max = a.family === 4 ? 32 : 128;
  const bits = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(bits >= 0 && bits <= max)) return null;
  return { text: text.trim(), family: a.family, base: a.value >> BigInt(max - bits), bits };
}

/** Whether `address` is inside `cidr` (an IPv4-mapped IPv6 address matches IPv4 ranges). */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const a = parseAddress(address);
  if (!a) return false;
  let { family, value } = a;
  if (family === 6 && cidr.family === 4 && value >> 32n === 0xffffn) {
    family = 4;
    value &= 0xffffffffn;
  }
  if (family !== cidr.family) return false;
  const max = family === 4 ? 32 : 128;
  return value >> BigInt(max - cidr.bits) === cidr.base;
}
