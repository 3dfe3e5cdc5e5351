/**
 * The companion as users run it (child process) answers where each domain's mail is hosted from its MX
 * records, asking a real DNS server on loopback (--dns-server): Microsoft 365, Google, another host, no MX,
 * and a failed lookup; bad requests and a missing secret are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../lib/companion-api';
import { MAIL_HOSTING_PATH, mailHostingResponseSchema } from '../../lib/mail-hosting-api';
import { startDnsServer, type TestDnsServer } from '../support/dns-server';
import { api, startChildCompanion, tempDataDir, type ChildCompanion } from './companion-support';
import { CompanionClient } from '../../entrypoints/background/companion/client';

describe('mail hosting from MX records (child process, real DNS server on loopback)', () => {
  let dns: TestDnsServer;
  let companion: ChildCompanion;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    dns = await startDnsServer({
      'contoso.test': { mx: [['contoso-test.mail.protection.outlook.com', 0]] },
      'fabrikam.test': {
        mx: [
          ['alt1.aspmx.l.google.com', 5],
          ['aspmx.l.google.com', 1],
        ],
      },
      'gmail.com': { mx: [['gmail-smtp-in.l.google.com', 5]] },
      'contoso-logistics.test': { mx: [['mail.contoso-logistics.test', 10]] },
      'nomail.test': 'no-mx',
      'broken.test': 'servfail',
    });
    companion = await startChildCompanion(tempDataDir(), ['--check-interval', '3600', '--dns-server', dns.address]);
    call = api(companion.url, companion.secret);
  });
  afterAll(async () => {
    await companion?.kill();
    await dns?.close();
  });

  it('says Microsoft 365, Google or other per domain, from the MX records the loopback server gives', async () => {
    const res = await call('POST', MAIL_HOSTING_PATH, {
      domains: [
        'Contoso.test',
        'fabrikam.test',
        'gmail.com',
        'contoso-logistics.test',
        'nomail.test',
        'unknown-domain.test',
        'broken.test',
      ],
    });
    expect(res.status).toBe(200);
    const { results } = mailHostingResponseSchema.parse(res.json);
    const by = Object.fromEntries(results.map((r) => [r.domain, r]));
    expect(by['contoso.test']).toEqual({
      domain: 'contoso.test',
      hosting: 'microsoft365',
      exchanges: ['contoso-test.mail.protection.outlook.com'],
    });
    expect(by['fabrikam.test']).toEqual({
      domain: 'fabrikam.test',
      hosting: 'google',
      exchanges: ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'],
    });
    expect(by['gmail.com']!.hosting).toBe('google');
    expect(by['contoso-logistics.test']!.hosting).toBe('other');
    expect(by['nomail.test']).toMatchObject({ hosting: 'other', none: true });
    expect(by['unknown-domain.test']).toMatchObject({ hosting: 'other', none: true });
    expect(by['broken.test']!.hosting).toBe('unknown');
    expect(by['broken.test']!.error).toMatch(/MX lookup failed/);
    // The answers came from this server: every domain was asked for MX.
    const asked = new Set(dns.queries.filter((q) => q.type === 15).map((q) => q.name));
    for (const d of ['contoso.test', 'fabrikam.test', 'gmail.com', 'nomail.test', 'broken.test'])
      expect(asked.has(d), d).toBe(true);
  });

  it("the worker's client reads the same answer", async () => {
    const client = new CompanionClient({ url: companion.url, secret: companion.secret! });
    const { results } = await client.mailHosting(['contoso.test']);
    expect(results).toEqual([
      { domain: 'contoso.test', hosting: 'microsoft365', exchanges: ['contoso-test.mail.protection.outlook.com'] },
    ]);
  });

  it('refuses a request without the pairing secret, a non-domain and too many domains, asking no DNS', async () => {
    const before = dns.queries.length;
    const anonymous = await api(companion.url, undefined)('POST', MAIL_HOSTING_PATH, { domains: ['contoso.test'] });
    expect(anonymous.status).toBe(401);
    const bad = await call('POST', MAIL_HOSTING_PATH, { domains: ['contoso.test; rm -rf /'] });
    expect(bad.status).toBe(400);
    expect(apiErrorSchema.parse(bad.json).error.message).toMatch(
      /request body is not what the companion expects: domains.0: not a domain name/,
    );
    const many = await call('POST', MAIL_HOSTING_PATH, { domains: Array.from({ length: 51 }, (_, i) => `d${i}.test`) });
    expect(many.status).toBe(400);
    const extra = await call('POST', MAIL_HOSTING_PATH, { domains: ['contoso.test'], server: '8.8.8.8' });
    expect(extra.status).toBe(400);
    expect(dns.queries.length).toBe(before);
  });

  it('refuses a --dns-server that is not an address', async () => {
    await expect(startChildCompanion(tempDataDir(), ['--dns-server', 'dns.example.com'])).rejects.toThrow(
      /--dns-server "dns.example.com" is not an IP address/,
    );
  });
});
