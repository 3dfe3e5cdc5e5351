/**
 * Messages of the account picker on the helpdesk's own sign-in (lib/helpdesk-picker.ts), validated by the
 * worker on receipt. The content script sends only what the admin's click showed: the addresses written in
 * the row; the worker keeps the one its own report of that tab says needs reauthorization.
 */
import { z } from 'zod';
import { emailSchema } from './email';

/** content script -> worker: the admin started a reauthorization from a marked row. */
export const reauthIntentSchema = z.strictObject({
  kind: z.literal('reauth-intent'),
  candidates: z.array(emailSchema).min(1).max(10),
  /** The row's own control (Re-authorize, edit icon, Sign in with ...) or the button in our mark. */
  via: z.enum(['row-control', 'mark-button']),
});
export type ReauthIntent = z.infer<typeof reauthIntentSchema>;

/** What the worker did with it, for the content script (never a token, never a URL with a code). */
export type ReauthIntentReply =
  | { armed: true; address: string }
  | { armed: false; reason: 'disabled' | 'no-permission' | 'not-marked' | 'unsupported' };

/** content script -> worker: the mark's "guided sign-out" button, after the helpdesk's flow left the row broken. */
export const helpdeskGuideStartSchema = z.strictObject({
  kind: z.literal('helpdesk-flow-guide'),
  address: emailSchema,
});

/** popup / options -> worker: the switch and whether the popup asked for the permission already. */
export const helpdeskPickerSetSchema = z.strictObject({
  kind: z.literal('helpdesk-picker-set'),
  enabled: z.boolean().optional(),
  asked: z.boolean().optional(),
});
export const helpdeskPickerStatusSchema = z.strictObject({ kind: z.literal('helpdesk-picker-status') });

export interface HelpdeskPickerStatus {
  enabled: boolean;
  asked: boolean;
  /** Host permissions to ask for (every built-in provider and the generic providers' authorize hosts). */
  origins: string[];
  granted: boolean;
  /** The browser can rewrite the request (declarativeNetRequest with query transforms). */
  supported: boolean;
  reason: string;
}
