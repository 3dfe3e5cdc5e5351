/**
 * The companion's own outgoing HTTPS (token endpoints). Two knobs, both for tests, demos and unusual
 * networks: curl-style `--resolve host:port:address[:port]` (the request keeps its URL, Host header and TLS
 * server name; only the TCP destination changes), and an extra trusted CA.
 */
import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { TargetPolicy } from './target-policy';

export interface ResolveRule {
  host: string;
  port: number;
  address: string;
  targetPort: number;
}

export function parseResolveRules(entries: string[]): ResolveRule[] {
  return entries.map((entry) => {
    const parts = entry.split(':');
    const [host, port, address, targetPort] = parts;
    const valid =
      (parts.length === 3 || parts.length === 4) && host && address && /^\d+$/.test(port ?? '') &&
      (targetPort === undefined || /^\d+$/.test(targetPort));
    if (!valid) {
      throw new Error(`Resolve rule "${entry}" is not host:port:address or host:port:address:port (e.g. login.microsoftonline.com:443:127.0.0.1:8443).`);
    }
    return {
      host: host!.toLowerCase(),
      port: Number(port),
      address: address!,
      targetPort: Number(targetPort ?? port),
    };
  });
}

export type OutboundFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export function createOutboundFetch(options: { resolve: ResolveRule[]; extraCaPem?: string; targets?: TargetPolicy }): {
  fetch: OutboundFetch;
  close(): Promise<void>;
} {
  const tlsOptions = options.extraCaPem ? { ca: [...rootCertificates, options.extraCaPem] } : {};
  const connect = buildConnector({ ...tlsOptions, timeout: 10_000 });
  const agent = new Agent({
    connect(opts, callback) {
      const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
      const rule = options.resolve.find((r) => r.host === opts.hostname.toLowerCase() && r.port === port);
      const policy = options.targets;
      if (!rule && policy?.enforced) {
        const bare = opts.hostname.replace(/^\[(.*)\]$/, '$1');
        // Resolved here and checked, then connected to that very address (the name stays for SNI and the certificate).
        return lookup(bare, (err, address) => {
          if (err) return callback(err, null);
          try {
            policy.check(opts.hostname, address);
          } catch (refused) {
            return callback(refused as Error, null);
          }
          connect({ ...opts, hostname: address, ...(isIP(bare) ? {} : { servername: opts.hostname }) }, callback);
        });
      }
      if (!rule) return connect(opts, callback);
      // servername keeps SNI and certificate checks on the requested name.
      return connect({ ...opts, hostname: rule.address, port: String(rule.targetPort), servername: opts.hostname }, callback);
    },
    headersTimeout: 20_000,
    bodyTimeout: 20_000,
  });
  return {
    fetch: (url, init) =>
      undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    close: () => agent.close(),
  };
}
