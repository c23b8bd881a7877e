import ipaddr from 'ipaddr.js';

/**
 * Decides which hosts and addresses a request may reach. Only globally routable unicast
 * addresses pass by default: loopback, private, link-local, CGNAT, multicast, unspecified,
 * reserved and the IPv6 transition ranges that can embed an IPv4 address are refused.
 * The allowlist (hostnames, `.suffix` domains, IPs or CIDRs) opens holes for intranets and tests.
 */
export interface AddressGuard {
  /** True when the hostname itself is allowlisted: its addresses are not checked. */
  isTrustedHost(hostname: string): boolean;
  /** True when a connection to this IP address is allowed. */
  isAllowedAddress(address: string): boolean;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function createAddressGuard(allowlist: readonly string[] = []): AddressGuard {
  const cidrs: Cidr[] = [];
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of allowlist) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else if (entry.startsWith('.')) suffixes.push(entry);
    else hosts.add(entry);
  }
  return {
    isTrustedHost(hostname) {
      const host = hostname.toLowerCase().replace(/\.$/, '');
      return hosts.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
    isAllowedAddress(address) {
      const ip = parseAddress(address);
      if (!ip) return false;
      if (cidrs.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return true;
      return ip.range() === 'unicast';
    },
  };
}

/** Parses an address, unwrapping IPv4-mapped IPv6 (`::ffff:127.0.0.1`) to the IPv4 it carries. */
export function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return null;
  return ipaddr.process(bare);
}

function parseCidr(entry: string): Cidr | null {
  if (entry.includes('/')) {
    try {
      return ipaddr.parseCIDR(entry);
    } catch {
      return null;
    }
  }
  const ip = parseAddress(entry);
  if (!ip) return null;
  return [ip, ip.kind() === 'ipv4' ? 32 : 128];
}
