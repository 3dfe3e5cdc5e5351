/**
 * Salesorder's mail account rules (seed 004): which Generic accounts must go before OAuth, the continuity
 * list as CSV, the new Microsoft 365 (Corporate) account's checks, and what Test Connection's words mean.
 */
import { describe, expect, it } from 'vitest';
import {
  accountsCsv,
  accountsText,
  accountVerdict,
  domainsToLookUp,
  checkCorporateAccount,
  explainTestConnection,
  genericAccountsOnMicrosoft365,
  microsoft365Evidence,
  type MailAccountRow,
} from '../../lib/mail-accounts-rules';

const row = (patch: Partial<MailAccountRow>): MailAccountRow => ({
  name: 'Sales',
  type: 'Generic',
  senderName: 'Sales team',
  senderEmail: 'sales@contoso.com',
  username: 'sales@contoso.com',
  servers: ['outlook.office365.com', 'smtp.office365.com'],
  ...patch,
});

describe('Generic accounts on Microsoft 365', () => {
  it("lists Generic accounts whose servers are Microsoft's, keeps unknown ones apart, skips others", () => {
    const rows = [
      row({ name: 'Sales' }),
      row({ name: 'Corporate', type: 'Microsoft 365 (Corporate)' }),
      row({ name: 'Own server', servers: ['mail.contoso.com'] }),
      row({ name: 'No servers shown', servers: [] }),
    ];
    expect(genericAccountsOnMicrosoft365(rows).map((r) => `${r.row.name}:${r.evidence}`)).toEqual([
      'Sales:servers',
      'No servers shown:unknown',
    ]);
    expect(microsoft365Evidence({ servers: ['SMTP.Office365.com'] })).toBe('servers');
  });
});

describe('continuity list', () => {
  it('CSV: header, one account a line, RFC 4180 quoting, formulas defused', () => {
    const csv = accountsCsv([
      row({ name: 'Sales, EU', senderName: 'Sales "EU"' }),
      row({ name: '=HYPERLINK("x")', senderName: 'Ann', senderEmail: 'ann@contoso.com', username: 'ann@contoso.com' }),
    ]);
    expect(csv).toBe(
      'Account,Sender name,Sender email,Username\r\n' +
        '"Sales, EU","Sales ""EU""",sales@contoso.com,sales@contoso.com\r\n' +
        `"'=HYPERLINK(""x"")",Ann,ann@contoso.com,ann@contoso.com\r\n`,
    );
    expect(accountsText([row({})])).toBe('Sales\tSales team\tsales@contoso.com\tsales@contoso.com');
  });
});

describe('New Microsoft 365 Account (Corporate)', () => {
  const form = {
    accountName: 'Support',
    senderName: 'Support',
    senderEmail: 'support@contoso.com',
    useOAuth: true,
    username: 'support@contoso.com',
  };
  it('passes with Use OAuth ticked and the mailbox address as username (any case)', () => {
    expect(checkCorporateAccount({ ...form, username: 'Support@Contoso.com' })).toEqual([]);
  });
  it('Use OAuth unticked, username not the mailbox, sender email missing', () => {
    expect(checkCorporateAccount({ ...form, useOAuth: false }).map((f) => `${f.field}:${f.rule}`)).toEqual([
      'useOAuth:use-oauth-unticked',
    ]);
    const wrong = checkCorporateAccount({ ...form, username: 'CONTOSO\\support' });
    expect(wrong.map((f) => f.rule)).toEqual(['username-not-mailbox']);
    expect(wrong[0]!.fix).toContain('support@contoso.com');
    expect(checkCorporateAccount({ ...form, username: '' })[0]!.problem).toBe('Username is empty.');
    expect(checkCorporateAccount({ ...form, senderEmail: 'support' }).map((f) => f.rule)).toEqual([
      'sender-email-missing',
    ]);
  });
});

describe('Test Connection result', () => {
  it('success', () => {
    expect(explainTestConnection('Connection successful').kind).toBe('ok');
    expect(explainTestConnection('Test failed: connection unsuccessful').kind).toBe('failed');
  });
  it('SMTP AUTH disabled for the tenant -> the Exchange admin center fix', () => {
    const out = explainTestConnection(
      'Test Connection failed: 535 5.7.139 Authentication unsuccessful, ' +
        'SmtpClientAuthentication is disabled for the Tenant. Visit ' +
        'https://aka.ms/smtp_auth_disabled for more information.',
      { mailbox: 'support@contoso.com' },
    );
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.explanation.id).toBe('smtp-auth-disabled-tenant');
    expect(out.explanation.fix.join(' ')).toMatch(/Turn off SMTP AUTH protocol for your organization/);
  });
  it("admin consent needed -> the admin-consent URL for the page's own client", () => {
    const out = explainTestConnection(
      'AADSTS65001: The user or administrator has not consented to use the application.',
      {
        mailbox: 'support@contoso.com',
        clientId: 'salesorder-app',
        redirectUri: 'https://acme.salesorder.test/oauth/callback',
      },
    );
    expect(out.kind).toBe('admin-consent');
    if (out.kind !== 'admin-consent') return;
    expect(out.adminConsentUrl).toBe(
      'https://login.microsoftonline.com/contoso.com/adminconsent?client_id=salesorder-app' +
        '&redirect_uri=https%3A%2F%2Facme.salesorder.test%2Foauth%2Fcallback',
    );
    expect(explainTestConnection('Need admin approval').kind).toBe('admin-consent');
  });
  it('IMAP refusal -> the diagnosis catalogue', () => {
    const out = explainTestConnection('IMAP: AUTHENTICATE failed.', { mailbox: 'support@contoso.com' });
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') expect(out.explanation.id).not.toBe('unknown');
  });
});

describe("where a Generic account's mail is hosted (MX)", () => {
  const hosting = new Map<string, 'microsoft365' | 'google' | 'other' | 'unknown'>([
    ['contoso.com', 'microsoft365'],
    ['fabrikam.com', 'google'],
    ['tailspin.com', 'other'],
    ['broken.com', 'unknown'],
  ]);
  const verdict = (patch: Partial<MailAccountRow>) =>
    accountVerdict(row({ servers: [], ...patch }), (d) => hosting.get(d));

  it('only Microsoft 365 is must-delete: by servers, by MX, or outlook.com / hotmail.com; Gmail never', () => {
    expect(accountVerdict(row({}), () => undefined)).toEqual({ kind: 'delete', because: 'servers' });
    expect(verdict({ senderEmail: 'sales@contoso.com' })).toEqual({ kind: 'delete', because: 'mx' });
    expect(verdict({ senderEmail: 'me@hotmail.com' })).toEqual({ kind: 'delete', because: 'consumer' });
    expect(verdict({ senderEmail: 'orders.contoso@gmail.com' })).toEqual({ kind: 'keep', hosting: 'google' });
    expect(verdict({ senderEmail: 'orders.contoso@gmail.com', servers: ['imap.gmail.com'] })).toEqual({ kind: 'keep' });
    expect(verdict({ senderEmail: 'a@fabrikam.com' })).toEqual({ kind: 'keep', hosting: 'google' });
    expect(verdict({ senderEmail: 'a@tailspin.com' })).toEqual({ kind: 'keep', hosting: 'other' });
    expect(verdict({ type: 'Microsoft 365 (Corporate)', senderEmail: 'a@contoso.com' })).toEqual({ kind: 'keep' });
  });

  it('not known (not looked up, or the lookup failed): unsure, with the exact command to check', () => {
    expect(verdict({ senderEmail: 'a@broken.com' })).toEqual({
      kind: 'unsure',
      domain: 'broken.com',
      command: 'nslookup -type=mx broken.com',
    });
    expect(verdict({ senderEmail: 'a@new.example' })).toEqual({
      kind: 'unsure',
      domain: 'new.example',
      command: 'nslookup -type=mx new.example',
    });
  });

  it('asks only for the domains that decide something', () => {
    expect(
      domainsToLookUp([
        row({}),
        row({ senderEmail: 'a@contoso.com', servers: [] }),
        row({ senderEmail: 'b@contoso.com', servers: [] }),
        row({ senderEmail: 'c@gmail.com', servers: [] }),
        row({ senderEmail: 'd@tailspin.com', servers: ['mail.tailspin.com'] }),
        row({ type: 'Microsoft 365 (Corporate)', senderEmail: 'e@fabrikam.com', servers: [] }),
      ]),
    ).toEqual(['contoso.com']);
  });
});
