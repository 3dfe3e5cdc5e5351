/**
 * The companion's HTTP API: every request and response body, validated with zod on both sides (the
 * companion, and the extension's background worker that calls it). Objects are strict: an unknown field is
 * a 400, so a typo or a newer client never half-works.
 *
 * Wire facts the worker needs:
 * - Base URL http://127.0.0.1:8787 by default; every path is under /v1.
 * - `Authorization: Bearer <pairing secret>` on every request except GET /v1/health.
 * - Errors are always `{ error: { code, message, hint? } }` with a 4xx/5xx status.
 * - POST /v1/mailboxes/:address/verify answers `application/x-ndjson`: one JSON object a line, each a
 *   `VerifyStreamLine` (steps as they happen, then exactly one verdict, or one error line).
 */
import { z } from 'zod';
import { emailSchema } from './email';
import { PROVIDER_IDS } from './providers';
import { RETRY_POLICY } from './scenarios';
import {
  folderInfoSchema,
  folderMappingSchema,
  mailServerEndpointSchema,
  outageReportSchema,
  stepResultSchema,
  verdictSchema,
} from './verification';

export const COMPANION_API_VERSION = 1;
export const COMPANION_DEFAULT_PORT = 8787;
export const COMPANION_DEFAULT_HOST = '127.0.0.1';
/** Request bodies larger than this are refused with 413 before they are parsed. */
export const COMPANION_BODY_LIMIT_BYTES = 64 * 1024;
/** The Chrome extension's origin (its id is pinned by the manifest key). */
export const CHROME_EXTENSION_ORIGIN = 'chrome-extension://bjbknmdlnppncpgpkampigklkbmnehfg';
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

// ------------------------------------------------------------------------------------------------ errors

export const API_ERROR_CODES = [
  'host_not_allowed',
  'origin_not_allowed',
  'unauthorized',
  'rate_limited',
  'body_too_large',
  'invalid_json',
  'unsupported_media_type',
  'invalid_request',
  'not_found',
  'wrong_account',
  'confidential_client_unknown',
  'token_endpoint_error',
  'target_not_allowed',
  'needs_reauth',
  'token_expired',
  'verify_busy',
  'store_unavailable',
  'internal',
] as const;
export const apiErrorCodeSchema = z.enum(API_ERROR_CODES);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

export const apiErrorSchema = z.strictObject({
  error: z.strictObject({
    code: apiErrorCodeSchema,
    /** What failed and why, for an admin. */
    message: z.string(),
    /** The next step. */
    hint: z.string().optional(),
    /** Which fields were wrong (validation errors). */
    issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    /** wrong_account: the account that signed in (so the extension can name it beside the mailbox). */
    account: z.string().max(320).optional(),
    /** token_endpoint_error: the provider's OAuth `error` code (never its description). */
    providerError: z.string().max(200).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

// ------------------------------------------------------------------------------------------------ shared parts

/** emailSchema (zod/mini, shared with content scripts) wrapped in the classic API the companion's routes use. */
export const mailboxAddressSchema = z.string().pipe(emailSchema);

const tokenSchema = z.string().min(1).max(16_384);
const httpsUrlSchema = z
  .string()
  .max(2048)
  .url()
  .refine((u) => u.startsWith('https://'), 'must be an https:// URL');

const providerFields = {
  provider: z.enum(PROVIDER_IDS),
  clientId: z.string().trim().min(1).max(256),
  /** Microsoft only: tenant id/domain, `organizations` or `consumers` (default from the address). */
  tenant: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9.-]+$/, 'not a tenant id or domain')
    .optional(),
  /** Generic provider only (required there): the token endpoint the admin configured. */
  tokenEndpoint: httpsUrlSchema.optional(),
  /** Mail servers; default from the provider catalogue (required for the generic provider). */
  imap: z.optional(mailServerEndpointSchema),
  smtp: z.optional(mailServerEndpointSchema),
  /**
   * The signed-in account is a delegate of this shared mailbox (the admin confirmed it in the popup).
   * Without it, an account that differs from the mailbox address is refused.
   */
  sharedMailbox: z.boolean().optional(),
};

/** Public client: the worker redeemed the code itself and hands the tokens over. */
export const tokensHandoffSchema = z.strictObject({
  mode: z.literal('tokens'),
  ...providerFields,
  accessToken: tokenSchema,
  refreshToken: tokenSchema.optional(),
  /** ISO 8601 time the access token expires. */
  expiresAt: z.iso.datetime({ offset: true }),
  scope: z.string().max(4096),
  /** Who signed in (id token preferred_username / email / upn), checked by the worker's wrong-account guard. */
  account: mailboxAddressSchema,
});
export type TokensHandoff = z.infer<typeof tokensHandoffSchema>;

/** Confidential client: the companion redeems the code with the client secret it is configured with. */
export const codeHandoffSchema = z.strictObject({
  mode: z.literal('code'),
  ...providerFields,
  code: z.string().min(1).max(8192),
  /** RFC 7636: 43-128 unreserved characters. */
  codeVerifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'not a PKCE code verifier'),
  redirectUri: httpsUrlSchema,
  /** The nonce sent on the authorize request, checked against the id token. */
  nonce: z.string().min(1).max(512).optional(),
  /**
   * Delegates the admin confirmed for this shared mailbox: the account the code belongs to is known only once
   * the companion redeemed it, so the guard needs the list, not a yes/no.
   */
  delegates: z.array(mailboxAddressSchema).max(50).optional(),
});
export type CodeHandoff = z.infer<typeof codeHandoffSchema>;

export const handoffRequestSchema = z
  .discriminatedUnion('mode', [tokensHandoffSchema, codeHandoffSchema])
  .superRefine((h, ctx) => {
    if (h.provider === 'generic') {
      for (const key of ['tokenEndpoint', 'imap', 'smtp'] as const) {
        if (!h[key]) ctx.addIssue({ code: 'custom', path: [key], message: `required for the generic provider` });
      }
    } else if (h.tokenEndpoint) {
      ctx.addIssue({
        code: 'custom',
        path: ['tokenEndpoint'],
        message: `only for the generic provider; ${h.provider} uses its own`,
      });
    }
    if (h.tenant && h.provider !== 'microsoft') {
      ctx.addIssue({ code: 'custom', path: ['tenant'], message: 'only for the microsoft provider' });
    }
  });
export type HandoffRequest = z.infer<typeof handoffRequestSchema>;

// ------------------------------------------------------------------------------------------------ mailbox state

/**
 * pending: handed over, not checked yet; connected: last check passed; retrying: a check failed and the
 * retry schedule runs; disconnected: every retry failed (still checked at the normal interval);
 * needs-reauth: the provider refused the refresh token (invalid_grant) or no token is left: sign in again.
 */
export const MAILBOX_STATUSES = ['pending', 'connected', 'retrying', 'disconnected', 'needs-reauth'] as const;
export const mailboxStatusSchema = z.enum(MAILBOX_STATUSES);
export type MailboxStatus = z.infer<typeof mailboxStatusSchema>;

export const verdictSummarySchema = z.strictObject({
  ready: z.boolean(),
  headline: z.string(),
  at: z.string(),
});

export const mailboxStateSchema = z.strictObject({
  address: mailboxAddressSchema,
  provider: z.enum(PROVIDER_IDS),
  account: z.string(),
  clientKind: z.enum(['public', 'confidential']),
  status: mailboxStatusSchema,
  /** Why it needs reauthorization, in an admin's words (set only for needs-reauth). */
  reason: z.string().optional(),
  /** Failed checks in the current outage (0 when connected). */
  attempt: z.number().int().nonnegative(),
  maxAttempts: z.literal(RETRY_POLICY.attempts),
  /** Next health check or retry (ISO); null when nothing is scheduled (needs-reauth). */
  nextRunAt: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  lastVerdict: verdictSummarySchema.nullable(),
  accessTokenExpiresAt: z.string(),
  hasRefreshToken: z.boolean(),
  /** Start of the current outage (first failed check), null when connected. */
  outageSince: z.string().nullable(),
  /** An outage report is waiting (GET .../outage-report). */
  outageReportAt: z.string().nullable(),
  imap: mailServerEndpointSchema,
  smtp: mailServerEndpointSchema,
});
export type MailboxState = z.infer<typeof mailboxStateSchema>;

export const mailboxListResponseSchema = z.strictObject({
  /** The companion's clock, so a countdown is right even when the two clocks differ. */
  serverTime: z.string(),
  mailboxes: z.array(mailboxStateSchema),
});
export type MailboxListResponse = z.infer<typeof mailboxListResponseSchema>;

export const handoffResponseSchema = z.strictObject({
  mailbox: mailboxStateSchema,
});
export type HandoffResponse = z.infer<typeof handoffResponseSchema>;

export const healthResponseSchema = z.strictObject({
  ok: z.literal(true),
  version: z.string(),
  api: z.literal(COMPANION_API_VERSION),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

// ------------------------------------------------------------------------------------------------ verify

export const verifyRequestSchema = z.strictObject({
  /** Send a test message from the mailbox to itself and find it over IMAP (writes to the mailbox). */
  roundTrip: z.boolean().optional(),
  sampleMail: z.boolean().optional(),
});
export type VerifyRequest = z.infer<typeof verifyRequestSchema>;

/** One NDJSON line of POST /v1/mailboxes/:address/verify. */
export const verifyStreamLineSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('step'), step: stepResultSchema }),
  z.strictObject({ type: z.literal('verdict'), verdict: verdictSchema }),
  z.strictObject({ type: z.literal('error'), error: apiErrorSchema.shape.error }),
]);
export type VerifyStreamLine = z.infer<typeof verifyStreamLineSchema>;

// ------------------------------------------------------------------------------------------------ outage report

export const outageReportResponseSchema = z.strictObject({
  address: mailboxAddressSchema,
  /** When the companion wrote it (the reconnecting check). */
  createdAt: z.string(),
  report: outageReportSchema,
});
export type OutageReportResponse = z.infer<typeof outageReportResponseSchema>;

// ------------------------------------------------------------------------------------------------ folders

/** GET /v1/mailboxes/:address/folders: the mailbox's IMAP folders with special-use flags and a suggested mapping. */
export const mailboxFoldersResponseSchema = z.strictObject({
  address: mailboxAddressSchema,
  folders: z.array(folderInfoSchema).max(5000),
  mapping: folderMappingSchema,
});
export type MailboxFoldersResponse = z.infer<typeof mailboxFoldersResponseSchema>;

export function mailboxPath(address: string, suffix = ''): string {
  return `/v1/mailboxes/${encodeURIComponent(address)}${suffix}`;
}
