import { EngineError, EngineErrorCode } from "../errors";
import { ADDRESS_CLASS_LABEL, cidrContains, classifyAddress, parseAddress, parseCidr, type Cidr } from "./ip-address";

/**
 * The server admin's rule for where HTTP request nodes may connect. Public addresses always; the rest
 * (loopback, private, link-local, cloud metadata …) only when the admin says so:
 * - `AURA_HTTP_ALLOW_PRIVATE=1`: every non-public address except cloud metadata endpoints;
 * - `AURA_HTTP_ALLOWLIST=host,*.corp.example,10.1.0.0/16,fd00::/8`: these hostnames (exact, or
 *   `*.` for subdomains) and address ranges, metadata endpoints included when named.
 * A node's own "Allowed hosts" list is a further restriction by the workflow's author, never a way
 * around this rule.
 */
export interface EgressPolicy {
  allowPrivate: boolean;
  hosts: string[];
  cidrs: Cidr[];
}

/** Hostnames of cloud metadata services (they resolve to link-local addresses inside the cloud). */
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.azure.internal",
]);

const normalizeHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");

/** Whether `host` matches an entry: exact, or `*.example.com` for its subdomains. */
export function hostMatches(host: string, entries: readonly string[]): boolean {
  const h = normalizeHost(host);
  return entries.some((e) => {
    const rule = normalizeHost(e.trim());
    return rule.startsWith("*.") ? h.endsWith(rule.slice(1)) : h === rule;
  });
}

/** Reads the policy from the environment; a malformed AURA_HTTP_ALLOWLIST entry throws (fail closed, say which). */
export function egressPolicyFromEnv(env: Record<string, string | undefined>): EgressPolicy {
  const allowPrivate = /^(1|true|yes)$/i.test(env.AURA_HTTP_ALLOW_PRIVATE?.trim() ?? "");
  const hosts: string[] = [];
  const cidrs: Cidr[] = [];
  for (const raw of (env.AURA_HTTP_ALLOWLIST ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const cidr = /[/:]/.test(entry) || /^[\d.]+$/.test(entry) ? parseCidr(entry) : null;
    if (cidr) cidrs.push(cidr);
    else if (/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/i.test(entry)) hosts.push(entry.toLowerCase());
    else
      throw new EngineError(
        EngineErrorCode.HTTP_TARGET_FORBIDDEN,
        `AURA_HTTP_ALLOWLIST entry "${entry}" is neither a hostname (api.internal, *.corp.example) nor an address range (10.0.0.0/8, fd00::/8); fix the server's environment.`,
      );
  }
  return { allowPrivate, hosts, cidrs };
}

const HOW_TO_ALLOW = "The server's admin can allow it with AURA_HTTP_ALLOW_PRIVATE=1 or by adding the host or a range to AURA_HTTP_ALLOWLIST.";

/** Refuses a hostname before any lookup: cloud metadata names (unless the admin allowlist names them). */
export function checkHostname(policy: EgressPolicy, host: string): void {
  const h = normalizeHost(host);
  if (METADATA_HOSTS.has(h) && !hostMatches(h, policy.hosts))
    throw new EngineError(EngineErrorCode.HTTP_TARGET_FORBIDDEN, `Refused to call "${h}": it is a cloud metadata endpoint. ${HOW_TO_ALLOW}`);
  if (parseAddress(h)) checkAddress(policy, h, h);
}

/**
 * Refuses `address` (what `host` resolved to, or the host itself when it is a literal address)
 * unless it is public or the admin's policy allows it. The message names the host, the address and
 * its class.
 */
export function checkAddress(policy: EgressPolicy, host: string, address: string): void {
  const cls = classifyAddress(address);
  if (cls === "public") return;
  if (hostMatches(host, policy.hosts) || policy.cidrs.some((c) => cidrContains(c, address))) return;
  if (policy.allowPrivate && cls !== "cloud-metadata") return;
  const h = normalizeHost(host);
  const where = h === normalizeHost(address) ? `${address} is` : `it resolves to ${address},`;
  throw new EngineError(EngineErrorCode.HTTP_TARGET_FORBIDDEN, `Refused to call "${h}": ${where} a ${ADDRESS_CLASS_LABEL[cls]} address. ${HOW_TO_ALLOW}`);
}
