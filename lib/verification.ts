/**
 * The contract of mailbox verification, shared by the companion (which runs the checks) and the extension
 * (which shows them). Every step streams as it happens; one verdict closes the run.
 *
 * Tokens appear only in `VerifyTarget.auth`, which goes worker -> companion and never back: step details
 * carry the server's own words with any token redacted.
 */
import { z } from 'zod';
import { emailSchema } from './email';
import { PROVIDER_IDS } from './providers';

export const mailSecuritySchema = z.enum(['tls', 'starttls']);
export type MailSecurity = z.infer<typeof mailSecuritySchema>;

/** A DNS name or an IP literal; no scheme, no port, no path. */
export const hostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$|^[0-9a-f:]+$/, 'not a host name');

export const mailServerEndpointSchema = z.strictObject({
  host: hostSchema,
  port: z.number().int().min(1).max(65_535),
  security: mailSecuritySchema,
});
export type MailServerEndpoint = z.infer<typeof mailServerEndpointSchema>;


export const verifyTargetSchema = z.strictObject({
  /** The mailbox being verified: the IMAP/SMTP user and the round trip's sender and recipient. */
  address: emailSchema,
  imap: mailServerEndpointSchema,
  smtp: mailServerEndpointSchema,
  /** For provider-specific advice (Microsoft does not answer SMTP on 465, Gmail's IMAP switch). */
  provider: z.enum(PROVIDER_IDS),
  auth: z.strictObject({
    /** Who the token was issued to: the mailbox itself, or a delegate of a shared mailbox. */
    user: emailSchema,
    accessToken: z.string().min(1).max(16_384),
    /** Epoch ms; lets the diagnosis tell an expired token from a mailbox that refuses a good one. */
    expiresAt: z.number().int().positive().optional(),
  }),
  /** Send a message from the mailbox to itself and find it over IMAP. Off by default: it writes to the mailbox. */
  roundTrip: z.boolean().optional(),
  /** Fetch the newest message's date, sender and subject. On by default. */
  sampleMail: z.boolean().optional(),
});
export type VerifyTarget = z.infer<typeof verifyTargetSchema>;

/** In the order they run. */
export const VERIFY_STEP_IDS = [
  'dns',
  'tcp',
  'tls',
  'imap-auth',
  'imap-command',
  'sample-mail',
  'smtp-connect',
  'smtp-auth',
  'round-trip',
] as const;
export const stepIdSchema = z.enum(VERIFY_STEP_IDS);
export type StepId = z.infer<typeof stepIdSchema>;

export const STEP_TITLES: Readonly<Record<StepId, string>> = {
  dns: 'Find the IMAP server',
  tcp: 'Connect to the IMAP server',
  tls: 'Secure connection and certificate',
  'imap-auth': 'Sign in to IMAP with OAuth',
  'imap-command': 'Open the inbox',
  'sample-mail': 'Fetch a sample mail',
  'smtp-connect': 'Connect to the SMTP server',
  'smtp-auth': 'Sign in to SMTP with OAuth',
  'round-trip': 'Send a test message to the mailbox and find it',
};

/**
 * Every cause the catalogue (lib/diagnosis.ts) knows. Part of the wire contract so the extension can
 * render any of them without the companion sending prose it cannot translate or check.
 */
export const DIAGNOSIS_IDS = [
  'dns-not-found',
  'connection-refused',
  'target-not-allowed',
  'connection-timeout',
  'connection-dropped',
  'tls-wrong-mode',
  'tls-cert-expired',
  'tls-cert-untrusted',
  'tls-cert-host-mismatch',
  'tls-failed',
  'oauth-not-offered',
  'token-expired',
  'token-rejected',
  'imap-disabled-or-wrong-user',
  'gmail-imap-disabled',
  'wrong-user-next-command',
  'imap-command-failed',
  'microsoft-smtp-465',
  'smtp-auth-disabled-tenant',
  'smtp-auth-disabled-mailbox',
  'smtp-auth-rejected',
  'smtp-shared-mailbox',
  'smtp-not-authenticated',
  'smtp-send-as-denied',
  'round-trip-not-delivered',
  'aborted',
  'unknown',
] as const;
export const diagnosisIdSchema = z.enum(DIAGNOSIS_IDS);
export type DiagnosisId = z.infer<typeof diagnosisIdSchema>;

export const stepStatusSchema = z.enum(['running', 'ok', 'failed', 'skipped']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const stepResultSchema = z.strictObject({
  id: stepIdSchema,
  status: stepStatusSchema,
  title: z.string().max(200),
  /** Plain words for the admin. */
  summary: z.string().max(1000),
  /** The server's own words (greeting, capability, reply, certificate) behind a "details" toggle. Never a token. */
  details: z.string().max(8000),
  diagnosis: diagnosisIdSchema.optional(),
  durationMs: z.number().nonnegative().optional(),
});
export type StepResult = z.infer<typeof stepResultSchema>;

export const fixFirstSchema = z.strictObject({
  diagnosis: diagnosisIdSchema,
  step: stepIdSchema,
  cause: z.string().max(1000),
  fix: z.array(z.string().max(1000)).max(12),
});
export type FixFirst = z.infer<typeof fixFirstSchema>;

export const verdictSchema = z.strictObject({
  ready: z.boolean(),
  /** "Ready: press Re-authorize in the helpdesk" or what is wrong, in one line. */
  headline: z.string().max(300),
  fixFirst: fixFirstSchema.optional(),
  /** Final state of every step, in order. */
  steps: z.array(stepResultSchema).max(VERIFY_STEP_IDS.length),
});
export type Verdict = z.infer<typeof verdictSchema>;

export const READY_HEADLINE = 'Ready: press Re-authorize in the helpdesk';

/** One line of a streamed verification (e.g. NDJSON from the companion). */
export const verifyEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('step'), step: stepResultSchema }),
  z.strictObject({ type: z.literal('verdict'), verdict: verdictSchema }),
]);
export type VerifyEvent = z.infer<typeof verifyEventSchema>;

// ---- Outage report and folders (monitoring and Salesorder's folder mapping) ----

export const messageSummarySchema = z.strictObject({
  /** ISO 8601: INTERNALDATE (when the server took it in). */
  date: z.string(),
  from: z.string().max(500),
  /** Recipients, for messages in the Sent folder. */
  to: z.string().max(1000).optional(),
  subject: z.string().max(1000),
  messageId: z.string().max(1000).optional(),
});
export type MessageSummary = z.infer<typeof messageSummarySchema>;

export const outageReportSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  received: z.array(messageSummarySchema),
  /** Path of the folder flagged \Sent, when the server has one. */
  sentFolder: z.string().optional(),
  sent: z.array(messageSummarySchema),
  /** True when a list was cut at the report's limit. */
  truncated: z.boolean(),
});
export type OutageReport = z.infer<typeof outageReportSchema>;

export const SPECIAL_USES = ['\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive'] as const;
export type SpecialUse = (typeof SPECIAL_USES)[number];

export const folderInfoSchema = z.strictObject({
  path: z.string(),
  name: z.string(),
  delimiter: z.string().optional(),
  specialUse: z.enum(SPECIAL_USES).optional(),
  /** Where the role comes from: the server's SPECIAL-USE flag, or a well-known folder name ("Sent Items"). */
  specialUseFrom: z.enum(['server', 'name']).optional(),
  flags: z.array(z.string()),
});
export type FolderInfo = z.infer<typeof folderInfoSchema>;

export const FOLDER_ROLES = ['inbox', 'sent', 'drafts', 'junk', 'trash', 'archive'] as const;
export type FolderRole = (typeof FOLDER_ROLES)[number];

export const folderSuggestionSchema = z.strictObject({
  path: z.string(),
  /** Why this folder: the server's special-use flag, or its name when the server flags nothing. */
  reason: z.enum(['special-use', 'name', 'inbox']),
});
export const folderMappingSchema = z.partialRecord(z.enum(FOLDER_ROLES), folderSuggestionSchema);
export type FolderMapping = z.infer<typeof folderMappingSchema>;
