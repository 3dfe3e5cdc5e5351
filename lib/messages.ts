/**
 * Messages between the extension's parts, validated on receipt: a content script runs beside page code
 * and the worker must not trust what it says more than the schema allows.
 *
 * Data flows one way: page -> detector (content script) -> worker state -> popup.
 * Tokens never appear in any message a content script can send or receive.
 */
import { z } from 'zod';
import { emailSchema } from './email';
import { SCENARIO_IDS } from './scenarios';

export const HELPDESK_IDS = ['freshdesk', 'supportcenter-plus', 'salesorder'] as const;
export const helpdeskIdSchema = z.enum(HELPDESK_IDS);
export type HelpdeskId = z.infer<typeof helpdeskIdSchema>;

export const mailboxStateSchema = z.enum(['needs-reauth', 'connected']);
export type MailboxState = z.infer<typeof mailboxStateSchema>;

export const mailProviderSchema = z.enum(['microsoft', 'google', 'other']);
export type MailProvider = z.infer<typeof mailProviderSchema>;

export { emailSchema };

/** One mailbox as a detector saw it on the page. */
export const mailboxReportSchema = z.strictObject({
  address: emailSchema,
  state: mailboxStateSchema,
  scenario: z.enum(SCENARIO_IDS).optional(),
  primary: z.boolean(),
  provider: mailProviderSchema.optional(),
  /** The status words the page showed (text, aria-label or title), for the admin and for history. */
  statusText: z.string().max(500),
  /** Helpdesks without Freshdesk's scenarios: what is wrong, in that helpdesk's own terms. */
  reason: z.string().max(300).optional(),
});
export type MailboxReport = z.infer<typeof mailboxReportSchema>;

/** content script -> worker: the whole current picture of one tab (never a delta, so stale state cannot linger). */
export const pageReportSchema = z.strictObject({
  kind: z.literal('page-report'),
  helpdesk: helpdeskIdSchema,
  url: z.string().url().max(2048),
  bannerPresent: z.boolean(),
  mailboxes: z.array(mailboxReportSchema).max(20_000),
});
export type PageReport = z.infer<typeof pageReportSchema>;

/** popup -> worker */
export const getStateSchema = z.strictObject({ kind: z.literal('get-state') });
/** popup -> worker -> content script: scroll to a mailbox's row and flash it. */
export const revealMailboxSchema = z.strictObject({
  kind: z.literal('reveal-mailbox'),
  tabId: z.number().int().nonnegative(),
  address: emailSchema,
});

/** options -> worker: custom helpdesk origins (the page asks for the host permission first, in the click). */
export const listCustomOriginsSchema = z.strictObject({ kind: z.literal('list-custom-origins') });
export const addCustomOriginSchema = z.strictObject({ kind: z.literal('add-custom-origin'), origin: z.string().max(2048) });
export const removeCustomOriginSchema = z.strictObject({
  kind: z.literal('remove-custom-origin'),
  origin: z.string().max(2048),
});

/** One admin-added helpdesk origin and whether the browser lets the content script run there. */
export interface CustomOriginStatus {
  origin: string;
  matchPattern: string;
  granted: boolean;
  registered: boolean;
}

/** Every worker reply: errors are sentences for the admin, never stack traces. */
export type WorkerResponse<T = unknown> = { ok: true; data: T } | { ok: false; error: string };

/** Name of the runtime port over which the worker pushes `PopupState` to open extension pages. */
export const POPUP_STATE_PORT = 'popup-state';

export const workerRequestSchema = z.discriminatedUnion('kind', [pageReportSchema, getStateSchema, revealMailboxSchema]);
export type WorkerRequest = z.infer<typeof workerRequestSchema>;

/** One helpdesk tab as the popup shows it. */
export interface TabState {
  tabId: number;
  title: string;
  url: string;
  helpdesk: HelpdeskId;
  bannerPresent: boolean;
  mailboxes: MailboxReport[];
  updatedAt: number;
}

export interface MailboxHistoryEntry {
  /** `${helpdeskOrigin}|${address}` */
  key: string;
  origin: string;
  address: string;
  firstSeenBroken: number | null;
  lastScenario: string | null;
  seenFixed: number | null;
  lastSeen: number;
  /** When the admin's reauthorization through the helpdesk's own sign-in was seen to fix it (this episode). */
  reauthorizedInHelpdesk?: number;
}

export function mailboxHistoryKey(origin: string, address: string): string {
  return `${origin}|${address}`;
}

export interface PopupState {
  tabs: TabState[];
  history: MailboxHistoryEntry[];
}

/** worker -> content script */
export const contentRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reveal-mailbox'), address: emailSchema }),
  z.strictObject({ kind: z.literal('rescan') }),
]);
export type ContentRequest = z.infer<typeof contentRequestSchema>;
