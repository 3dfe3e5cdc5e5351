/**
 * Messages of the in-page assistants on helpdesk settings screens (SupportCenter Plus, Salesorder), one
 * definition each (message-contract.ts). A content script runs beside page code: it may ask the worker to
 * open the verify page for a mailbox, or for the mailbox's folder names, and never receives a token: sign-in
 * and verification happen in the extension's own page and worker. zod/mini: the content script imports it.
 */
import * as z from 'zod/mini';
import { DIAGNOSIS_IDS } from './diagnosis';
import { emailSchema } from './email';
import { mailDomainsSchema, mailHostingResultsSchema } from './mail-hosting-schemas';
import { folderMappingSchema, mailServerEndpointSchema, SPECIAL_USES } from './mail-server';
import { defineMessage, type FieldsOf } from './message-contract';
import { helpdeskIdSchema, type HelpdeskId } from './messages';
import { PROVIDER_IDS } from './providers';

const purposeSchema = z.enum(['before-save', 'smtp-auth']);

/** content script -> worker: open the verify page for the mailbox the form is about (servers as the page has them). */
export const startVerifyFor = defineMessage(
  'start-verify-for',
  {
    helpdesk: helpdeskIdSchema,
    mailbox: emailSchema,
    provider: z.enum(PROVIDER_IDS),
    imap: z.optional(mailServerEndpointSchema),
    smtp: z.optional(mailServerEndpointSchema),
    /** What the admin checks: the mailbox before Save, or the SMTP AUTH prerequisite (Salesorder). */
    purpose: purposeSchema,
  },
  z.strictObject({ id: z.uuid() }),
);
/** What the form says about the mailbox to verify. */
export type StartVerifyFor = FieldsOf<typeof startVerifyFor>;

/** What the page may see of the mailbox's folders: names and roles, nothing else. */
const folderListViewSchema = z.strictObject({
  folders: z.array(
    z.strictObject({ path: z.string(), name: z.string(), specialUse: z.optional(z.enum(SPECIAL_USES)) }),
  ),
  mapping: folderMappingSchema,
});
export type FolderListView = z.infer<typeof folderListViewSchema>;

/** content script -> worker: the mailbox's folder names and special-use flags, through the companion. */
export const mailboxFolders = defineMessage('mailbox-folders', { mailbox: emailSchema }, folderListViewSchema);

const explanationSchema = z.strictObject({
  id: z.enum(DIAGNOSIS_IDS),
  headline: z.string(),
  cause: z.string(),
  fix: z.array(z.string()),
});

/** What a helpdesk's Test Connection result means, for the admin. */
const testConnectionOutcomeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ok'), headline: z.string() }),
  z.strictObject({
    kind: z.literal('admin-consent'),
    headline: z.string(),
    cause: z.string(),
    fix: z.array(z.string()),
    adminConsentUrl: z.optional(z.url()),
  }),
  z.strictObject({ kind: z.literal('failed'), explanation: explanationSchema }),
]);
export type TestConnectionOutcome = z.infer<typeof testConnectionOutcomeSchema>;

/**
 * content script -> worker: what a Test Connection result means (the diagnosis catalogue stays in the
 * worker, out of the content script's bundle). The page's own OAuth client, for the admin-consent link.
 */
export const explainTestConnection = defineMessage(
  'explain-test-connection',
  {
    text: z.string().check(z.minLength(1), z.maxLength(1000)),
    mailbox: z.optional(emailSchema),
    clientId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(256))),
    redirectUri: z.optional(z.url().check(z.maxLength(2048))),
  },
  testConnectionOutcomeSchema,
);

/**
 * content script -> worker: what the page's own status or error text means (a mail server screen's
 * "AUTHENTICATE failed", a mail account list's "Authentication failed"), through the diagnosis catalogue.
 */
export const explainPageStatus = defineMessage(
  'explain-page-status',
  {
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
    direction: z.optional(z.enum(['incoming', 'outgoing'])),
    host: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.toLowerCase(),
          z.maxLength(253),
          z.regex(/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/, 'not a host name'),
        ),
    ),
    port: z.optional(z.int().check(z.minimum(1), z.maximum(65_535))),
    mailbox: z.optional(emailSchema),
    provider: z.optional(z.enum(PROVIDER_IDS)),
  },
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('ok') }),
    z.strictObject({ kind: z.literal('problem'), explanation: explanationSchema }),
  ]),
);

/** content script -> worker -> companion: where each domain's mail is hosted (MX records). */
export const mailHosting = defineMessage('mail-hosting', { domains: mailDomainsSchema }, mailHostingResultsSchema);

/** The messages an in-page assistant may send. */
export type AssistMessage =
  | typeof startVerifyFor
  | typeof mailboxFolders
  | typeof explainTestConnection
  | typeof explainPageStatus
  | typeof mailHosting;

export const VERIFY_REQUESTS_KEY = 'assistVerifyRequests';

/** The request the verify page was opened for, as the worker keeps it in storage.session. */
export const verifyRequestViewSchema = z.strictObject({
  id: z.string(),
  helpdesk: helpdeskIdSchema,
  helpdeskUrl: z.string(),
  tabId: z.int(),
  mailbox: z.string(),
  provider: z.enum(PROVIDER_IDS),
  purpose: purposeSchema,
  /** The servers the page names (only the direction the form is about). */
  imap: z.optional(mailServerEndpointSchema),
  smtp: z.optional(mailServerEndpointSchema),
  createdAt: z.number(),
});
export type VerifyRequestView = z.infer<typeof verifyRequestViewSchema>;

/** verify page -> worker: the request it was opened for (the newest when no id is given). */
export const getVerifyRequest = defineMessage(
  'get-verify-request',
  { id: z.optional(z.uuid()) },
  z.nullable(verifyRequestViewSchema),
);

export const HELPDESK_NAMES: Readonly<Record<HelpdeskId, string>> = {
  freshdesk: 'Freshdesk',
  'supportcenter-plus': 'SupportCenter Plus',
  salesorder: 'Salesorder',
};
