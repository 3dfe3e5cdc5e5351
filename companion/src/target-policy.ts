/**
 * Where a team companion may connect on a client's word. A paired client chooses the IMAP/SMTP hosts and,
 * for the generic provider, the token endpoint; a companion that serves a team (bound beyond loopback, or
 * given a public name) would otherwise let any team member probe the server's own network: loopback
 * services, the cloud metadata address, the office LAN. So in team mode every such target is resolved and
 * refused when an address is not public, unless the admin allowlisted it (--allow-internal-host).
 * Addresses the admin configured with --resolve are the admin's choice and always allowed.
 * A single admin's companion on loopback is left alone: its own user may well run a local mail server.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import type { ResolveRule } from './outbound';

/** The range names (ipaddr.js) of the only addresses a team companion reaches without an allowlist entry. */
const PUBLIC_RANGES = new Set(['unicast']);

export function isAddressOrRange(value: string): boolean {
  return ipaddr.isValid(value) || isCidr(value);
}

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

/** 127.0.0.0/8, ::1, localhost: a listener only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  return normalized(ipaddr.parse(host)).range() === 'loopback';
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is. */
function normalized(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  return !!address && ipaddr.isValid(address) && normalized(ipaddr.parse(address)).range() === 'loopback';
}

/** Refused by the target policy; `code` lets the diagnosis and the API name it. */
export class TargetNotAllowedError extends Error {
  readonly code = 'TARGET_NOT_ALLOWED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      `${host} is ${host === address ? '' : `at ${address}, `}a ${range} address: this team companion only ` +
        'connects to public mail and token servers.',
    );
    this.name = 'TargetNotAllowedError';
  }
}

export interface TargetPolicy {
  /** False for a companion only its own machine can call: nothing is checked. */
  readonly enforced: boolean;
  /** Throws TargetNotAllowedError when `address` (what `host` resolved to) may not be reached. */
  check(host: string, address: string): void;
  /**
   * Resolves `host` (every address) and checks each, unless a --resolve rule sends host:port elsewhere;
   * a name that does not resolve is left to the verification to report.
   */
  checkEndpoint(host: string, port: number): Promise<void>;
}

export function createTargetPolicy(options: {
  enforced: boolean;
  allowInternalHosts: readonly string[];
  resolve: readonly ResolveRule[];
}): TargetPolicy {
  const names = new Set(options.allowInternalHosts.filter((h) => !isAddressOrRange(h)).map((h) => h.toLowerCase()));
  const single = (h: string): [ipaddr.IPv4 | ipaddr.IPv6, number] => {
    const address = ipaddr.parse(h);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  };
  const ranges = options.allowInternalHosts
    .filter(isAddressOrRange)
    .map((h) => (isCidr(h) ? ipaddr.parseCIDR(h) : single(h)));
  const allowed = (host: string, address: ipaddr.IPv4 | ipaddr.IPv6) =>
    names.has(host.toLowerCase()) ||
    ranges.some(([base, bits]) => {
      if (base.kind() !== address.kind()) return false;
      return address.match(base, bits);
    });

  const check = (host: string, address: string) => {
    if (!options.enforced) return;
    const parsed = ipaddr.isValid(address) ? normalized(ipaddr.parse(address)) : undefined;
    if (!parsed) throw new TargetNotAllowedError(host, address, 'unparseable');
    const range = parsed.range();
    if (PUBLIC_RANGES.has(range) || allowed(host, parsed)) return;
    throw new TargetNotAllowedError(host, address, range);
  };

  return {
    enforced: options.enforced,
    check,
    async checkEndpoint(host, port) {
      if (!options.enforced || options.resolve.some((r) => r.host === host.toLowerCase() && r.port === port)) return;
      const bare = host.replace(/^\[(.*)\]$/, '$1');
      if (net.isIP(bare)) return check(host, bare);
      let found: Array<{ address: string }>;
      try {
        found = await lookup(bare, { all: true });
      } catch {
        return;
      }
      for (const { address } of found) check(host, address);
    },
  };
}
