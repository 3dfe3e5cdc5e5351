import { describe, expect, it } from 'vitest';
import {
  INCOGNITO_STEP_IDS,
  authorizeResponseParams,
  checkAccount,
  checkState,
  currentIncognitoStep,
  decodeJwtPayload,
  incognitoGuideFinished,
  incognitoStepViews,
  markIncognitoStep,
  parseSigninSettings,
  privateWindowPlan,
  recordDelegate,
  signinStart,
  signinSettingsSchema,
  startIncognitoGuide,
} from '../../lib/signin';
import { MICROSOFT_LOGOUT_URL } from '../../lib/providers';

/** A generic provider as Options saves it, on its own test host. */
const genericProvider = (id: string, name: string, clientId: string) => ({
  id,
  name,
  clientId,
  authorizeUrl: `https://${id}.test/auth`,
  tokenUrl: `https://${id}.test/token`,
  scope: 'imap',
});

describe('the wrong-account guard', () => {
  it('passes the mailbox own account, whatever the case', () => {
    expect(checkAccount({ preferred_username: 'Support@Contoso.TEST' }, 'support@contoso.test')).toEqual({
      verdict: 'mailbox',
      account: 'support@contoso.test',
    });
    expect(
      checkAccount({ email: 'support@contoso.test', email_verified: true }, ' SUPPORT@contoso.test ').verdict,
    ).toBe('mailbox');
    expect(checkAccount({ upn: 'support@contoso.test' }, 'support@contoso.test').verdict).toBe('mailbox');
  });

  it('passes when any account claim names the mailbox (alias in email, UPN in preferred_username)', () => {
    expect(
      checkAccount({ preferred_username: 'j.doe@contoso.test', email: 'support@contoso.test' }, 'support@contoso.test')
        .verdict,
    ).toBe('mailbox');
  });

  it('stops another account and says which one signed in', () => {
    expect(checkAccount({ preferred_username: 'wrong.user@contoso.test' }, 'support@contoso.test')).toEqual({
      verdict: 'mismatch',
      account: 'wrong.user@contoso.test',
      expected: 'support@contoso.test',
    });
  });

  it('does not compare parts of an address', () => {
    expect(checkAccount({ preferred_username: 'support@contoso.test.evil' }, 'support@contoso.test').verdict).toBe(
      'mismatch',
    );
    expect(checkAccount({ preferred_username: 'xsupport@contoso.test' }, 'support@contoso.test').verdict).toBe(
      'mismatch',
    );
  });

  it('ignores an email the provider marks unverified', () => {
    expect(checkAccount({ email: 'support@contoso.test', email_verified: false }, 'support@contoso.test').verdict).toBe(
      'unknown',
    );
    expect(
      checkAccount(
        { sub: '1', email: 'support@contoso.test', email_verified: false, preferred_username: 'x@y.test' },
        'support@contoso.test',
      ),
    ).toMatchObject({ verdict: 'mismatch', account: 'x@y.test' });
  });

  it('says "unknown" when the token names no account (or there is no token)', () => {
    expect(checkAccount({ sub: 'abc', name: 'Someone' }, 'support@contoso.test').verdict).toBe('unknown');
    expect(checkAccount(undefined, 'support@contoso.test').verdict).toBe('unknown');
  });
});

describe('the shared-mailbox exception', () => {
  it('a delegate does not pass until the admin confirmed it for that mailbox', () => {
    const claims = { preferred_username: 'delegate@contoso.test' };
    expect(checkAccount(claims, 'shared@contoso.test').verdict).toBe('mismatch');
    const delegates = recordDelegate({}, 'Shared@Contoso.test', 'Delegate@contoso.test');
    expect(delegates).toEqual({ 'shared@contoso.test': ['delegate@contoso.test'] });
    expect(checkAccount(claims, 'shared@contoso.test', delegates)).toEqual({
      verdict: 'delegate',
      account: 'delegate@contoso.test',
    });
  });

  it('a confirmed delegate of one mailbox is still the wrong account for another', () => {
    const delegates = recordDelegate({}, 'shared@contoso.test', 'delegate@contoso.test');
    expect(
      checkAccount({ preferred_username: 'delegate@contoso.test' }, 'billing@contoso.test', delegates).verdict,
    ).toBe('mismatch');
  });

  it('another account is still stopped for a shared mailbox with a delegate', () => {
    const delegates = recordDelegate({}, 'shared@contoso.test', 'delegate@contoso.test');
    expect(
      checkAccount({ preferred_username: 'wrong.user@contoso.test' }, 'shared@contoso.test', delegates).verdict,
    ).toBe('mismatch');
  });

  it('recording twice keeps one entry', () => {
    const once = recordDelegate({}, 'shared@contoso.test', 'delegate@contoso.test');
    expect(recordDelegate(once, 'shared@contoso.test', 'DELEGATE@contoso.test')).toBe(once);
  });
});

describe('state and nonce', () => {
  it('reads the response from the query or the fragment', () => {
    expect(authorizeResponseParams('https://x.chromiumapp.org/?code=abc&state=s1').get('code')).toBe('abc');
    expect(authorizeResponseParams('https://x.chromiumapp.org/#code=def&state=s2').get('state')).toBe('s2');
    expect(authorizeResponseParams('https://x.chromiumapp.org/#error=access_denied&state=s2').get('error')).toBe(
      'access_denied',
    );
  });

  it('accepts only the exact state sent', () => {
    const params = (q: string) => new URLSearchParams(q);
    expect(checkState(params('code=a&state=abc'), 'abc')).toEqual({ ok: true });
    expect(checkState(params('code=a&state=abd'), 'abc')).toEqual({ ok: false, reason: 'state-mismatch' });
    expect(checkState(params('code=a'), 'abc').ok).toBe(false);
    expect(checkState(params('code=a&state='), '').ok).toBe(false);
  });

  it('decodes a JWT payload (base64url, UTF-8) and refuses garbage', () => {
    const payload = Buffer.from(JSON.stringify({ tid: 't', name: 'Zoë' })).toString('base64url');
    expect(decodeJwtPayload(`e30.${payload}.sig`)).toEqual({ tid: 't', name: 'Zoë' });
    expect(decodeJwtPayload('not-a-jwt')).toBeUndefined();
    expect(decodeJwtPayload('a.!!!.c')).toBeUndefined();
  });
});

describe('settings and messages', () => {
  it('keeps client ids and a generic provider, rejects http endpoints', () => {
    const ok = signinSettingsSchema.parse({
      microsoft: { clientId: 'a3c5e1f0-7b2d-4c8e-9f10-2d3b4c5d6e7f', tenant: 'contoso.onmicrosoft.com' },
      generic: [
        {
          id: 'sdp',
          name: 'SupportCenter',
          clientId: 'abc',
          authorizeUrl: 'https://idp.test/authorize',
          tokenUrl: 'https://idp.test/token',
          scope: 'openid email imap',
          issuer: 'https://idp.test',
        },
        {
          id: 'plain',
          name: 'Plain OAuth',
          clientId: 'abc',
          authorizeUrl: 'https://idp.test/authorize',
          tokenUrl: 'https://idp.test/token',
          scope: 'imap smtp',
        },
      ],
    });
    expect(ok.google).toEqual({});
    expect(
      signinSettingsSchema.safeParse({
        generic: [
          {
            id: 'x',
            name: 'X',
            clientId: 'abc',
            authorizeUrl: 'http://idp.test/a',
            tokenUrl: 'https://idp.test/t',
            scope: 's',
          },
        ],
      }).success,
    ).toBe(false);
    expect(signinSettingsSchema.safeParse({ microsoft: { clientId: 'has space' } }).success).toBe(false);
    // an id token that cannot be checked is not accepted: openid needs the issuer
    const noIssuer = signinSettingsSchema.safeParse({
      generic: [
        {
          id: 'x',
          name: 'X',
          clientId: 'abc',
          authorizeUrl: 'https://idp.test/a',
          tokenUrl: 'https://idp.test/t',
          scope: 'openid email',
        },
      ],
    });
    expect(noIssuer.success).toBe(false);
    expect(noIssuer.error?.issues[0]?.path).toContain('issuer');
  });

  it('a damaged stored value falls back to empty settings', () => {
    expect(parseSigninSettings({ microsoft: 'oops' })).toEqual({ microsoft: {}, google: {}, generic: [] });
    expect(parseSigninSettings(undefined)).toEqual({ microsoft: {}, google: {}, generic: [] });
  });

  it('rejects unknown fields and bad addresses in popup messages', () => {
    expect(
      signinStart.request.safeParse({ kind: 'signin-start', mailbox: 'support@contoso.test', provider: 'microsoft' })
        .success,
    ).toBe(true);
    expect(
      signinStart.request.safeParse({ kind: 'signin-start', mailbox: 'nope', provider: 'microsoft' }).success,
    ).toBe(false);
    expect(
      signinStart.request.safeParse({ kind: 'signin-start', mailbox: 'a@b.test', provider: 'microsoft', token: 'x' })
        .success,
    ).toBe(false);
    expect(
      signinStart.request.safeParse({ kind: 'signin-start', mailbox: 'a@b.test', provider: 'yahoo' }).success,
    ).toBe(false);
  });
});

describe('the guided incognito sign-out', () => {
  const url = 'https://acme.freshdesk.com/a/admin/email/mailboxes';

  it('opens the window itself when allowed in incognito', () => {
    expect(privateWindowPlan(url, { incognitoAllowed: true, browser: 'chrome', platform: 'other' })).toEqual({
      method: 'create-window',
      url,
    });
  });

  it('otherwise says how to allow it and gives the shortcut for the browser and platform', () => {
    expect(privateWindowPlan(url, { incognitoAllowed: false, browser: 'chrome', platform: 'other' })).toEqual({
      method: 'manual',
      url,
      shortcut: 'Ctrl+Shift+N',
      allowHow: 'chrome://extensions > Reauth Assist > Details > "Allow in Incognito"',
    });
    expect(privateWindowPlan(url, { incognitoAllowed: false, browser: 'chrome', platform: 'mac' })).toMatchObject({
      shortcut: 'Cmd+Shift+N',
    });
    expect(privateWindowPlan(url, { incognitoAllowed: false, browser: 'firefox', platform: 'other' })).toMatchObject({
      shortcut: 'Ctrl+Shift+P',
      allowHow: expect.stringContaining('Run in Private Windows'),
    });
  });

  it('walks the five steps in order, checking each off', () => {
    let state = startIncognitoGuide('Support@contoso.test', url);
    expect(state.mailbox).toBe('support@contoso.test');
    for (const step of INCOGNITO_STEP_IDS) {
      expect(currentIncognitoStep(state)).toBe(step);
      expect(incognitoGuideFinished(state)).toBe(false);
      state = markIncognitoStep(state, step, true);
    }
    expect(currentIncognitoStep(state)).toBeUndefined();
    expect(incognitoGuideFinished(state)).toBe(true);
  });

  it('cannot check a step ahead of the current one', () => {
    const state = startIncognitoGuide('support@contoso.test', url);
    expect(markIncognitoStep(state, 'press-reauthorize', true)).toBe(state);
  });

  it('un-checking a step un-checks the ones after it', () => {
    let state = startIncognitoGuide('support@contoso.test', url);
    for (const step of INCOGNITO_STEP_IDS.slice(0, 4)) state = markIncognitoStep(state, step, true);
    state = { ...state, windowId: 7 };
    const back = markIncognitoStep(state, 'sign-out-microsoft', false);
    expect(back.done).toEqual(['open-private-window']);
    expect(back.windowId).toBe(7);
    expect(markIncognitoStep(back, 'open-private-window', false)).toMatchObject({ done: [], windowId: undefined });
  });

  it('shows each step with its status, the sign-out URL and the mailbox', () => {
    let state = startIncognitoGuide('support@contoso.test', url);
    state = markIncognitoStep(state, 'open-private-window', true);
    const plan = privateWindowPlan(url, { incognitoAllowed: false, browser: 'chrome', platform: 'other' });
    const views = incognitoStepViews(state, plan);
    expect(views.map((v) => v.status)).toEqual(['done', 'current', 'pending', 'pending', 'pending']);
    expect(views[0]!.url).toBe(url);
    expect(views[0]!.detail).toContain('Ctrl+Shift+N');
    expect(views[1]!.url).toBe(MICROSOFT_LOGOUT_URL);
    expect(views[3]!.title).toContain('support@contoso.test');
  });
});

describe('offscreen replies', () => {
  it('parse each shape and reject anything else', async () => {
    const { offscreenResponseSchema } = await import('../../lib/signin');
    expect(
      offscreenResponseSchema.safeParse({ ok: true, authorizeUrl: 'https://login.microsoftonline.com/x' }).success,
    ).toBe(true);
    expect(
      offscreenResponseSchema.safeParse({
        ok: true,
        tokens: { accessToken: 'a', idToken: 'b', expiresOn: null, scopes: [] },
      }).success,
    ).toBe(true);
    expect(offscreenResponseSchema.safeParse({ ok: false, error: { error: 'consent_required' } }).success).toBe(true);
    expect(offscreenResponseSchema.safeParse({ ok: true }).success).toBe(false);
  });
});

describe('planning a sign-in', () => {
  const redirect = 'https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/';
  const settings = async (raw: unknown) => (await import('../../lib/signin')).parseSigninSettings(raw);
  const plan = async (
    mailbox: string,
    provider: 'microsoft' | 'google' | 'generic',
    raw: unknown,
    genericId?: string,
  ) => (await import('../../lib/signin')).planSignin({ mailbox, provider, genericId }, await settings(raw), redirect);

  it(
    'Microsoft work mailbox: organizations, or the ' + 'configured tenant; mail scopes only; admin-consent URL',
    async () => {
      const work = await plan('support@contoso.test', 'microsoft', { microsoft: { clientId: 'cid' } });
      expect(work).toMatchObject({
        ok: true,
        plan: {
          provider: 'microsoft',
          tenant: 'organizations',
          authority: 'https://login.microsoftonline.com/organizations',
        },
      });
      if (!work.ok || work.plan.provider !== 'microsoft') throw new Error('no plan');
      const mail = ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send'];
      expect(work.plan.scopes).toEqual([...mail, 'offline_access', 'openid', 'profile', 'email']);
      expect(work.plan.scopes.some((s) => s.includes('graph'))).toBe(false);
      expect(work.plan.adminConsentUrl).toBe(
        `https://login.microsoftonline.com/organizations/adminconsent?client_id=cid&redirect_uri` +
          `=${encodeURIComponent(redirect)}`,
      );
      const tenant = await plan('support@contoso.test', 'microsoft', {
        microsoft: { clientId: 'cid', tenant: 'contoso.onmicrosoft.com' },
      });
      expect(tenant).toMatchObject({ plan: { tenant: 'contoso.onmicrosoft.com' } });
    },
  );

  it('personal outlook.com / hotmail.com mailboxes go through consumers, whatever tenant is set', async () => {
    for (const mailbox of ['helpdesk@outlook.com', 'desk@hotmail.com']) {
      expect(
        await plan(mailbox, 'microsoft', { microsoft: { clientId: 'cid', tenant: 'contoso.onmicrosoft.com' } }),
      ).toMatchObject({
        plan: { tenant: 'consumers', label: 'Microsoft (personal account)' },
      });
    }
  });

  it('Google: the forced picker (with consent, for a refresh token), login_hint and offline access', async () => {
    expect(await plan('support@acme-gmail.test', 'google', { google: { clientId: 'gid' } })).toMatchObject({
      ok: true,
      plan: {
        prompt: 'select_account consent',
        extraParams: { access_type: 'offline', login_hint: 'support@acme-gmail.test' },
        issuer: 'https://accounts.google.com',
      },
    });
  });

  it('generic: the chosen provider with login_hint and the forced picker', async () => {
    const raw = {
      generic: [genericProvider('a', 'A', 'x'), genericProvider('b', 'B', 'y')],
    };
    expect(await plan('h@acme.test', 'generic', raw, 'b')).toMatchObject({
      plan: { label: 'B', clientId: 'y', prompt: 'select_account', extraParams: { login_hint: 'h@acme.test' } },
    });
    expect(await plan('h@acme.test', 'generic', raw, 'missing')).toEqual({ ok: false, errorId: 'not-configured' });
  });

  it(
    'who redeems the code: Google by the companion (its Web clients need the secret), the others by the extension, ' +
      'unless set',
    async () => {
      const redeemer = async (mailbox: string, provider: 'microsoft' | 'google' | 'generic', raw: unknown) => {
        const planned = await plan(mailbox, provider, raw);
        return planned.ok ? planned.plan.redeemVia : undefined;
      };
      const generic = genericProvider('a', 'A', 'x');
      expect(await redeemer('support@acme-gmail.test', 'google', { google: { clientId: 'gid' } })).toBe('companion');
      expect(await redeemer('support@contoso.test', 'microsoft', { microsoft: { clientId: 'cid' } })).toBe('extension');
      expect(await redeemer('h@acme.test', 'generic', { generic: [generic] })).toBe('extension');
      expect(
        await redeemer('support@acme-gmail.test', 'google', { google: { clientId: 'gid', redeemVia: 'extension' } }),
      ).toBe('extension');
      expect(
        await redeemer('support@contoso.test', 'microsoft', { microsoft: { clientId: 'cid', redeemVia: 'companion' } }),
      ).toBe('companion');
      expect(await redeemer('h@acme.test', 'generic', { generic: [{ ...generic, redeemVia: 'companion' }] })).toBe(
        'companion',
      );
      const { signinSettingsSchema } = await import('../../lib/signin');
      expect(signinSettingsSchema.safeParse({ google: { clientId: 'gid', redeemVia: 'server' } }).success).toBe(false);
    },
  );

  it('no Client ID: not configured, nothing opens', async () => {
    expect(await plan('support@contoso.test', 'microsoft', {})).toEqual({ ok: false, errorId: 'not-configured' });
    expect(await plan('support@acme-gmail.test', 'google', {})).toEqual({ ok: false, errorId: 'not-configured' });
    expect(await plan('h@acme.test', 'generic', {})).toEqual({ ok: false, errorId: 'not-configured' });
  });

  it('Microsoft id tokens: issuer per tenant id, keys from the authority; a bad tid is refused', async () => {
    const { microsoftIdTokenExpectations } = await import('../../lib/signin');
    expect(
      microsoftIdTokenExpectations(
        'https://login.microsoftonline.com/organizations',
        'c5a1f3e0-7b2d-4c8e-9f10-2d3b4c5d6e01',
      ),
    ).toEqual({
      issuer: 'https://login.microsoftonline.com/c5a1f3e0-7b2d-4c8e-9f10-2d3b4c5d6e01/v2.0',
      jwksUri: 'https://login.microsoftonline.com/organizations/discovery/v2.0/keys',
    });
    expect(microsoftIdTokenExpectations('https://login.microsoftonline.com/organizations', '../evil')).toBeUndefined();
  });
});
