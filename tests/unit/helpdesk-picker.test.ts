import { describe, expect, it } from 'vitest';
import { addressesIn } from '../../entrypoints/helpdesk.content/addresses';
import {
  BUILT_IN_ENDPOINTS,
  genericEndpoint,
  onProviderHost,
  parseHelpdeskPickerSettings,
  pickerRules,
  prearmedHint,
} from '../../lib/helpdesk-picker';

const ROW = 'support@contoso.test';

/**
 * What a rule's regexFilter matches, the way declarativeNetRequest reads it (RE2 here is close enough: no
 * lookaround used).
 */
const matches = (pattern: string, url: string) => new RegExp(pattern).test(url);

describe('pickerRules', () => {
  const rules = pickerRules(BUILT_IN_ENDPOINTS, ROW, { tabIds: [7] }, 100);

  it('Microsoft: prompt=select_account, any account hint removed (Microsoft refuses the pair), only in the tab', () => {
    const ms = rules.filter((r) => r.condition.regexFilter.includes('microsoftonline'));
    expect(ms).toHaveLength(1);
    expect(ms[0]!.condition.tabIds).toEqual([7]);
    expect(ms[0]!.action.redirect.transform.queryTransform).toEqual({
      addOrReplaceParams: [{ key: 'prompt', value: 'select_account' }],
      removeParams: ['login_hint', 'sid'],
    });
    expect(
      matches(
        ms[0]!.condition.regexFilter,
        'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=x',
      ),
    ).toBe(true);
    expect(
      matches(
        ms[0]!.condition.regexFilter,
        'https://login.microsoftonline.com/contoso.com/oauth2/authorize?client_id=x',
      ),
    ).toBe(true);
    expect(matches(ms[0]!.condition.regexFilter, 'https://login.microsoftonline.com/common/oauth2/v2.0/token')).toBe(
      false,
    );
    expect(matches(ms[0]!.condition.regexFilter, 'https://login.microsoftonline.com/common/login')).toBe(false);
  });

  it('Google: the hint names the row, and a request that asked for consent keeps it (a higher priority rule)', () => {
    const google = rules.filter((r) => r.condition.regexFilter.includes('google'));
    expect(google.map((r) => r.priority)).toEqual([1, 2]);
    const [plain, consent] = google;
    expect(plain!.action.redirect.transform.queryTransform.addOrReplaceParams).toEqual([
      { key: 'prompt', value: 'select_account' },
      { key: 'login_hint', value: ROW },
    ]);
    expect(consent!.action.redirect.transform.queryTransform.addOrReplaceParams[0]).toEqual({
      key: 'prompt',
      value: 'select_account consent',
    });
    const withConsent =
      'https://accounts.google.com/o/oauth2/v2/auth?client_id=x&access_type=offline&prompt=consent&state=s';
    expect(matches(plain!.condition.regexFilter, withConsent)).toBe(true);
    expect(matches(consent!.condition.regexFilter, withConsent)).toBe(true);
    expect(
      matches(consent!.condition.regexFilter, 'https://accounts.google.com/o/oauth2/v2/auth?client_id=x&state=s'),
    ).toBe(false);
  });

  it('a popup the tab opens: a second rule set for new tabs started by the helpdesk, existing tabs excluded', () => {
    const scoped = pickerRules(
      BUILT_IN_ENDPOINTS.slice(0, 1),
      ROW,
      { tabIds: [7], popupsFrom: { initiator: 'acme.freshdesk.com', existingTabs: [3, 4] } },
      1,
    );
    expect(scoped.map((r) => r.id)).toEqual([1, 2]);
    expect(scoped[1]!.condition).toMatchObject({ initiatorDomains: ['acme.freshdesk.com'], excludedTabIds: [3, 4, 7] });
    expect(scoped[1]!.condition.tabIds).toBeUndefined();
  });

  it('a generic provider from Options: its authorize URL only, with the hint', () => {
    const endpoint = genericEndpoint('https://idp.acme.test/oauth2/authorize?x=1')!;
    expect(endpoint.origin).toBe('https://idp.acme.test/*');
    expect(matches(endpoint.pattern, 'https://idp.acme.test/oauth2/authorize?client_id=1')).toBe(true);
    expect(matches(endpoint.pattern, 'https://idp.acme.test/oauth2/token')).toBe(false);
    expect(genericEndpoint('http://idp.acme.test/authorize')).toBeNull();
    expect(genericEndpoint('not a url')).toBeNull();
  });
});

describe('helpers', () => {
  it("onProviderHost knows the providers' hosts only", () => {
    expect(onProviderHost('https://login.microsoftonline.com/common/login', BUILT_IN_ENDPOINTS)).toBe(true);
    expect(onProviderHost('https://acme.freshdesk.com/a/admin/email', BUILT_IN_ENDPOINTS)).toBe(false);
    expect(onProviderHost('garbage', BUILT_IN_ENDPOINTS)).toBe(false);
  });

  it("addressesIn reads the row's addresses, lower-cased, once each, at most ten", () => {
    expect(addressesIn('Support@Contoso.test  forward to acme0@acme.freshdesk.com support@contoso.test')).toEqual([
      'support@contoso.test',
      'acme0@acme.freshdesk.com',
    ]);
    expect(addressesIn(Array.from({ length: 20 }, (_, i) => `a${i}@x.test`).join(' '))).toHaveLength(10);
  });

  it('settings: damaged values fall back to on, not asked', () => {
    expect(parseHelpdeskPickerSettings(undefined)).toEqual({ enabled: true, asked: false });
    expect(parseHelpdeskPickerSettings({ enabled: 'yes', asked: true })).toEqual({ enabled: true, asked: true });
    expect(parseHelpdeskPickerSettings({ enabled: false })).toEqual({ enabled: false, asked: false });
  });
});

describe('pickerRules before a row is chosen', () => {
  it("the picker alone: no hint added, the helpdesk's own hint kept for Google, still removed for Microsoft", () => {
    const rules = pickerRules(BUILT_IN_ENDPOINTS, null, { tabIds: [7] }, 1);
    const google = rules.find((r) => r.condition.regexFilter.includes('google'))!;
    expect(google.action.redirect.transform.queryTransform).toEqual({
      addOrReplaceParams: [{ key: 'prompt', value: 'select_account' }],
    });
    const ms = rules.find((r) => r.condition.regexFilter.includes('microsoftonline'))!;
    expect(ms.action.redirect.transform.queryTransform.removeParams).toEqual(['login_hint', 'sid']);
  });
});

describe('prearmedHint', () => {
  const [microsoft, , google] = BUILT_IN_ENDPOINTS;
  const rows = [
    { address: 'a@contoso.com', state: 'needs-reauth', provider: 'microsoft' },
    { address: 'b@gmail.com', state: 'needs-reauth', provider: 'google' },
    { address: 'c@gmail.com', state: 'connected', provider: 'google' },
  ];
  it("the one broken mailbox on the endpoint's provider, and never another provider's address", () => {
    expect(prearmedHint(rows, google!)).toBe('b@gmail.com');
    expect(prearmedHint(rows, microsoft!)).toBe('a@contoso.com');
    expect(prearmedHint(rows.slice(0, 1), google!)).toBeNull();
  });
  it('two broken on one provider, or a row naming no provider: no hint (only the press can tell)', () => {
    expect(
      prearmedHint([...rows, { address: 'd@gmail.com', state: 'needs-reauth', provider: 'google' }], google!),
    ).toBeNull();
    expect(prearmedHint([{ address: 'e@x.com', state: 'needs-reauth' }], google!)).toBeNull();
  });
  it('rules carry each endpoint its own hint', () => {
    const rules = pickerRules(BUILT_IN_ENDPOINTS, (e) => prearmedHint(rows, e), { tabIds: [7] }, 1);
    const hints = rules.flatMap((r) =>
      r.action.redirect.transform.queryTransform.addOrReplaceParams.filter((p) => p.key === 'login_hint'),
    );
    expect(new Set(hints.map((h) => h.value))).toEqual(new Set(['b@gmail.com']));
  });
});
