/** The companion's logic on the extension side: countdowns, state lines, the badge, pairing input, the handoff body. */
import { describe, expect, it } from 'vitest';
import { codeHandoffSchema, tokensHandoffSchema, type MailboxState } from '../../lib/companion-api';
import {
  companionBadge,
  companionOriginPattern,
  companionPairingSchema,
  companionUrlSchema,
  defaultMailServers,
  describeMonitored,
  mergeStep,
} from '../../lib/companion-ui';
import type { StepResult } from '../../lib/verification';
import { CompanionError } from '../../entrypoints/background/companion/client';
import { redemptionFailure } from '../../entrypoints/background/companion/code-redemption';
import {
  buildCodeHandoff,
  buildTokensHandoff,
  microsoftTenantOf,
} from '../../entrypoints/background/companion/handoff';
import type { CodeRedemptionRequest } from '../../entrypoints/background/signin/types';
import type { HeldTokens } from '../../entrypoints/background/signin/token-vault';

const NOW = Date.parse('2026-11-26T08:00:00.000Z');

function mailbox(patch: Partial<MailboxState>): MailboxState {
  return {
    address: 'support@contoso.test',
    provider: 'microsoft',
    account: 'support@contoso.test',
    clientKind: 'public',
    status: 'connected',
    attempt: 0,
    maxAttempts: 8,
    nextRunAt: null,
    lastCheckedAt: null,
    lastVerdict: null,
    accessTokenExpiresAt: '2026-11-26T09:00:00.000Z',
    hasRefreshToken: true,
    outageSince: null,
    outageReportAt: null,
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    ...patch,
  };
}

/** The handoff a plan built, after checking it is one and that the companion's own schema accepts it as it is. */
function validHandoff<T>(plan: { ok: true; handoff: T } | { ok: false }, schema: { parse(v: unknown): unknown }): T {
  if (!plan.ok) throw new Error('expected a handoff, got a refusal');
  expect(schema.parse(plan.handoff)).toEqual(plan.handoff);
  return plan.handoff;
}

describe('the countdown of a monitored mailbox', () => {
  it.each([
    [1, '0:01'],
    [7_000, '0:07'],
    [59_001, '1:00'],
    [125_000, '2:05'],
    [3_723_000, '1:02:03'],
  ])('%i ms ahead reads %s, as a clock does', (ms, text) => {
    const nextRunAt = new Date(NOW + ms).toISOString();
    expect(describeMonitored(mailbox({ nextRunAt }), NOW)).toBe(`Connected. Next check in ${text}.`);
  });

  it.each([0, -5000])('%i ms ahead is now', (ms) => {
    const nextRunAt = new Date(NOW + ms).toISOString();
    expect(describeMonitored(mailbox({ nextRunAt }), NOW)).toBe('Connected. Next check now.');
  });
});

describe('describeMonitored', () => {
  it("counts down to the next retry on the companion's clock", () => {
    const m = mailbox({ status: 'retrying', attempt: 3, nextRunAt: '2026-11-26T08:01:05.000Z' });
    expect(describeMonitored(m, NOW)).toBe('Retrying: the last check failed; retry 3 of 8 in 1:05.');
    // The companion's clock runs 5 s ahead of the browser's: 5 s less to wait.
    expect(describeMonitored(m, NOW, 5000)).toBe('Retrying: the last check failed; retry 3 of 8 in 1:00.');
  });

  it('says what each state means', () => {
    expect(describeMonitored(mailbox({ nextRunAt: '2026-11-26T08:05:00.000Z' }), NOW)).toBe(
      'Connected. Next check in 5:00.',
    );
    expect(
      describeMonitored(mailbox({ status: 'disconnected', attempt: 8, nextRunAt: '2026-11-26T08:05:00.000Z' }), NOW),
    ).toBe('Disconnected: all 8 retries failed. Next check in 5:00.');
    expect(
      describeMonitored(
        mailbox({ status: 'needs-reauth', reason: 'The provider refused the refresh token (invalid_grant).' }),
        NOW,
      ),
    ).toBe(
      'Needs reauthorization: The provider refused the refresh token (invalid_grant). Sign in to it again with ' +
        "Reauth Assist (on the helpdesk's email settings) to hand it over anew.",
    );
    expect(describeMonitored(mailbox({ status: 'pending', nextRunAt: '2026-11-26T07:59:00.000Z' }), NOW)).toBe(
      'Waiting for its first check (due now).',
    );
  });
});

describe('companionBadge', () => {
  it('is empty when every monitored mailbox works', () => {
    expect(companionBadge([mailbox({}), mailbox({ address: 'b@contoso.test', status: 'pending' })])).toEqual({
      text: '',
      title: 'Reauth Assist',
    });
  });

  it('counts retrying, disconnected and needs-reauth mailboxes and names them in the title', () => {
    const face = companionBadge([
      mailbox({ address: 'a@contoso.test', status: 'retrying' }),
      mailbox({ address: 'b@contoso.test', status: 'disconnected' }),
      mailbox({ address: 'c@contoso.test', status: 'needs-reauth' }),
      mailbox({ address: 'd@contoso.test', status: 'connected' }),
    ]);
    expect(face.text).toBe('3');
    expect(face.title).toBe(
      'Reauth Assist: 3 monitored mailboxes are not working: a@contoso.test (retrying), b@contoso.test ' +
        '(disconnected), c@contoso.test (needs reauthorization)',
    );
  });

  it('caps the text and the title for many mailboxes', () => {
    const many = Array.from({ length: 1200 }, (_, i) =>
      mailbox({ address: `m${i}@contoso.test`, status: 'disconnected' }),
    );
    const face = companionBadge(many);
    expect(face.text).toBe('999+');
    expect(face.title).toContain('and 1195 more');
  });
});

describe('pairing input', () => {
  it('accepts the printed address and secret, trimming a trailing slash', () => {
    expect(
      companionPairingSchema.parse({
        url: ' http://127.0.0.1:8787/ ',
        secret: 'abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123',
      }),
    ).toEqual({
      url: 'http://127.0.0.1:8787',
      secret: 'abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123',
    });
  });

  it('refuses a path, plain http to another computer, and a mangled secret', () => {
    expect(companionUrlSchema.safeParse('http://127.0.0.1:8787/v1').success).toBe(false);
    expect(companionUrlSchema.safeParse('http://tools.example.com').success).toBe(false);
    expect(companionUrlSchema.safeParse('https://tools.example.com').success).toBe(true);
    expect(
      companionPairingSchema.safeParse({
        url: 'http://localhost:8787',
        secret: 'has spaces in it and more than twenty',
      }).success,
    ).toBe(false);
  });

  it('asks for host access by host, whatever the port', () => {
    expect(companionOriginPattern('http://127.0.0.1:8787')).toBe('http://127.0.0.1/*');
    expect(companionOriginPattern('https://tools.example.com')).toBe('https://tools.example.com/*');
  });
});

describe('mergeStep', () => {
  const s = (id: StepResult['id'], status: StepResult['status']): StepResult => ({
    id,
    status,
    title: id,
    summary: '',
    details: '',
  });
  it('keeps one entry per step, in first-seen order, with its latest status', () => {
    let steps: StepResult[] = [];
    for (const next of [s('dns', 'running'), s('dns', 'ok'), s('tcp', 'running'), s('tcp', 'failed')])
      steps = mergeStep(steps, next);
    expect(steps.map((x) => `${x.id}:${x.status}`)).toEqual(['dns:ok', 'tcp:failed']);
  });
});

describe('buildTokensHandoff', () => {
  const held: HeldTokens = {
    mailbox: 'support@contoso.test',
    provider: 'microsoft',
    account: 'support@contoso.test',
    signedInAs: 'mailbox',
    accessToken: 'at-123',
    refreshToken: 'rt-456',
    idToken: 'id-789',
    expiresAt: NOW + 3600_000,
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send',
    tokenEndpoint: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    clientId: 'client-1',
    obtainedAt: NOW,
  };

  it("hands over the tokens with the sign-in's tenant, never the id token", () => {
    const plan = buildTokensHandoff(held, undefined);
    const handoff = validHandoff(plan, tokensHandoffSchema);
    expect(handoff).toMatchObject({
      mode: 'tokens',
      provider: 'microsoft',
      tenant: 'contoso.onmicrosoft.com',
      account: 'support@contoso.test',
      expiresAt: '2026-11-26T09:00:00.000Z',
    });
    expect(JSON.stringify(handoff)).not.toContain('id-789');
    expect(handoff.sharedMailbox).toBeUndefined();
  });

  it('marks a confirmed delegate as a shared mailbox and passes custom servers', () => {
    const servers = {
      imap: { host: 'imap.contoso.test', port: 993, security: 'tls' as const },
      smtp: { host: 'smtp.contoso.test', port: 587, security: 'starttls' as const },
    };
    const plan = buildTokensHandoff(
      { ...held, mailbox: 'shared@contoso.test', account: 'delegate@contoso.test', signedInAs: 'delegate' },
      servers,
    );
    expect(plan).toMatchObject({
      ok: true,
      handoff: { sharedMailbox: true, account: 'delegate@contoso.test', imap: servers.imap, smtp: servers.smtp },
    });
  });

  it('needs the servers of a generic provider, and sends its token endpoint', () => {
    const generic: HeldTokens = { ...held, provider: 'generic', tokenEndpoint: 'https://idp.reauth.test/token' };
    expect(buildTokensHandoff(generic, undefined)).toMatchObject({ ok: false, reason: 'needs-servers' });
    const plan = buildTokensHandoff(generic, defaultMailServers('microsoft'));
    expect(plan).toMatchObject({ ok: true, handoff: { tokenEndpoint: 'https://idp.reauth.test/token' } });
    if (plan.ok) expect(plan.handoff.tenant).toBeUndefined();
  });

  it('refuses what the companion would refuse, naming fields and never values', () => {
    const plan = buildTokensHandoff(
      { ...held, account: 'not an address', accessToken: 'secret-token-value' },
      undefined,
    );
    expect(plan).toMatchObject({ ok: false, reason: 'invalid' });
    if (!plan.ok) {
      expect(plan.detail).toContain('account');
      expect(plan.detail).not.toContain('secret-token-value');
    }
  });

  it('assumes an hour when the provider gave no expiry', () => {
    const plan = buildTokensHandoff({ ...held, expiresAt: null }, undefined);
    expect(plan.ok && plan.handoff.expiresAt).toBe('2026-11-26T09:00:00.000Z');
  });

  it('reads the tenant from a Microsoft token endpoint', () => {
    expect(microsoftTenantOf('https://login.microsoftonline.com/organizations/oauth2/v2.0/token')).toBe(
      'organizations',
    );
    expect(microsoftTenantOf('https://oauth2.googleapis.com/token')).toBeUndefined();
  });
});

describe('buildCodeHandoff (the companion redeems)', () => {
  const request: CodeRedemptionRequest = {
    provider: 'google',
    clientId: 'web-client',
    code: 'code-abc',
    codeVerifier: 'v'.repeat(43),
    nonce: 'n-1',
    redirectUri: 'https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/',
    delegates: [],
  };

  it('sends the checked code with its PKCE verifier and nonce, in the shape the companion validates', () => {
    const plan = buildCodeHandoff('support@acme-gmail.test', request, undefined);
    expect(validHandoff(plan, codeHandoffSchema)).toEqual({
      mode: 'code',
      provider: 'google',
      clientId: 'web-client',
      code: 'code-abc',
      codeVerifier: 'v'.repeat(43),
      nonce: 'n-1',
      redirectUri: request.redirectUri,
    });
  });

  it('names the confirmed delegates and the Microsoft tenant; a generic provider needs its servers first', () => {
    const shared = buildCodeHandoff(
      'shared@contoso.test',
      { ...request, provider: 'microsoft', tenant: 'organizations', delegates: ['delegate@contoso.test'] },
      undefined,
    );
    expect(shared).toMatchObject({
      ok: true,
      handoff: { tenant: 'organizations', delegates: ['delegate@contoso.test'] },
    });
    const generic = { ...request, provider: 'generic' as const, tokenEndpoint: 'https://idp.reauth.test/token' };
    expect(buildCodeHandoff('h@acme.test', generic, undefined)).toMatchObject({ ok: false, reason: 'needs-servers' });
    expect(buildCodeHandoff('h@acme.test', generic, defaultMailServers('microsoft'))).toMatchObject({
      ok: true,
      handoff: { tokenEndpoint: 'https://idp.reauth.test/token' },
    });
  });

  it('refuses a verifier that is not PKCE, naming the field and never the code', () => {
    const plan = buildCodeHandoff('support@acme-gmail.test', { ...request, codeVerifier: 'short' }, undefined);
    expect(plan).toMatchObject({ ok: false, reason: 'invalid' });
    if (!plan.ok) expect(plan.detail).toContain('codeVerifier');
    if (!plan.ok) expect(plan.detail).not.toContain('code-abc');
  });
});

describe('redemptionFailure (the companion said no)', () => {
  it(
    "a wrong account names who signed in; a provider refusal keeps its OAuth code; the rest keeps the companion's " +
      'words',
    () => {
      expect(
        redemptionFailure(new CompanionError('api', 'x signed in', 'wrong_account', 409, 'x@contoso.test')),
      ).toEqual({ ok: false, wrongAccount: 'x@contoso.test' });
      expect(
        redemptionFailure(
          new CompanionError('api', 'Redeeming failed.', 'token_endpoint_error', 502, undefined, 'invalid_client'),
        ),
      ).toEqual({
        ok: false,
        errorId: 'companion-refused',
        detail: 'Redeeming failed.',
        providerError: 'invalid_client',
      });
      expect(
        redemptionFailure(new CompanionError('api', 'No secret for client c.', 'confidential_client_unknown', 400)),
      ).toMatchObject({
        errorId: 'companion-refused',
        detail: 'No secret for client c.',
      });
      expect(redemptionFailure(new CompanionError('timeout', 'did not answer'))).toMatchObject({
        errorId: 'companion-refused',
      });
    },
  );
});
