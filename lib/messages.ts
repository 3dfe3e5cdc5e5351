/**
 * The messages of detection and of the popup's helpdesk tabs, one definition each (message-contract.ts):
 * validated on receipt, replies too. A content script runs beside page code: the worker trusts what it says
 * no more than the schema allows. The content scripts import only types from here (their checks without zod:
 * content-messages.ts).
 *
 * Data flows one way: page -> detector (content script) -> worker state -> popup.
 * Tokens never appear in any message a content script can send or receive.
 */
import * as z from 'zod/mini';
import { PAGE_REPORT, RESCAN, REVEAL_IN_PAGE } from './content-messages';
import { emailSchema } from './email';
import { defineMessage, noReply } from './message-contract';
import { SCENARIO_IDS } from './scenarios';

const HELPDESK_IDS = ['freshdesk', 'supportcenter-plus', 'salesorder'] as const;
export const helpdeskIdSchema = z.enum(HELPDESK_IDS);
export type HelpdeskId = z.infer<typeof helpdeskIdSchema>;

const mailboxStateSchema = z.enum(['needs-reauth', 'connected']);
export type MailboxState = z.infer<typeof mailboxStateSchema>;

const mailProviderSchema = z.enum(['microsoft', 'google', 'other']);
export type MailProvider = z.infer<typeof mailProviderSchema>;

/** One mailbox as a detector saw it on the page. */
const mailboxReportSchema = z.strictObject({
  address: emailSchema,
  state: mailboxStateSchema,
  scenario: z.optional(z.enum(SCENARIO_IDS)),
  primary: z.boolean(),
  provider: z.optional(mailProviderSchema),
  /** The status words the page showed (text, aria-label or title), for the admin and for history. */
  statusText: z.string().check(z.maxLength(500)),
  /** Helpdesks without Freshdesk's scenarios: what is wrong, in that helpdesk's own terms. */
  reason: z.optional(z.string().check(z.maxLength(300))),
});
export type MailboxReport = z.infer<typeof mailboxReportSchema>;

const tabIdSchema = z.int().check(z.nonnegative());

/** One helpdesk tab as the popup shows it. */
export const tabStateSchema = z.strictObject({
  tabId: tabIdSchema,
  title: z.string(),
  url: z.string(),
  helpdesk: helpdeskIdSchema,
  bannerPresent: z.boolean(),
  mailboxes: z.array(mailboxReportSchema),
  updatedAt: z.number(),
});
export type TabState = z.infer<typeof tabStateSchema>;

const mailboxHistoryEntrySchema = z.strictObject({
  /** `${helpdeskOrigin}|${address}` */
  key: z.string(),
  origin: z.string(),
  address: z.string(),
  firstSeenBroken: z.nullable(z.number()),
  lastScenario: z.nullable(z.string()),
  seenFixed: z.nullable(z.number()),
  lastSeen: z.number(),
  /** When the admin's reauthorization through the helpdesk's own sign-in was seen to fix it (this episode). */
  reauthorizedInHelpdesk: z.optional(z.number()),
});
export type MailboxHistoryEntry = z.infer<typeof mailboxHistoryEntrySchema>;

export function mailboxHistoryKey(origin: string, address: string): string {
  return `${origin}|${address}`;
}

export const popupStateSchema = z.strictObject({
  tabs: z.array(tabStateSchema),
  history: z.array(mailboxHistoryEntrySchema),
});
export type PopupState = z.infer<typeof popupStateSchema>;

/** One admin-added helpdesk origin and whether the browser lets the content script run there. */
const customOriginStatusSchema = z.strictObject({
  origin: z.string(),
  matchPattern: z.string(),
  granted: z.boolean(),
  registered: z.boolean(),
});
export type CustomOriginStatus = z.infer<typeof customOriginStatusSchema>;

// ------------------------------------------------------------------------------------------------ messages

/** content script -> worker: the whole current picture of one tab (never a delta, so stale state cannot linger). */
export const pageReport = defineMessage(
  PAGE_REPORT,
  {
    helpdesk: helpdeskIdSchema,
    url: z.url().check(z.maxLength(2048)),
    bannerPresent: z.boolean(),
    mailboxes: z.array(mailboxReportSchema).check(z.maxLength(20_000)),
  },
  noReply,
);
export type PageReport = z.infer<typeof pageReport.request>;

/** extension page -> worker: the popup's state now (pages follow it over POPUP_STATE_PORT). */
export const getState = defineMessage('get-state', {}, popupStateSchema);

/** popup -> worker -> content script: bring a mailbox's tab to the front, scroll to its row and flash it. */
export const revealMailbox = defineMessage('reveal-mailbox', { tabId: tabIdSchema, address: emailSchema }, noReply);

/** options -> worker: custom helpdesk origins (the page asks for the host permission first, in the click). */
const customOrigins = z.array(customOriginStatusSchema);
export const listCustomOrigins = defineMessage('list-custom-origins', {}, customOrigins);
export const addCustomOrigin = defineMessage(
  'add-custom-origin',
  { origin: z.string().check(z.maxLength(2048)) },
  customOrigins,
);
export const removeCustomOrigin = defineMessage(
  'remove-custom-origin',
  { origin: z.string().check(z.maxLength(2048)) },
  customOrigins,
);

/** worker -> content script: scroll to the mailbox's row and flash it; `found` is false when it is gone. */
export const revealInPage = defineMessage(
  REVEAL_IN_PAGE,
  { address: emailSchema },
  z.strictObject({ found: z.boolean() }),
);
/** worker -> content script: scan the page now and report the picture even if unchanged. */
export const rescanPage = defineMessage(RESCAN, {}, noReply);

export const contentRequestSchema = z.discriminatedUnion('kind', [revealInPage.request, rescanPage.request]);
export type ContentRequest = z.infer<typeof contentRequestSchema>;
