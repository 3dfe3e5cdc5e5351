/**
 * Messages of the in-page assistants on helpdesk settings screens (SupportCenter Plus, Salesorder), checked
 * by the worker with these schemas. A content script runs beside page code: it may ask the worker to open
 * the verify page for a mailbox, or for the mailbox's folder names, and never receives a token: sign-in and
 * verification happen in the extension's own page and worker.
 */
import { z } from 'zod';
import { emailSchema, helpdeskIdSchema, type HelpdeskId } from './messages';
import { mailDomainSchema, MAX_HOSTING_DOMAINS } from './mail-hosting-api';
import { PROVIDER_IDS, type ProviderId } from './providers';
import { mailServerEndpointSchema, type FolderMapping, type MailServerEndpoint, type SpecialUse } from './verification';

/** content script -> worker: open the verify page for the mailbox the form is about (servers as the page has them). */
export const startVerifyForSchema = z.strictObject({
  kind: z.literal('start-verify-for'),
  helpdesk: helpdeskIdSchema,
  mailbox: emailSchema,
  provider: z.enum(PROVIDER_IDS),
  imap: mailServerEndpointSchema.optional(),
  smtp: mailServerEndpointSchema.optional(),
  /** What the admin checks: the mailbox before Save, or the SMTP AUTH prerequisite (Salesorder). */
  purpose: z.enum(['before-save', 'smtp-auth']),
});
export type StartVerifyFor = z.infer<typeof startVerifyForSchema>;

/** content script -> worker: the mailbox's folder names and special-use flags, through the companion. */
export const mailboxFoldersRequestSchema = z.strictObject({ kind: z.literal('mailbox-folders'), mailbox: emailSchema });
export type MailboxFoldersRequest = z.infer<typeof mailboxFoldersRequestSchema>;

/**
 * content script -> worker: what a Test Connection result means (the diagnosis catalogue stays in the
 * worker, out of the content script's bundle). The page's own OAuth client, for the admin-consent link.
 */
export const explainTestConnectionSchema = z.strictObject({
  kind: z.literal('explain-test-connection'),
  text: z.string().min(1).max(1000),
  mailbox: emailSchema.optional(),
  clientId: z.string().trim().min(1).max(256).optional(),
  redirectUri: z.string().url().max(2048).optional(),
});
export type ExplainTestConnection = z.infer<typeof explainTestConnectionSchema>;

/**
 * content script -> worker: what the page's own status or error text means (a mail server screen's
 * "AUTHENTICATE failed", a mail account list's "Authentication failed"), through the diagnosis catalogue.
 */
export const explainPageStatusSchema = z.strictObject({
  kind: z.literal('explain-page-status'),
  text: z.string().trim().min(1).max(1000),
  direction: z.enum(['incoming', 'outgoing']).optional(),
  host: z.string().trim().toLowerCase().max(253).regex(/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/, 'not a host name').optional(),
  port: z.number().int().min(1).max(65_535).optional(),
  mailbox: emailSchema.optional(),
  provider: z.enum(PROVIDER_IDS).optional(),
});
export type ExplainPageStatus = z.infer<typeof explainPageStatusSchema>;

/** content script -> worker -> companion: where each domain's mail is hosted (MX records). */
export const mailHostingAskSchema = z.strictObject({
  kind: z.literal('mail-hosting'),
  domains: z.array(mailDomainSchema).min(1).max(MAX_HOSTING_DOMAINS),
});
export type MailHostingAsk = z.infer<typeof mailHostingAskSchema>;

/** verify page -> worker: the request it was opened for (the newest when no id is given). */
export const getVerifyRequestSchema = z.strictObject({ kind: z.literal('get-verify-request'), id: z.string().uuid().optional() });

export type AssistRequest = StartVerifyFor | MailboxFoldersRequest | ExplainTestConnection | ExplainPageStatus | MailHostingAsk;

export const VERIFY_REQUESTS_KEY = 'assistVerifyRequests';

export interface VerifyRequestView {
  id: string;
  helpdesk: HelpdeskId;
  helpdeskUrl: string;
  tabId: number;
  mailbox: string;
  provider: ProviderId;
  purpose: StartVerifyFor['purpose'];
  /** The servers the page names (only the direction the form is about). */
  imap?: MailServerEndpoint;
  smtp?: MailServerEndpoint;
  createdAt: number;
}

/** What the page may see of the mailbox's folders: names and roles, nothing else. */
export interface FolderListView {
  folders: { path: string; name: string; specialUse?: SpecialUse }[];
  mapping: FolderMapping;
}

export const HELPDESK_NAMES: Readonly<Record<HelpdeskId, string>> = {
  freshdesk: 'Freshdesk',
  'supportcenter-plus': 'SupportCenter Plus',
  salesorder: 'Salesorder',
};
