/**
 * Sign-in: the settings an organisation configures, the messages between popup, worker and offscreen
 * document (validated with zod on receipt), the wrong-account guard and the guided incognito sign-out,
 * all as pure data and functions so they are unit-tested without a browser.
 *
 * Tokens appear only in the worker <-> offscreen messages (extension-only contexts); nothing the popup or a
 * content script receives carries one.
 */
import { z } from 'zod';
import { AUTH_ERROR_IDS } from './auth-errors';
import { emailAddressOf, emailSchema } from './email';
import { defineMessage, noReply, type MessageOf } from './message-contract';
import {
  GOOGLE_ISSUER,
  GOOGLE_MAIL_SCOPES,
  MICROSOFT_LOGOUT_URL,
  MICROSOFT_MAIL_SCOPES,
  microsoftAdminConsentUrl,
  microsoftAuthority,
  microsoftTenantFor,
} from './providers';

// ---------------------------------------------------------------------------------------------------------
// Settings (storage.local: client ids and endpoints are not secrets)

export const SIGNIN_SETTINGS_KEY = 'signinSettings';
/** Shared mailboxes whose delegate the admin confirmed: mailbox -> delegate accounts (storage.local). */
export const SHARED_DELEGATES_KEY = 'sharedMailboxDelegates';

const httpsUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .url()
  .refine((u) => new URL(u).protocol === 'https:', 'must start with https://');

export const clientIdSchema = z
  .string()
  .trim()
  .min(1, 'enter the Client ID')
  .max(200)
  .regex(/^[A-Za-z0-9._~:@-]+$/, 'a Client ID has no spaces or special characters');

/** A tenant id (GUID), a verified domain, or one of Microsoft's shared audiences. */
export const microsoftTenantSchema = z
  .string()
  .trim()
  .max(100)
  .regex(/^[A-Za-z0-9.-]+$/, 'a tenant is a domain (contoso.onmicrosoft.com) or a Directory ID');

/**
 * Who redeems the authorization code. extension: the worker, as a public client (no secret; Microsoft SPA
 * platform: 24-hour refresh tokens). companion: the worker stops at the code and hands it, with its PKCE
 * verifier and nonce, to the companion, which redeems it with the client secret from its clients.json
 * (a confidential client: Microsoft Web platform, 90-day refresh tokens; Google's Web application clients
 * accept nothing else).
 */
export const REDEEMERS = ['extension', 'companion'] as const;
export const redeemViaSchema = z.enum(REDEEMERS);
export type RedeemVia = z.infer<typeof redeemViaSchema>;
/**
 * Google's token endpoint wants the client secret of its Web application clients, PKCE or not: only the
 * companion has it.
 */
export const DEFAULT_REDEEM_VIA: Readonly<Record<'microsoft' | 'google' | 'generic', RedeemVia>> = {
  microsoft: 'extension',
  google: 'companion',
  generic: 'extension',
};

/** The scope asks for an OpenID Connect id token (which names the account that signed in). */
export const scopeHasOpenid = (scope: string): boolean => /(^|\s)openid(\s|$)/.test(scope);

export const genericProviderSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    name: z.string().trim().min(1, 'give the provider a name').max(80),
    clientId: clientIdSchema,
    authorizeUrl: httpsUrlSchema,
    tokenUrl: httpsUrlSchema,
    scope: z.string().trim().min(1, 'enter the Scope').max(1000),
    /** OpenID Connect issuer: when set, the id token is validated (signature, issuer, audience, expiry, nonce). */
    issuer: httpsUrlSchema.optional(),
    redeemVia: redeemViaSchema.optional(),
  })
  .refine((p) => !scopeHasOpenid(p.scope) || p.issuer !== undefined, {
    message: 'with "openid" in the Scope, enter the Issuer too, so the id token can be checked',
    path: ['issuer'],
  });
export type GenericProvider = z.infer<typeof genericProviderSchema>;

export const signinSettingsSchema = z.strictObject({
  microsoft: z
    .strictObject({
      clientId: clientIdSchema.optional(),
      tenant: microsoftTenantSchema.optional(),
      redeemVia: redeemViaSchema.optional(),
    })
    .default({}),
  google: z.strictObject({ clientId: clientIdSchema.optional(), redeemVia: redeemViaSchema.optional() }).default({}),
  generic: z.array(genericProviderSchema).max(20).default([]),
});
export type SigninSettings = z.infer<typeof signinSettingsSchema>;
export const EMPTY_SIGNIN_SETTINGS: SigninSettings = { microsoft: {}, google: {}, generic: [] };

/** Settings as stored; a damaged value falls back to empty rather than breaking sign-in for every provider. */
export function parseSigninSettings(raw: unknown): SigninSettings {
  const parsed = signinSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : EMPTY_SIGNIN_SETTINGS;
}

export const sharedDelegatesSchema = z.record(emailSchema, z.array(emailSchema).max(50));
export type SharedDelegates = z.infer<typeof sharedDelegatesSchema>;

// ---------------------------------------------------------------------------------------------------------
// Flow state, as the popup sees it (never a token)

export const SIGNIN_PROVIDERS = ['microsoft', 'google', 'generic'] as const;
export const signinProviderSchema = z.enum(SIGNIN_PROVIDERS);
export type SigninProvider = z.infer<typeof signinProviderSchema>;

/** opening -> waiting (the picker is up) -> checking (tokens redeemed, account compared) -> done | a stop. */
export const FLOW_STEPS = [
  'opening',
  'waiting',
  'checking',
  'done',
  'wrong-account',
  'unverified-account',
  'error',
] as const;
export const flowStepSchema = z.enum(FLOW_STEPS);
export type FlowStep = z.infer<typeof flowStepSchema>;
export const PROGRESS_STEPS = ['opening', 'waiting', 'checking', 'done'] as const satisfies readonly FlowStep[];
export const PROGRESS_LABELS: Readonly<Record<(typeof PROGRESS_STEPS)[number], string>> = {
  opening: 'Opening sign-in',
  waiting: 'Waiting for you in the sign-in window',
  checking: 'Checking the account',
  done: 'Signed in',
};

export const flowErrorSchema = z.strictObject({
  id: z.enum(AUTH_ERROR_IDS),
  code: z.string().max(120).optional(),
  adminConsentUrl: z.string().url().max(2048).optional(),
  /** The companion's own words, when it redeemed the code and said no (never a token: its API carries none back). */
  detail: z.string().max(1000).optional(),
  /** The Redirect URL to register, for errors fixed in the app registration. */
  redirectUri: z.string().url().max(2048).optional(),
});
export type FlowError = z.infer<typeof flowErrorSchema>;

export const flowViewSchema = z.strictObject({
  id: z.string().max(64),
  mailbox: emailSchema,
  provider: signinProviderSchema,
  providerLabel: z.string().max(120),
  genericId: z.string().max(40).optional(),
  /** The helpdesk origin the sign-in was started for (for the incognito guide). */
  helpdeskUrl: z.string().url().max(2048).optional(),
  step: flowStepSchema,
  /** The account the provider says signed in. */
  account: z.string().max(320).optional(),
  /** "delegate" when a confirmed delegate signed in for a shared mailbox. */
  signedInAs: z.enum(['mailbox', 'delegate', 'confirmed-by-admin']).optional(),
  /** Who redeems (redeemed) the code: the tokens then live in the worker, or only in the companion. */
  redeemedBy: redeemViaSchema.optional(),
  error: flowErrorSchema.optional(),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
});
export type FlowView = z.infer<typeof flowViewSchema>;

// ---------------------------------------------------------------------------------------------------------
// worker <-> offscreen document (MSAL). Only extension pages receive runtime messages; the reply goes to the
// worker alone.

export const msalConfigSchema = z.strictObject({
  clientId: clientIdSchema,
  authority: httpsUrlSchema,
  redirectUri: httpsUrlSchema,
  scopes: z.array(z.string().min(1).max(300)).min(1).max(20),
});
export type MsalConfig = z.infer<typeof msalConfigSchema>;

export const offscreenRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    target: z.literal('offscreen'),
    kind: z.literal('msal-begin'),
    config: msalConfigSchema,
    loginHint: z.optional(emailSchema),
  }),
  z.strictObject({
    target: z.literal('offscreen'),
    kind: z.literal('msal-complete'),
    config: msalConfigSchema,
    /** The authorize response fragment (`#code=...&state=...`). */
    hash: z.string().min(1).max(16_384),
  }),
  /** A flow that will never reach msal-complete (failed, cancelled, interrupted): forget its interaction. */
  z.strictObject({ target: z.literal('offscreen'), kind: z.literal('msal-abort') }),
]);
export type OffscreenRequest = z.infer<typeof offscreenRequestSchema>;

export const providerErrorFieldsSchema = z.strictObject({
  error: z.string().max(200).optional(),
  errorCodes: z
    .array(z.union([z.number(), z.string().max(20)]))
    .max(10)
    .optional(),
  errorUri: z.string().max(2048).optional(),
  subError: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
});

export const msalTokensSchema = z.strictObject({
  accessToken: z.string().min(1),
  idToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresOn: z.number().nullable(),
  scopes: z.array(z.string()),
});
export type MsalTokens = z.infer<typeof msalTokensSchema>;

export const offscreenResponseSchema = z.union([
  z.strictObject({ ok: z.literal(true), authorizeUrl: httpsUrlSchema }),
  z.strictObject({ ok: z.literal(true), cleared: z.number().int().nonnegative() }),
  z.strictObject({ ok: z.literal(true), tokens: msalTokensSchema }),
  z.strictObject({ ok: z.literal(false), error: providerErrorFieldsSchema }),
]);
export type OffscreenResponse = z.infer<typeof offscreenResponseSchema>;

// ---------------------------------------------------------------------------------------------------------
// The wrong-account guard

/** Id token claims that can name the signed-in account, most specific first. */
const ACCOUNT_CLAIMS = ['preferred_username', 'email', 'upn', 'unique_name'] as const;

function normaliseAddress(value: unknown): string | undefined {
  return emailAddressOf(value) ?? undefined;
}

/** Every address the token names for the account (an unverified email is ignored). */
export function accountAddresses(claims: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = [];
  for (const claim of ACCOUNT_CLAIMS) {
    if (claim === 'email' && claims.email_verified === false) continue;
    const address = normaliseAddress(claims[claim]);
    if (address && !found.includes(address)) found.push(address);
  }
  return found;
}

export type AccountCheck =
  | { verdict: 'mailbox'; account: string }
  | { verdict: 'delegate'; account: string }
  | { verdict: 'mismatch'; account: string; expected: string }
  | { verdict: 'unknown'; expected: string };

/**
 * Does the account that signed in own the mailbox? Case-insensitive on the whole address. A shared
 * mailbox's delegate passes only when the admin confirmed that delegate for that mailbox before.
 */
export function checkAccount(
  claims: Readonly<Record<string, unknown>> | undefined,
  mailbox: string,
  delegates: SharedDelegates = {},
): AccountCheck {
  const expected = mailbox.trim().toLowerCase();
  const addresses = claims ? accountAddresses(claims) : [];
  const account = addresses[0];
  if (!account) return { verdict: 'unknown', expected };
  if (addresses.includes(expected)) return { verdict: 'mailbox', account: expected };
  const confirmed = delegates[expected] ?? [];
  const delegate = addresses.find((a) => confirmed.includes(a));
  if (delegate) return { verdict: 'delegate', account: delegate };
  return { verdict: 'mismatch', account, expected };
}

/** Records a confirmed delegate for a shared mailbox (returns a new map; idempotent). */
export function recordDelegate(delegates: SharedDelegates, mailbox: string, delegate: string): SharedDelegates {
  const key = mailbox.trim().toLowerCase();
  const who = delegate.trim().toLowerCase();
  const current = delegates[key] ?? [];
  return current.includes(who) ? delegates : { ...delegates, [key]: [...current, who] };
}

// ---------------------------------------------------------------------------------------------------------
// State and nonce, for the flows Reauth Assist runs itself (MSAL checks its own as well)

/** Reads the authorize response parameters, from the query or (response_mode=fragment) the fragment. */
export function authorizeResponseParams(responseUrl: string): URLSearchParams {
  const url = new URL(responseUrl);
  const fromHash = new URLSearchParams(url.hash.replace(/^#/, ''));
  return fromHash.has('code') || fromHash.has('error') || fromHash.has('state') ? fromHash : url.searchParams;
}

export type StateCheck = { ok: true } | { ok: false; reason: 'state-mismatch' };
/** Constant-time enough for a one-shot random value; what matters is that a missing state never passes. */
export function checkState(params: URLSearchParams, expected: string): StateCheck {
  const got = params.get('state');
  return got !== null && expected.length > 0 && got === expected
    ? { ok: true }
    : { ok: false, reason: 'state-mismatch' };
}

/** The unverified payload of a JWT (for routing only: which tenant's keys to fetch). */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const binary = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Guided incognito sign-out (the seeds' fix when the wrong Microsoft account signs in by itself)

export const INCOGNITO_STEP_IDS = [
  'open-private-window',
  'sign-out-microsoft',
  'sign-in-helpdesk',
  'press-reauthorize',
  'confirm-banner-gone',
] as const;
export type IncognitoStepId = (typeof INCOGNITO_STEP_IDS)[number];

export const incognitoGuideStateSchema = z.strictObject({
  mailbox: emailSchema,
  helpdeskUrl: z.string().url().max(2048),
  done: z.array(z.enum(INCOGNITO_STEP_IDS)).max(INCOGNITO_STEP_IDS.length),
  /** The private window Reauth Assist opened, when it could. */
  windowId: z.number().int().optional(),
});
export type IncognitoGuideState = z.infer<typeof incognitoGuideStateSchema>;

export function startIncognitoGuide(mailbox: string, helpdeskUrl: string): IncognitoGuideState {
  return { mailbox: mailbox.trim().toLowerCase(), helpdeskUrl, done: [] };
}

/** The step the admin is on: the first one not done (undefined when all are). */
export function currentIncognitoStep(state: IncognitoGuideState): IncognitoStepId | undefined {
  return INCOGNITO_STEP_IDS.find((s) => !state.done.includes(s));
}

/**
 * Checks a step off, or un-checks it. Steps happen in order: only the current step can be checked, and
 * un-checking one un-checks those after it (they were done on top of it).
 */
export function markIncognitoStep(
  state: IncognitoGuideState,
  step: IncognitoStepId,
  done: boolean,
): IncognitoGuideState {
  const index = INCOGNITO_STEP_IDS.indexOf(step);
  if (done) {
    if (currentIncognitoStep(state) !== step) return state;
    return { ...state, done: INCOGNITO_STEP_IDS.slice(0, index + 1) as IncognitoStepId[] };
  }
  if (!state.done.includes(step)) return state;
  const kept = INCOGNITO_STEP_IDS.slice(0, index) as IncognitoStepId[];
  return { ...state, done: kept, ...(index === 0 ? { windowId: undefined } : {}) };
}

export function incognitoGuideFinished(state: IncognitoGuideState): boolean {
  return currentIncognitoStep(state) === undefined;
}

export type BrowserFamily = 'chrome' | 'firefox';
export type Platform = 'mac' | 'other';

export type PrivateWindowPlan =
  | { method: 'create-window'; url: string }
  | { method: 'manual'; url: string; shortcut: string; allowHow: string };

/** How step 1 is done: Reauth Assist opens the window when it may, otherwise the admin does, with the URL to paste. */
export function privateWindowPlan(
  helpdeskUrl: string,
  env: { incognitoAllowed: boolean; browser: BrowserFamily; platform: Platform },
): PrivateWindowPlan {
  if (env.incognitoAllowed) return { method: 'create-window', url: helpdeskUrl };
  const mod = env.platform === 'mac' ? 'Cmd' : 'Ctrl';
  return env.browser === 'firefox'
    ? {
        method: 'manual',
        url: helpdeskUrl,
        shortcut: `${mod}+Shift+P`,
        allowHow: 'about:addons > Reauth Assist > "Run in Private Windows": Allow',
      }
    : {
        method: 'manual',
        url: helpdeskUrl,
        shortcut: `${mod}+Shift+N`,
        allowHow: 'chrome://extensions > Reauth Assist > Details > "Allow in Incognito"',
      };
}

export interface IncognitoStepView {
  id: IncognitoStepId;
  title: string;
  detail: string;
  status: 'done' | 'current' | 'pending';
  /** A link the step opens or that the admin copies. */
  url?: string;
}

/** The panel's content: each step in plain words, with its status. */
export function incognitoStepViews(state: IncognitoGuideState, plan: PrivateWindowPlan): IncognitoStepView[] {
  const current = currentIncognitoStep(state);
  const status = (id: IncognitoStepId): IncognitoStepView['status'] =>
    state.done.includes(id) ? 'done' : id === current ? 'current' : 'pending';
  const openDetail =
    plan.method === 'create-window'
      ? "Reauth Assist opens a private window on the helpdesk's email settings. A private window starts with no " +
        'Microsoft session, so no account signs in by itself.'
      : `Press ${plan.shortcut} to open a private window and paste the helpdesk's email-settings address (copy it ` +
        `below). To let Reauth Assist open it for you: ${plan.allowHow}.`;
  return [
    {
      id: 'open-private-window',
      title: 'Open a private window on the email settings',
      detail: openDetail,
      status: status('open-private-window'),
      url: plan.url,
    },
    {
      id: 'sign-out-microsoft',
      title: 'Sign out of every Microsoft session there',
      detail:
        "In the private window, open Microsoft's sign-out page (copy it below) and sign out of every account it lists.",
      status: status('sign-out-microsoft'),
      url: MICROSOFT_LOGOUT_URL,
    },
    {
      id: 'sign-in-helpdesk',
      title: 'Sign in to the helpdesk',
      detail: 'Sign in to the helpdesk as an admin in the private window and go to Admin > Channels > Email.',
      status: status('sign-in-helpdesk'),
    },
    {
      id: 'press-reauthorize',
      title: `Press Re-authorize on the row of ${state.mailbox}`,
      detail:
        "Reauth Assist marks the row there too (when it is allowed in private windows). Sign in with the mailbox's " +
        'own account.',
      status: status('press-reauthorize'),
    },
    {
      id: 'confirm-banner-gone',
      title: 'Confirm the banner is gone',
      detail:
        'Reload the email settings: "Please reauthorize your Email settings" should no longer show. Then close the ' +
        'private window.',
      status: status('confirm-banner-gone'),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Which provider, which client, which endpoints: decided from the settings before anything opens

export type SigninPlan =
  | {
      provider: 'microsoft';
      label: string;
      clientId: string;
      tenant: string;
      authority: string;
      scopes: string[];
      adminConsentUrl: string;
      redeemVia: RedeemVia;
    }
  | {
      provider: 'google' | 'generic';
      label: string;
      clientId: string;
      /** Discovery source and the id token's expected `iss` (absent: plain OAuth 2.0, no id token). */
      issuer?: string;
      /** Explicit endpoints (generic); otherwise from the issuer's discovery document. */
      authorizeUrl?: string;
      tokenUrl?: string;
      scope: string;
      /** `prompt` value: always includes select_account. */
      prompt: string;
      extraParams: Record<string, string>;
      redeemVia: RedeemVia;
    };

export type PlanResult = { ok: true; plan: SigninPlan } | { ok: false; errorId: 'not-configured' };

export function planSignin(
  request: { mailbox: string; provider: SigninProvider; genericId?: string | undefined },
  settings: SigninSettings,
  redirectUri: string,
): PlanResult {
  if (request.provider === 'microsoft') {
    const clientId = settings.microsoft.clientId;
    if (!clientId) return { ok: false, errorId: 'not-configured' };
    const tenant = microsoftTenantFor(request.mailbox, settings.microsoft.tenant);
    return {
      ok: true,
      plan: {
        provider: 'microsoft',
        label: tenant === 'consumers' ? 'Microsoft (personal account)' : 'Microsoft 365 (work or school)',
        clientId,
        tenant,
        authority: microsoftAuthority(tenant),
        scopes: [...MICROSOFT_MAIL_SCOPES],
        adminConsentUrl: microsoftAdminConsentUrl(tenant, clientId, redirectUri),
        redeemVia: settings.microsoft.redeemVia ?? DEFAULT_REDEEM_VIA.microsoft,
      },
    };
  }
  if (request.provider === 'google') {
    const clientId = settings.google.clientId;
    if (!clientId) return { ok: false, errorId: 'not-configured' };
    return {
      ok: true,
      plan: {
        provider: 'google',
        label: 'Google',
        clientId,
        issuer: GOOGLE_ISSUER,
        scope: GOOGLE_MAIL_SCOPES.join(' '),
        // consent too: Google returns a refresh token only when the consent screen is shown.
        prompt: 'select_account consent',
        extraParams: { access_type: 'offline', login_hint: request.mailbox },
        redeemVia: settings.google.redeemVia ?? DEFAULT_REDEEM_VIA.google,
      },
    };
  }
  const generic =
    settings.generic.find((g) => g.id === request.genericId) ?? (request.genericId ? undefined : settings.generic[0]);
  if (!generic) return { ok: false, errorId: 'not-configured' };
  return {
    ok: true,
    plan: {
      provider: 'generic',
      label: generic.name,
      clientId: generic.clientId,
      ...(generic.issuer ? { issuer: generic.issuer } : {}),
      authorizeUrl: generic.authorizeUrl,
      tokenUrl: generic.tokenUrl,
      scope: generic.scope,
      prompt: 'select_account',
      extraParams: { login_hint: request.mailbox },
      redeemVia: generic.redeemVia ?? DEFAULT_REDEEM_VIA.generic,
    },
  };
}

/** Where Microsoft publishes the signing keys and how its id tokens name their issuer (per tenant id). */
export function microsoftIdTokenExpectations(
  authority: string,
  tid: unknown,
): { issuer: string; jwksUri: string } | undefined {
  if (typeof tid !== 'string' || !/^[0-9a-f-]{36}$/i.test(tid)) return undefined;
  const origin = new URL(authority).origin;
  return { issuer: `${origin}/${tid}/v2.0`, jwksUri: `${authority}/discovery/v2.0/keys` };
}

// ---------------------------------------------------------------------------------------------------------
// worker -> popup, pushed over a runtime port on connect and on every change

export interface SigninPopupState {
  flows: FlowView[];
  /** Which providers have a client configured (the popup offers only those, and says where to set the rest). */
  configured: { microsoft: boolean; google: boolean; generic: Array<{ id: string; name: string }> };
  guide: { state: IncognitoGuideState; plan: PrivateWindowPlan; steps: IncognitoStepView[] } | null;
  redirectUri: string;
}

// ---------------------------------------------------------------------------------------------------------
// popup -> worker

const flowIdSchema = z.string().max(64);
const startedSchema = z.strictObject({ flowId: z.string() });

export const signinStart = defineMessage(
  'signin-start',
  {
    mailbox: emailSchema,
    provider: signinProviderSchema,
    genericId: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/)
      .optional(),
    helpdeskUrl: z.string().url().max(2048).optional(),
  },
  startedSchema,
);
export type SigninStart = MessageOf<typeof signinStart>;
/**
 * The admin confirms that a shared mailbox's delegate signed in (the mismatch was expected). Answers the
 * new flow when the delegate must sign in once more (the companion redeemed the first code).
 */
export const signinConfirmDelegate = defineMessage(
  'signin-confirm-delegate',
  {
    flowId: flowIdSchema,
    /** Repeated from the panel so a stale popup cannot confirm some other account. */
    delegate: emailSchema,
  },
  z.nullable(startedSchema),
);
/** The admin confirms that a provider which names no account signed in as the mailbox. */
export const signinConfirmAccount = defineMessage('signin-confirm-account', { flowId: flowIdSchema }, noReply);
export const signinDismiss = defineMessage('signin-dismiss', { flowId: flowIdSchema }, noReply);

export const incognitoGuideStart = defineMessage(
  'incognito-guide-start',
  { mailbox: emailSchema, helpdeskUrl: z.string().url().max(2048) },
  noReply,
);
/**
 * Opens, in the guide's private window, the helpdesk's email settings (step 1) or Microsoft's sign-out page
 * (step 2).
 */
export const incognitoGuideOpen = defineMessage(
  'incognito-guide-open',
  { what: z.enum(['helpdesk', 'sign-out']) },
  noReply,
);
export const incognitoGuideMark = defineMessage(
  'incognito-guide-mark',
  { step: z.enum(INCOGNITO_STEP_IDS), done: z.boolean() },
  noReply,
);
export const incognitoGuideClose = defineMessage('incognito-guide-close', {}, noReply);
