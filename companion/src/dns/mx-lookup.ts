/**
 * Where a domain's mail is hosted, from its MX records through Node's resolver (c-ares: the system's DNS
 * servers, or those given with --dns-server). A failed lookup is "unknown" with the reason, never a guess.
 */
import { Resolver } from 'node:dns/promises';
import type { DomainHosting } from '../../../lib/mail-hosting-api';
import { hostingFromMx } from '../../../lib/mail-hosting';

/** Answers that mean "this domain has no MX" rather than "the lookup failed". */
const NO_MX = new Set(['ENODATA', 'ENOTFOUND']);

export interface MxLookupOptions {
  /** DNS servers (ADDR or ADDR:PORT, [v6]:PORT); empty: the system's. */
  servers: readonly string[];
  timeoutMs?: number;
  tries?: number;
}

export class MxLookup {
  private readonly resolver: Resolver;

  constructor(options: MxLookupOptions) {
    this.resolver = new Resolver({ timeout: options.timeoutMs ?? 3000, tries: options.tries ?? 2 });
    if (options.servers.length > 0) this.resolver.setServers([...options.servers]);
  }

  async hosting(domain: string): Promise<DomainHosting> {
    try {
      const records = await this.resolver.resolveMx(domain);
      const exchanges = records.sort((a, b) => a.priority - b.priority).map((r) => r.exchange.toLowerCase());
      if (exchanges.length === 0) return { domain, hosting: 'other', exchanges, none: true };
      return { domain, hosting: hostingFromMx(exchanges), exchanges };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (NO_MX.has(code)) return { domain, hosting: 'other', exchanges: [], none: true };
      return {
        domain,
        hosting: 'unknown',
        exchanges: [],
        error: `The MX lookup failed (${code || (err as Error).message}).`,
      };
    }
  }

  /** Every domain at once; each answer stands alone. */
  all(domains: readonly string[]): Promise<DomainHosting[]> {
    return Promise.all([...new Set(domains)].map((d) => this.hosting(d)));
  }
}
