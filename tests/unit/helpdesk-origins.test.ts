import { describe, expect, it } from 'vitest';
import { parseHelpdeskOrigin, urlMatchesOrigin } from '../../lib/helpdesk-origins';
import { planRegistrations, readStoredOrigins, scriptIdFor } from '../../entrypoints/background/custom-origins';

describe('custom helpdesk origin validation', () => {
  it.each([
    [
      'https://support.acme-helpdesk.test',
      'https://support.acme-helpdesk.test',
      'https://support.acme-helpdesk.test/*',
    ],
    [
      '  https://Support.Acme-Helpdesk.test/  ',
      'https://support.acme-helpdesk.test',
      'https://support.acme-helpdesk.test/*',
    ],
    ['https://helpdesk.example.test:8443', 'https://helpdesk.example.test:8443', 'https://helpdesk.example.test/*'],
    ['http://localhost:8080', 'http://localhost:8080', 'http://localhost/*'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000', 'http://127.0.0.1/*'],
  ])('accepts %s', (input, origin, matchPattern) => {
    expect(parseHelpdeskOrigin(input)).toEqual({ ok: true, origin, matchPattern });
  });

  it.each([
    ['', /Enter the address of your helpdesk/],
    ['support.acme.com', /Start with https:\/\/ \(for example https:\/\/support\.acme\.com\)/],
    ['http://support.acme.com', /Use an https:\/\/ address/],
    ['ftp://support.acme.com', /Use an https:\/\/ address/],
    ['https://support.acme.com/a/admin/email', /without a path: https:\/\/support\.acme\.com/],
    ['https://support.acme.com/?x=1', /without a path/],
    ['https://admin:pw@support.acme.com', /Leave out the user name and password/],
    ['https://*.acme.com', /Wildcards|not a web address/],
    ['https://intranet', /not a full host name/],
    ['https://acme.freshdesk.com', /already covered/],
    ['https://exa mple.com', /not a web address/],
  ])('rejects %j with a clear reason', (input, reason) => {
    const parsed = parseHelpdeskOrigin(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(reason);
  });

  it('matches origins by scheme and host; only the built-in pattern counts as covered', () => {
    expect(parseHelpdeskOrigin('https://freshdesk.com.evil.test')).toMatchObject({ ok: true });
    expect(parseHelpdeskOrigin('https://support.freshdesk.com:8443')).toMatchObject({
      ok: false,
      error: /already covered/,
    });
    expect(urlMatchesOrigin('https://support.acme-helpdesk.test:4430/x', 'https://support.acme-helpdesk.test')).toBe(
      true,
    );
    expect(urlMatchesOrigin('http://support.acme-helpdesk.test/x', 'https://support.acme-helpdesk.test')).toBe(false);
    expect(urlMatchesOrigin('not a url', 'https://support.acme-helpdesk.test')).toBe(false);
  });
});

describe('content-script registrations for custom origins', () => {
  const acme = { origin: 'https://support.acme-helpdesk.test', matchPattern: 'https://support.acme-helpdesk.test/*' };
  const other = { origin: 'https://helpdesk.example.test', matchPattern: 'https://helpdesk.example.test/*' };

  it('registers granted origins that are missing and unregisters ours that lost their grant', () => {
    const plan = planRegistrations(
      [acme],
      [
        { id: scriptIdFor(other.origin), matches: [other.matchPattern] },
        { id: 'someone-elses-script', matches: ['https://x.test/*'] },
      ],
    );
    expect(plan).toEqual({
      register: [{ id: scriptIdFor(acme.origin), matches: [acme.matchPattern] }],
      unregister: [scriptIdFor(other.origin)],
    });
  });

  it('leaves correct registrations alone and replaces stale ones', () => {
    expect(planRegistrations([acme], [{ id: scriptIdFor(acme.origin), matches: [acme.matchPattern] }])).toEqual({
      register: [],
      unregister: [],
    });
    expect(planRegistrations([acme], [{ id: scriptIdFor(acme.origin), matches: ['https://old.test/*'] }])).toEqual({
      register: [{ id: scriptIdFor(acme.origin), matches: [acme.matchPattern] }],
      unregister: [scriptIdFor(acme.origin)],
    });
  });

  it('reads only valid stored origins, once each', () => {
    expect(readStoredOrigins([acme.origin, 'http://evil.test', 42, `${acme.origin}/`, other.origin])).toEqual([
      acme,
      other,
    ]);
    expect(readStoredOrigins('nope')).toEqual([]);
  });
});
