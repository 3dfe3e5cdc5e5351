/**
 * The scenario catalogue: why a helpdesk support mailbox needs reauthorization and what fixes it.
 * Plain data, written from the helpdesks' own public help articles (Freshdesk's "Please reauthorize your Email
 * settings" and Microsoft 365 OAuth articles), shared by the content script, the popup and the companion.
 * Ids are part of the page contract (`data-reauth-scenario`): never rename one.
 */

import { SCENARIO_TITLES, type FixControl, type ScenarioId } from './scenario-titles';

export {
  FIX_CONTROLS,
  isScenarioId,
  SCENARIO_IDS,
  SCENARIO_TITLES,
  type FixControl,
  type ScenarioId,
} from './scenario-titles';

export interface Scenario {
  id: ScenarioId;
  /** The seeds' own numbering, so an admin can match our words with the help article. */
  number: 1 | 2 | 3;
  title: string;
  /** One sentence: what is wrong, in an admin's words. */
  cause: string;
  steps: readonly string[];
  control: FixControl;
  /** Shown when the step list alone is not enough. */
  notes: readonly string[];
}

export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  'microsoft-basic-auth': {
    id: 'microsoft-basic-auth',
    number: 1,
    title: SCENARIO_TITLES['microsoft-basic-auth'],
    cause: 'Microsoft retired Basic authentication for Exchange Online, so this mailbox must be migrated to OAuth.',
    steps: [
      'Go to Admin > Channels > Email.',
      'Click the Re-authorize link next to this Microsoft Office 365 address.',
      'Sign in with the Microsoft account of this mailbox (not your own, unless it is yours).',
      'Freshdesk replaces the Basic authentication settings with OAuth and confirms with a success message.',
    ],
    control: 'reauthorize-link',
    notes: [
      'If the server, port or credentials fail: enable IMAP and Authenticated SMTP for the mailbox, and use IMAP ' +
        'port 993 and SMTP port 587 (Microsoft does not answer on 465).',
      'A shared mailbox: enter its primary email address in "Your support email".',
      'Migration does not interrupt ticket handling or mail flow.',
    ],
  },
  'password-expired': {
    id: 'password-expired',
    number: 2,
    title: SCENARIO_TITLES['password-expired'],
    cause: 'The mailbox password was changed or has expired, so the helpdesk can no longer sign in.',
    steps: [
      'Go to Admin > Channels > Email.',
      'Click Re-authorize next to this address. If there is no Re-authorize link, click the pencil (edit) icon ' +
        'next to its incoming settings.',
      'Check the username and enter the current password (Gmail: sign in with Google again).',
      'Click Save.',
    ],
    control: 'reauthorize-link',
    notes: ['Mail sent while the mailbox was disconnected is resent automatically once it is reauthorized.'],
  },
  'microsoft-oauth-expired': {
    id: 'microsoft-oauth-expired',
    number: 3,
    title: SCENARIO_TITLES['microsoft-oauth-expired'],
    cause:
      'The Microsoft OAuth token stopped working (password change, revoked session, inactivity or a closed account).',
    steps: [
      'Go to Admin > Channels > Email.',
      'Click the edit icon next to this Microsoft Office 365 address.',
      'Click Sign in with Microsoft and pick the account of this mailbox.',
      'Click Save.',
    ],
    control: 'sign-in-with-microsoft',
    notes: [
      'If the sign-in picks the wrong Microsoft account by itself: open a private (incognito) window, sign out of ' +
        'every Microsoft session, then sign in to the helpdesk and reauthorize there.',
      'While outgoing mail fails, Freshdesk replies from the next connected mailbox: check tickets answered during ' +
        'the outage.',
    ],
  },
};

/**
 * Scenario 4 of the seeds is not a cause but a situation: several support emails share one banner,
 * and a broken primary mailbox cannot be reauthorized while it is primary.
 */
export const PRIMARY_MAILBOX_STEPS: readonly string[] = [
  'Go to Admin > Channels > Email.',
  'Make this primary address non-primary (make another connected address primary for now).',
  'Reauthorize this address as described above.',
  'Make it primary again.',
];

export const SHARED_BANNER_NOTE =
  'One mailbox that needs reauthorization shows the banner to every agent: check secondary addresses and team ' +
  'inboxes too.';

export const BANNER_STILL_THERE_STEPS: readonly string[] = [
  'Refresh the helpdesk, or open it in a private (incognito) window to see whether the banner is gone.',
  'If your agent email address changed during reauthorization, correct it with the edit icon next to the address.',
  "If the mailbox keeps dropping the connection, ask IT to allowlist the helpdesk's IP addresses on the mail server.",
];

/** The seeds' automatic retry policy before a mailbox is shown as disconnected. */
export const RETRY_POLICY = { attempts: 8, windowMinutes: 12 } as const;
