import { describe, expect, it } from 'vitest';
import {
  AUTH_ERRORS,
  AUTH_ERROR_IDS,
  aadstsNumber,
  classifyBrowserFlowError,
  classifyProviderError,
  explainAuthError,
  providerErrorCode,
} from '../../lib/auth-errors';

describe('the sign-in error catalogue', () => {
  it.each(AUTH_ERROR_IDS)('%s has a title, a cause and a next step in plain words', (id) => {
    const entry = AUTH_ERRORS[id];
    expect(entry.id).toBe(id);
    for (const text of [entry.title, entry.cause, entry.nextStep]) {
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/undefined|TODO|\{\w+\}/);
    }
    expect(entry.nextStep).toMatch(/[.)]$/);
  });

  it('has no entry outside the id list', () => {
    expect(Object.keys(AUTH_ERRORS).sort()).toEqual([...AUTH_ERROR_IDS].sort());
  });
});

describe('classifying provider errors by code and AADSTS number', () => {
  const microsoft = (error: string, code: number) => ({
    error,
    errorUri: `https://login.microsoftonline.com/error?code=${code}`,
  });

  it.each([
    [microsoft('invalid_client', 65001), 'consent-required'],
    [microsoft('invalid_request', 90094), 'admin-consent-required'],
    [microsoft('interaction_required', 50076), 'mfa-required'],
    [microsoft('interaction_required', 50079), 'mfa-registration-required'],
    [microsoft('unauthorized_client', 700016), 'app-not-in-tenant'],
    [microsoft('invalid_request', 50020), 'account-from-other-tenant'],
    [microsoft('invalid_request', 50194), 'single-tenant-app-on-common'],
    [microsoft('access_denied', 53003), 'conditional-access-blocked'],
    [microsoft('invalid_request', 700022), 'mixed-resources'],
    [microsoft('invalid_request', 9002326), 'spa-redirect-required'],
    [microsoft('invalid_grant', 70008), 'refresh-token-expired'],
    [microsoft('invalid_grant', 50173), 'password-changed'],
  ] as const)('%o -> %s', (fields, id) => {
    expect(classifyProviderError(fields)).toBe(id);
  });

  it('reads the AADSTS number from token-endpoint error_codes', () => {
    expect(aadstsNumber({ errorCodes: [65001] })).toBe(65001);
    expect(aadstsNumber({ errorCodes: '90094' })).toBe(90094);
    expect(classifyProviderError({ error: 'invalid_grant', errorCodes: [700082] })).toBe('refresh-token-expired');
  });

  it('reads only the machine prefix of a description, never its words', () => {
    expect(aadstsNumber({ description: 'AADSTS65001: The user or administrator has not consented.' })).toBe(65001);
    // the number somewhere in the prose is not a code
    expect(aadstsNumber({ description: 'See AADSTS65001: for details' })).toBeUndefined();
    // words that sound like an error mean nothing
    expect(classifyProviderError({ error: 'invalid_request', description: 'consent required by admin, MFA' })).toBe(
      'unknown',
    );
  });

  it('the AADSTS number wins over the generic error code it comes with', () => {
    expect(classifyProviderError({ error: 'interaction_required', errorCodes: [53003] })).toBe(
      'conditional-access-blocked',
    );
  });

  it.each([
    ['consent_required', 'consent-required'],
    ['access_denied', 'access-denied'],
    ['login_required', 'interaction-required'],
    ['invalid_client', 'invalid-client'],
    ['invalid_grant', 'invalid-grant'],
    ['redirect_uri_mismatch', 'redirect-uri-mismatch'],
    ['admin_policy_enforced', 'blocked-by-admin-policy'],
    ['org_internal', 'org-internal-app'],
    ['temporarily_unavailable', 'provider-unavailable'],
    ['state_mismatch', 'state-mismatch'],
    ['nonce_mismatch', 'nonce-mismatch'],
    ['interaction_in_progress', 'already-in-progress'],
    ['something_new', 'unknown'],
  ] as const)('error=%s -> %s', (error, id) => {
    expect(classifyProviderError({ error })).toBe(id);
  });

  it('an unknown AADSTS number falls back to the error code', () => {
    expect(classifyProviderError({ error: 'access_denied', errorCodes: [12345] })).toBe('access-denied');
  });

  it('names the code for the identity team', () => {
    expect(providerErrorCode({ error: 'consent_required', errorCodes: [65001] })).toBe('consent_required, AADSTS65001');
    expect(providerErrorCode({})).toBeUndefined();
  });
});

describe('classifying the browser identity API rejections', () => {
  it.each([
    ['The user did not approve access.', 'user-cancelled'],
    ['User cancelled or denied access.', 'user-cancelled'],
    ['Authorization page could not be loaded.', 'auth-page-unreachable'],
    ['User interaction required.', 'interaction-required'],
    ['Something else broke', 'unknown'],
  ] as const)('%s -> %s', (message, id) => {
    expect(classifyBrowserFlowError(message)).toBe(id);
  });
});

describe('explaining an error', () => {
  const consentUrl = 'https://login.microsoftonline.com/contoso.test/adminconsent?client_id=x&redirect_uri=y';
  it('shows the admin-consent link for consent errors', () => {
    expect(explainAuthError('admin-consent-required', { adminConsentUrl: consentUrl }).adminConsentUrl).toBe(
      consentUrl,
    );
    expect(explainAuthError('consent-required', { adminConsentUrl: consentUrl }).adminConsentUrl).toBe(consentUrl);
  });
  it('never for errors an admin consent does not fix', () => {
    expect(explainAuthError('user-cancelled', { adminConsentUrl: consentUrl }).adminConsentUrl).toBeUndefined();
    expect(explainAuthError('mfa-required', { adminConsentUrl: consentUrl }).adminConsentUrl).toBeUndefined();
  });
  it('carries the code', () => {
    expect(explainAuthError('unknown', { code: 'weird_error' }).code).toBe('weird_error');
  });
});
