import ipaddr from 'ipaddr.js';

/**
 * Decides which hosts and addresses a request may reach. Only globally routable unicast
 * addresses pass by default: loopback, private, link-local, CGNAT, multicast, unspecified,
 * reserved and the IPv6 transition ranges that can embed an IPv4 address are refused.
 * The allowlist (hostnames, `.suffix` domains, IPs or CIDRs) opens holes for intranets and tests;
 * an entry with a port (`127.0.0.1:3999`, `[::1]:3999`, `intranet:8080`) opens that port only.
 */
export interface AddressGuard {
  /** True when the hostname itself is allowlisted (on this port): its addresses are not checked. */
  isTrustedHost(hostname: string, port?: number): boolean;
  /** True when a connection to this IP address (on this port) is allowed. */
  isAllowedAddress(address: string, port?: number): boolean;
  /** True when an entry limited to a port names this host or address: checked again with the port. */
  isAllowedOnSomePort(hostOrAddress: string): boolean;
}

interface PortEntry {
  host: string;
  cidr: Cidr | null;
  port: number;
}

const PORT_ENTRY = /^(\[[^\]]+\]|[^:]+):(\d+)$/;

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function createAddressGuard(allowlist: readonly string[] = []): AddressGuard {
  const cidrs: Cidr[] = [];
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const portEntries: PortEntry[] = [];
  for (const raw of allowlist) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const withPort = PORT_ENTRY.exec(entry);
    if (withPort) {
      const host = (withPort[1] as string).replace(/^\[|\]$/g, '');
      portEntries.push({ host, cidr: parseCidr(host), port: Number(withPort[2]) });
      continue;
    }
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else if (entry.startsWith('.')) suffixes.push(entry);
    else hosts.add(entry);
  }
  return {
    isTrustedHost(hostname, port) {
      const host = hostname.toLowerCase().replace(/\.$/, '');
      if (hosts.has(host) || suffixes.some((suffix) => host.endsWith(suffix))) return true;
      const bare = host.replace(/^\[|\]$/g, '');
      return port !== undefined && portEntries.some((entry) => entry.port === port && entry.host === bare);
    },
    isAllowedAddress(address, port) {
      const ip = parseAddress(address);
      if (!ip) return false;
      if (cidrs.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return true;
      if (port !== undefined && portEntries.some((entry) => entry.port === port && inRange(ip, entry.cidr)))
        return true;
      return ip.range() === 'unicast';
    },
    isAllowedOnSomePort(hostOrAddress) {
      const bare = hostOrAddress
        .toLowerCase()
        .replace(/^\[|\]$/g, '')
        .replace(/\.$/, '');
      const ip = parseAddress(bare);
      return portEntries.some((entry) => entry.host === bare || (ip !== null && inRange(ip, entry.cidr)));
    },
  };
}

const inRange = (ip: ipaddr.IPv4 | ipaddr.IPv6, cidr: Cidr | null) =>
  cidr !== null && cidr[0].kind() === ip.kind() && ip.match(cidr[0], cidr[1]);

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
