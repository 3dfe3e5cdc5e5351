/**
 * The sign-in error catalogue: what went wrong during an OAuth sign-in, in an admin's words, and what to do.
 * Shared by the extension (popup, worker) and the companion (token refresh).
 *
 * Classification reads only machine-readable fields: the OAuth `error` code, Microsoft's AADSTS number
 * (from `error_codes` in token responses, or the `code=` of `error_uri` in authorize redirects, as MSAL
 * does), and the fixed messages the browser's identity API rejects with. The provider's free-text
 * `error_description` is never matched: it is localized and reworded without notice.
 */

export const AUTH_ERROR_IDS = [
  'consent-required',
  'admin-consent-required',
  'mfa-required',
  'mfa-registration-required',
  'app-not-in-tenant',
  'account-from-other-tenant',
  'single-tenant-app-on-common',
  'conditional-access-blocked',
  'user-not-assigned',
  'mixed-resources',
  'redirect-uri-mismatch',
  'app-refused',
  'spa-redirect-required',
  'public-client-disabled',
  'refresh-token-expired',
  'password-changed',
  'blocked-by-admin-policy',
  'org-internal-app',
  'access-denied',
  'interaction-required',
  'invalid-client',
  'unauthorized-client',
  'invalid-scope',
  'invalid-grant',
  'provider-unavailable',
  'user-cancelled',
  'auth-page-unreachable',
  'network-error',
  'state-mismatch',
  'nonce-mismatch',
  'id-token-invalid',
  'no-account-in-token',
  'wrong-account',
  'companion-unavailable',
  'companion-refused',
  'not-configured',
  'already-in-progress',
  'interrupted',
  'unknown',
] as const;
export type AuthErrorId = (typeof AUTH_ERROR_IDS)[number];

export interface AuthErrorEntry {
  id: AuthErrorId;
  title: string;
  /** Why it happened, in plain words. */
  cause: string;
  /** What the admin does next. */
  nextStep: string;
  /** Show Microsoft's admin-consent link (an administrator grants the app for the whole organisation). */
  offerAdminConsent?: boolean;
  /** Signing in again with the account picker can fix it. */
  offerRetry?: boolean;
  /** Show the Redirect URL to register (the fix happens in the app registration). */
  showRedirectUri?: boolean;
}

const entry = (e: AuthErrorEntry): AuthErrorEntry => e;

export const AUTH_ERRORS: Readonly<Record<AuthErrorId, AuthErrorEntry>> = {
  'consent-required': entry({
    id: 'consent-required',
    title: 'Permission to read and send mail was not granted',
    cause:
      'The account has not allowed Reauth Assist (your organisation\'s app registration) to use IMAP and SMTP, and the sign-in could not ask for it.',
    nextStep:
      'An administrator of the mailbox\'s organisation opens the admin-consent link below and accepts; then sign in again.',
    offerAdminConsent: true,
    offerRetry: true,
  }),
  'admin-consent-required': entry({
    id: 'admin-consent-required',
    title: 'An administrator must approve the app first',
    cause:
      'Your organisation only lets administrators grant mail access (IMAP, SMTP) to an app, and nobody has granted it to this app yet.',
    nextStep:
      'Send the admin-consent link below to a Global or Cloud Application Administrator; once they accept, sign in again.',
    offerAdminConsent: true,
    offerRetry: true,
  }),
  'mfa-required': entry({
    id: 'mfa-required',
    title: 'Multi-factor authentication is required',
    cause: 'The organisation requires a second sign-in step (MFA) for this account, and it was not completed.',
    nextStep: 'Sign in again and complete the second step (authenticator app, SMS or key) when asked.',
    offerRetry: true,
  }),
  'mfa-registration-required': entry({
    id: 'mfa-registration-required',
    title: 'The account must set up multi-factor authentication',
    cause: 'The organisation requires MFA and this account has not registered a second factor yet.',
    nextStep:
      'Sign in again and follow the "More information required" steps to register an authenticator, or ask your administrator to register one for a shared account.',
    offerRetry: true,
  }),
  'app-not-in-tenant': entry({
    id: 'app-not-in-tenant',
    title: 'The app is not known in this organisation',
    cause:
      'The Client ID in Reauth Assist\'s options does not exist in the mailbox\'s Microsoft organisation: it is mistyped, was deleted, or belongs to another organisation and is not multi-tenant.',
    nextStep:
      'Check the Microsoft Client ID in Reauth Assist > Options against the app registration; if the app lives in another organisation, an administrator of this one grants it with the admin-consent link.',
    offerAdminConsent: true,
    showRedirectUri: true,
  }),
  'account-from-other-tenant': entry({
    id: 'account-from-other-tenant',
    title: 'That account belongs to another organisation',
    cause:
      'The account you picked is not a member of the organisation (tenant) the sign-in was for, for example a personal account or one from a partner company.',
    nextStep:
      'Sign in again and pick the mailbox\'s own work account. For outlook.com or hotmail.com mailboxes, Reauth Assist signs in through Microsoft\'s personal-account endpoint by itself; check the tenant in Options.',
    offerRetry: true,
  }),
  'single-tenant-app-on-common': entry({
    id: 'single-tenant-app-on-common',
    title: 'The app only works in its own organisation',
    cause:
      'The app registration is single-tenant, so it cannot sign in through Microsoft\'s shared "organizations" endpoint.',
    nextStep:
      'Enter your tenant (its domain such as contoso.onmicrosoft.com, or its Directory ID) under Microsoft in Reauth Assist > Options, then sign in again.',
  }),
  'conditional-access-blocked': entry({
    id: 'conditional-access-blocked',
    title: 'Blocked by a Conditional Access policy',
    cause:
      'A Conditional Access policy of the organisation refused this sign-in (for example because of the device, the location or the app).',
    nextStep:
      'Ask your Microsoft Entra administrator to look up this sign-in in the Entra sign-in logs and allow it, or sign in from a device and network the policy accepts.',
  }),
  'user-not-assigned': entry({
    id: 'user-not-assigned',
    title: 'This account is not assigned to the app',
    cause: 'The app registration requires user assignment and this account has not been assigned to it.',
    nextStep:
      'An administrator adds the account under Enterprise applications > the app > Users and groups, then sign in again.',
    offerRetry: true,
  }),
  'mixed-resources': entry({
    id: 'mixed-resources',
    title: 'The requested permissions cannot be granted together',
    cause:
      'The sign-in asked for permissions of two different Microsoft services at once (for example Outlook mail and Microsoft Graph).',
    nextStep:
      'Use only the Outlook IMAP and SMTP permissions for mail. If you changed scopes for a generic provider, remove the extra ones.',
  }),
  'redirect-uri-mismatch': entry({
    id: 'redirect-uri-mismatch',
    title: 'The Redirect URL is not registered',
    cause: 'The provider does not know Reauth Assist\'s Redirect URL for this Client ID.',
    nextStep:
      'Add the Redirect URL shown in Reauth Assist > Options to the app registration exactly as shown (Microsoft: platform "Single-page application"; Google: a "Web application" client).',
    showRedirectUri: true,
  }),
  'app-refused': entry({
    id: 'app-refused',
    title: 'The provider refused the app',
    cause:
      'The provider showed its own error page instead of signing in: the Client ID is not registered in this directory (mistyped, deleted, or from another organisation), or the Redirect URL below is not registered for it. Only if neither: the network, a proxy or a firewall blocked the page.',
    nextStep:
      'Check the Client ID in Reauth Assist > Options against the app registration, and register the Redirect URL below on it exactly as shown (Microsoft: platform "Single-page application"); then sign in again.',
    offerRetry: true,
    showRedirectUri: true,
  }),
  'spa-redirect-required': entry({
    id: 'spa-redirect-required',
    title: 'The Redirect URL is registered under the wrong platform',
    cause:
      'Microsoft only lets a browser redeem a sign-in when the Redirect URL is registered as a "Single-page application"; it is registered as another platform.',
    nextStep:
      'In the app registration, open Authentication, remove the Redirect URL from "Web" (or "Mobile and desktop") and add it under "Single-page application".',
  }),
  'public-client-disabled': entry({
    id: 'public-client-disabled',
    title: 'The app expects a client secret',
    cause:
      'The app registration is set up for a server with a secret, so a browser sign-in without one is refused.',
    nextStep:
      'Register the Redirect URL as "Single-page application" (see docs/signin.md), or let the companion redeem sign-ins with its secret (confidential-client mode).',
  }),
  'refresh-token-expired': entry({
    id: 'refresh-token-expired',
    title: 'The saved sign-in expired',
    cause:
      'The mailbox\'s sign-in was not used for too long, or reached its maximum lifetime, so the provider no longer accepts it.',
    nextStep: 'Sign in again for this mailbox.',
    offerRetry: true,
  }),
  'password-changed': entry({
    id: 'password-changed',
    title: 'The password was changed or the sign-in was revoked',
    cause:
      'The account\'s password was changed or reset, or an administrator revoked its sessions, which ends every saved sign-in.',
    nextStep: 'Sign in again for this mailbox with the current password.',
    offerRetry: true,
  }),
  'blocked-by-admin-policy': entry({
    id: 'blocked-by-admin-policy',
    title: 'The organisation does not allow this app',
    cause: 'The Google Workspace administrator restricts which third-party apps may access Gmail.',
    nextStep:
      'Ask the Workspace administrator to trust the Client ID under Security > Access and data control > API controls, then sign in again.',
  }),
  'org-internal-app': entry({
    id: 'org-internal-app',
    title: 'The app is internal to another organisation',
    cause: 'The Google client is marked "Internal", so only accounts of the organisation that owns it can use it.',
    nextStep: 'Use a Google client of the mailbox\'s own organisation, or make the client "External".',
  }),
  'access-denied': entry({
    id: 'access-denied',
    title: 'Access was declined',
    cause: 'The permission page was answered with "Cancel" or "Deny", or the provider refused access for this account.',
    nextStep: 'Sign in again and accept the permissions for reading and sending mail.',
    offerRetry: true,
  }),
  'interaction-required': entry({
    id: 'interaction-required',
    title: 'You need to sign in again',
    cause: 'The provider needs you to enter your password or confirm the account.',
    nextStep: 'Sign in again; the account picker will open.',
    offerRetry: true,
  }),
  'invalid-client': entry({
    id: 'invalid-client',
    title: 'The Client ID is not valid',
    cause: 'The provider does not accept the Client ID (or its type) configured in Reauth Assist.',
    nextStep:
      'Check the Client ID in Reauth Assist > Options against the app registration; see docs/signin.md. A client that has a secret (a Google "Web application" client, a Microsoft "Web" platform app) must be redeemed by the companion: set "Who redeems the sign-in" to the companion in Options and put the secret in the companion\'s clients.json.',
  }),
  'unauthorized-client': entry({
    id: 'unauthorized-client',
    title: 'The app may not sign in this way',
    cause: 'The app registration does not allow the authorization-code sign-in Reauth Assist uses.',
    nextStep: 'Register the app as described in docs/signin.md (the client type and Redirect URL matter).',
  }),
  'invalid-scope': entry({
    id: 'invalid-scope',
    title: 'The requested permissions are not valid',
    cause: 'The provider does not know one of the requested scopes, or the app may not ask for it.',
    nextStep: 'Check the Scope of the provider in Reauth Assist > Options.',
  }),
  'invalid-grant': entry({
    id: 'invalid-grant',
    title: 'The sign-in could not be completed',
    cause: 'The provider refused to turn the sign-in into tokens (it was already used, has expired, or was revoked).',
    nextStep: 'Sign in again.',
    offerRetry: true,
  }),
  'provider-unavailable': entry({
    id: 'provider-unavailable',
    title: 'The sign-in service is having trouble',
    cause: 'The provider answered with a temporary server error.',
    nextStep: 'Wait a minute and sign in again.',
    offerRetry: true,
  }),
  'user-cancelled': entry({
    id: 'user-cancelled',
    title: 'Sign-in was cancelled',
    cause: 'The sign-in window was closed before the sign-in finished.',
    nextStep: 'Click Sign in again and finish in the window that opens, choosing the mailbox\'s account.',
    offerRetry: true,
  }),
  'auth-page-unreachable': entry({
    id: 'auth-page-unreachable',
    title: 'The sign-in page could not load',
    cause:
      'The browser could not reach the provider\'s sign-in page at all: the network, a proxy or a firewall, or a wrong Authorize URL.',
    nextStep:
      'Check your connection and that the provider\'s sign-in page opens in a normal tab; for a generic provider check the Authorize URL in Options.',
    offerRetry: true,
  }),
  'network-error': entry({
    id: 'network-error',
    title: 'The provider could not be reached',
    cause: 'A request to the provider\'s token or key endpoint failed on the network.',
    nextStep: 'Check your connection (and the Token URL for a generic provider), then sign in again.',
    offerRetry: true,
  }),
  'state-mismatch': entry({
    id: 'state-mismatch',
    title: 'The sign-in answer did not belong to this sign-in',
    cause:
      'The answer that came back does not carry the check value Reauth Assist sent, so it may come from another sign-in or have been tampered with. Nothing was used.',
    nextStep: 'Sign in again. If it keeps happening, another extension or a proxy may be changing sign-in pages.',
    offerRetry: true,
  }),
  'nonce-mismatch': entry({
    id: 'nonce-mismatch',
    title: 'The identity token did not belong to this sign-in',
    cause: 'The identity token\'s one-time value does not match the one Reauth Assist sent. Nothing was used.',
    nextStep: 'Sign in again.',
    offerRetry: true,
  }),
  'id-token-invalid': entry({
    id: 'id-token-invalid',
    title: 'The identity token failed its checks',
    cause:
      'The token saying who signed in has the wrong issuer or audience, has expired, or its signature does not verify against the provider\'s keys. Nothing was used.',
    nextStep:
      'Check the computer\'s clock, and for a generic provider its Issuer and Client ID in Options; then sign in again.',
    offerRetry: true,
  }),
  'no-account-in-token': entry({
    id: 'no-account-in-token',
    title: 'The provider did not say which account signed in',
    cause: 'The sign-in returned no account name (no email, preferred_username or upn), so it cannot be checked against the mailbox.',
    nextStep:
      'For a generic provider add "openid email" to the Scope and its Issuer in Options; or confirm below that you signed in as the mailbox.',
  }),
  'wrong-account': entry({
    id: 'wrong-account',
    title: 'Signed in with a different account',
    cause:
      'The account that signed in is not the mailbox. The browser often signs in with an account it already knows. Nothing was handed on.',
    nextStep:
      'Try again and choose the mailbox\'s account in the picker, or follow the guided private-window sign-out. If this is a shared mailbox and you are its delegate, confirm it below.',
    offerRetry: true,
  }),
  'companion-unavailable': entry({
    id: 'companion-unavailable',
    title: 'The companion is needed for this sign-in',
    cause:
      'This provider is set to have the companion redeem the sign-in (it holds the client secret the provider asks for), and the companion is not paired or does not answer. Nothing was opened, so no sign-in was wasted.',
    nextStep:
      'Start the companion ("npm start" in the Reauth Assist folder) and pair it in Reauth Assist > Options > Companion, then sign in again.',
    offerRetry: true,
  }),
  'companion-refused': entry({
    id: 'companion-refused',
    title: 'The companion could not redeem the sign-in',
    cause: 'The sign-in itself worked, but the companion refused or failed to turn it into tokens (its words are below). Nothing was stored.',
    nextStep: 'Fix what the companion says, then sign in again: a sign-in code works only once.',
    offerRetry: true,
  }),
  'not-configured': entry({
    id: 'not-configured',
    title: 'Sign-in is not set up for this provider',
    cause: 'No Client ID is configured for this provider.',
    nextStep: 'Enter your organisation\'s Client ID in Reauth Assist > Options (docs/signin.md says how to register one).',
  }),
  'already-in-progress': entry({
    id: 'already-in-progress',
    title: 'Another sign-in is still open',
    cause: 'A sign-in window from Reauth Assist is still waiting for you.',
    nextStep: 'Finish or close the open sign-in window, then try again.',
  }),
  interrupted: entry({
    id: 'interrupted',
    title: 'The sign-in was interrupted',
    cause: 'The browser stopped Reauth Assist\'s background worker (or the extension was reloaded) before the sign-in finished.',
    nextStep: 'Sign in again.',
    offerRetry: true,
  }),
  unknown: entry({
    id: 'unknown',
    title: 'Sign-in failed',
    cause: 'The provider reported an error Reauth Assist does not know.',
    nextStep: 'Try again. If it repeats, give the error code shown below to your identity administrator.',
    offerRetry: true,
  }),
};

/** The machine-readable part of an OAuth error, as the provider sent it. */
export interface ProviderErrorFields {
  /** RFC 6749 `error` code, or MSAL's errorCode. */
  error?: string | undefined;
  /** Microsoft token endpoint `error_codes` (numbers) or MSAL's `errorNo`. */
  errorCodes?: readonly (number | string)[] | number | string | undefined;
  /** Authorize redirect `error_uri`; Microsoft puts the AADSTS number in its `code=` parameter. */
  errorUri?: string | undefined;
  /** Microsoft `suberror`. */
  subError?: string | undefined;
  /**
   * Only its leading "AADSTSnnnnn:" code is read (Microsoft's machine prefix, for servers that send no
   * error_uri); the words after it never are.
   */
  description?: string | undefined;
}

/** Microsoft's AADSTS number, from structured fields only. */
export function aadstsNumber(fields: ProviderErrorFields): number | undefined {
  const codes = fields.errorCodes;
  const first = Array.isArray(codes) ? codes[0] : codes;
  const fromCodes = first === undefined || first === '' ? NaN : Number(first);
  if (Number.isInteger(fromCodes) && fromCodes > 0) return fromCodes;
  if (fields.errorUri) {
    const match = /[?&]code=(\d+)/.exec(fields.errorUri);
    if (match?.[1]) return Number(match[1]);
  }
  const prefix = fields.description ? /^AADSTS(\d{4,8}):/.exec(fields.description.trim()) : null;
  if (prefix?.[1]) return Number(prefix[1]);
  return undefined;
}

const BY_AADSTS: Readonly<Record<number, AuthErrorId>> = {
  65001: 'consent-required',
  65004: 'access-denied',
  90094: 'admin-consent-required',
  90008: 'admin-consent-required',
  50076: 'mfa-required',
  50074: 'mfa-required',
  50079: 'mfa-registration-required',
  700016: 'app-not-in-tenant',
  50020: 'account-from-other-tenant',
  50194: 'single-tenant-app-on-common',
  53003: 'conditional-access-blocked',
  50105: 'user-not-assigned',
  700022: 'mixed-resources',
  28000: 'mixed-resources',
  50011: 'redirect-uri-mismatch',
  500113: 'redirect-uri-mismatch',
  9002326: 'spa-redirect-required',
  7000218: 'public-client-disabled',
  700025: 'public-client-disabled',
  70008: 'refresh-token-expired',
  700082: 'refresh-token-expired',
  50173: 'password-changed',
  50133: 'password-changed',
  50058: 'interaction-required',
  54005: 'invalid-grant',
};

const BY_ERROR_CODE: Readonly<Record<string, AuthErrorId>> = {
  consent_required: 'consent-required',
  admin_consent_required: 'admin-consent-required',
  access_denied: 'access-denied',
  interaction_required: 'interaction-required',
  login_required: 'interaction-required',
  account_selection_required: 'interaction-required',
  invalid_client: 'invalid-client',
  unauthorized_client: 'unauthorized-client',
  invalid_scope: 'invalid-scope',
  invalid_grant: 'invalid-grant',
  redirect_uri_mismatch: 'redirect-uri-mismatch',
  admin_policy_enforced: 'blocked-by-admin-policy',
  org_internal: 'org-internal-app',
  server_error: 'provider-unavailable',
  temporarily_unavailable: 'provider-unavailable',
  // MSAL client-side error codes (BrowserAuthError / ClientAuthError)
  state_mismatch: 'state-mismatch',
  invalid_state: 'state-mismatch',
  nonce_mismatch: 'nonce-mismatch',
  user_cancelled: 'user-cancelled',
  no_network_connectivity: 'network-error',
  post_request_failed: 'network-error',
  get_request_failed: 'network-error',
  interaction_in_progress: 'already-in-progress',
};

/** Classifies a provider's OAuth error: the AADSTS number wins over the generic `error` code it comes with. */
export function classifyProviderError(fields: ProviderErrorFields): AuthErrorId {
  const aadsts = aadstsNumber(fields);
  if (aadsts !== undefined && BY_AADSTS[aadsts]) return BY_AADSTS[aadsts];
  if (fields.subError === 'consent_required') return 'consent-required';
  const code = fields.error?.trim().toLowerCase();
  return (code && BY_ERROR_CODE[code]) || 'unknown';
}

/**
 * The fixed rejection messages of `identity.launchWebAuthFlow` (Chromium, then Firefox): these are API
 * messages, not provider text, so matching them is the only way to tell a closed window from a dead page.
 */
const BROWSER_FLOW_MESSAGES: readonly (readonly [string, AuthErrorId])[] = [
  ['the user did not approve access', 'user-cancelled'],
  ['user cancelled or denied access', 'user-cancelled'],
  ['authorization page could not be loaded', 'auth-page-unreachable'],
  ['user interaction required', 'interaction-required'],
  ['requires user interaction', 'interaction-required'],
];

export function classifyBrowserFlowError(message: string): AuthErrorId {
  const text = message.toLowerCase();
  return BROWSER_FLOW_MESSAGES.find(([fragment]) => text.includes(fragment))?.[1] ?? 'unknown';
}

/** A short code for the admin to quote to their identity team: "consent_required, AADSTS65001". */
export function providerErrorCode(fields: ProviderErrorFields): string | undefined {
  const parts = [fields.error?.trim()].filter((p): p is string => !!p);
  const aadsts = aadstsNumber(fields);
  if (aadsts !== undefined) parts.push(`AADSTS${aadsts}`);
  return parts.length ? parts.join(', ').slice(0, 120) : undefined;
}

export interface AuthErrorView extends AuthErrorEntry {
  /** The provider's code(s), for the identity team. */
  code?: string;
  adminConsentUrl?: string;
}

/** The entry to show, with the admin-consent link only where the entry calls for it and one is known. */
export function explainAuthError(
  id: AuthErrorId,
  context: { code?: string | undefined; adminConsentUrl?: string | undefined } = {},
): AuthErrorView {
  const base = AUTH_ERRORS[id] ?? AUTH_ERRORS.unknown;
  const view: AuthErrorView = { ...base };
  if (context.code) view.code = context.code;
  if (base.offerAdminConsent && context.adminConsentUrl) view.adminConsentUrl = context.adminConsentUrl;
  return view;
}
