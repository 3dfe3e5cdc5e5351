/**
 * Names of the runtime ports over which the worker pushes its state to open extension pages (on connect and
 * on every change), and of the popup's one question. Kept apart from the schemas (no zod here) so the popup
 * can ask before it loads any of its UI (components/popup-early.ts).
 */

/** PopupState (lib/messages.ts): the helpdesk tabs' mailboxes and their history. */
export const POPUP_STATE_PORT = 'popup-state';
/** SigninPopupState (lib/signin.ts): sign-in flows and which providers are configured. */
export const SIGNIN_STATE_PORT = 'signin-state';
/** CompanionPopupState (lib/companion-ui.ts): pairing, verifications and monitored mailboxes. */
export const COMPANION_STATE_PORT = 'companion-state';
/** The question the popup asks with its ports (lib/helpdesk-picker-messages.ts's helpdeskPickerStatus). */
export const HELPDESK_PICKER_STATUS = 'helpdesk-picker-status';
