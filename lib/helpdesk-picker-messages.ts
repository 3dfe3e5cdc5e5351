/**
 * Messages of the account picker on the helpdesk's own sign-in (lib/helpdesk-picker.ts), one definition each
 * (message-contract.ts). The content script sends only what the admin's click showed: the addresses written
 * in the row; the worker keeps the one its own report of that tab says needs reauthorization. The content
 * script imports only types from here (its side without zod: content-messages.ts).
 */
import * as z from 'zod/mini';
import { HELPDESK_FLOW_GUIDE, REAUTH_INTENT } from './content-messages';
import { emailSchema } from './email';
import { defineMessage, noReply } from './message-contract';
import { HELPDESK_PICKER_STATUS } from './page-ports';

/** What the worker did with an intent, for the content script (never a token, never a URL with a code). */
const reauthIntentReplySchema = z.discriminatedUnion('armed', [
  z.strictObject({ armed: z.literal(true), address: z.string() }),
  z.strictObject({
    armed: z.literal(false),
    reason: z.enum(['disabled', 'no-permission', 'not-marked', 'unsupported']),
  }),
]);
export type ReauthIntentReply = z.infer<typeof reauthIntentReplySchema>;

/** content script -> worker: the admin started a reauthorization from a marked row. */
export const reauthIntent = defineMessage(
  REAUTH_INTENT,
  {
    candidates: z.array(emailSchema).check(z.minLength(1), z.maxLength(10)),
    /** The row's own control (Re-authorize, edit icon, Sign in with ...) or the button in our mark. */
    via: z.enum(['row-control', 'mark-button']),
  },
  reauthIntentReplySchema,
);

/**
 * popup -> worker: the mailbox's "Reauthorize in <helpdesk>" button. The worker forces the picker for that tab's
 * row (as a press in the page would), brings the tab to the front and presses the row's own control there.
 */
export const helpdeskReauthorize = defineMessage(
  'helpdesk-reauthorize',
  { tabId: z.int().check(z.nonnegative()), address: emailSchema },
  z.strictObject({
    /** The picker is forced on the helpdesk's request (false: switch off, no permission or no browser support). */
    armed: z.boolean(),
    /** The row's own Re-authorize (or edit) control was pressed; false: the row is shown for the admin to press. */
    pressed: z.boolean(),
  }),
);

/** content script -> worker: the mark's "guided sign-out" button, after the helpdesk's flow left the row broken. */
export const helpdeskGuideStart = defineMessage(HELPDESK_FLOW_GUIDE, { address: emailSchema }, noReply);

const helpdeskPickerStatusSchema = z.strictObject({
  enabled: z.boolean(),
  asked: z.boolean(),
  /** Host permissions to ask for (every built-in provider and the generic providers' authorize hosts). */
  origins: z.array(z.string()),
  granted: z.boolean(),
  /** The browser can rewrite the request (declarativeNetRequest with query transforms). */
  supported: z.boolean(),
  reason: z.string(),
});
export type HelpdeskPickerStatus = z.infer<typeof helpdeskPickerStatusSchema>;

/** popup / options -> worker: the switch and whether the popup asked for the permission already. */
export const helpdeskPickerSet = defineMessage(
  'helpdesk-picker-set',
  { enabled: z.optional(z.boolean()), asked: z.optional(z.boolean()) },
  helpdeskPickerStatusSchema,
);
export const helpdeskPickerStatus = defineMessage(HELPDESK_PICKER_STATUS, {}, helpdeskPickerStatusSchema);
