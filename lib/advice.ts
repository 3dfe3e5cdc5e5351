/**
 * The help articles' advice beyond a single mailbox's steps (shared/seeds 002, 003, 004), as plain data for
 * the page and the popup: what to do when Freshdesk's banner stays although every mailbox is connected, when
 * a mailbox keeps dropping (Freshdesk's IP addresses to allowlist), the retry policy, ports; SupportCenter
 * Plus's Email Debug, Fetch a sample mail and fetch interval; Salesorder's offer to make the changes.
 */
import { RETRY_POLICY } from './scenarios';

// ------------------------------------------------------------------------------------------------ Freshdesk

/** Freshdesk's addresses, as its reauthorization article lists them, for the mail server's allowlist. */
export const FRESHDESK_IP_ADDRESSES: readonly string[] = [
  '13.232.159.149',
  '13.127.147.204',
  '13.232.27.234',
  '13.233.170.242',
  '13.126.102.179',
  '13.127.126.68',
  '52.66.154.99',
  '43.204.166.208',
  '43.204.166.209',
  '43.204.166.210',
  '43.204.166.211',
  '13.127.153.86',
  '13.127.210.61',
  '13.126.228.113',
  '13.127.236.188',
  '13.233.78.192',
  '13.234.254.220',
  '65.1.183.201',
];

/** The list as it goes to the clipboard: one address a line (what firewall and allowlist forms take). */
export function ipListText(addresses: readonly string[] = FRESHDESK_IP_ADDRESSES): string {
  return addresses.join('\n');
}

/** The banner still shows although every mailbox on the page is connected. */
export const BANNER_STILL_SHOWING = {
  title: 'The banner still shows, yet every support email here is connected',
  steps: [
    "Refresh Freshdesk, or clear the browser's cache and cookies; a private (incognito) window shows whether " +
      'the banner is really gone.',
    'If your agent email address changed during reauthorization, correct it: click the edit icon next to the ' +
      'address and select the right account.',
    'Check every configured support email, including secondary addresses and team inboxes: one unauthorized ' +
      'mailbox shows the banner to everyone.',
  ],
} as const;

export const KEEPS_DROPPING = {
  title: 'A mailbox reconnects but keeps dropping the connection',
  text:
    `Ask your IT team to allowlist Freshdesk's ${FRESHDESK_IP_ADDRESSES.length} IP addresses on the mail ` +
    `server (and any firewall in front of it):`,
} as const;

export const RETRY_POLICY_TEXT =
  `Freshdesk retries a failed mailbox connection up to ${RETRY_POLICY.attempts} times over about ` +
  `${RETRY_POLICY.windowMinutes} minutes; ` +
  'only then is the mailbox marked disconnected and needs reauthorizing. If mail is still being sent and ' +
  'received, the connection came back by itself: nothing to do.';

export const CUSTOM_SERVER_PORTS = {
  title: 'Ports for a custom mail server',
  lines: [
    'The article says IMAP port 993 and SMTP port 465 (SSL/TLS from the first byte), and to enable IMAP and ' +
      'authenticated SMTP.',
    'Microsoft 365 (smtp.office365.com) takes SMTP submission on port 587 with STARTTLS and does not answer on ' +
      '465: use 587 for a Microsoft 365 mailbox, 465 only where your own server offers it.',
  ],
} as const;

/** Notes under the steps of each Freshdesk scenario, beyond the steps themselves. */
export const SCENARIO_EXTRA_NOTES: Readonly<
  Record<'microsoft-basic-auth' | 'password-expired' | 'microsoft-oauth-expired', readonly string[]>
> = {
  'microsoft-basic-auth': [
    "Click Save at the end, then look for Freshdesk's success message.",
    "Your old Basic authentication details stay visible in the Others section of the mailbox's settings.",
    "Switching to another Microsoft account: enter the new account's credentials and follow the same steps. " +
      'From Gmail to Microsoft: choose Microsoft Office 365, Sign in with Microsoft, and follow the same steps.',
  ],
  'password-expired': [
    'Moving this mailbox from Gmail to Microsoft 365: choose Microsoft Office 365, Sign in with Microsoft, and ' +
      'follow the standard steps.',
  ],
  'microsoft-oauth-expired': [
    'Switching to another Microsoft account: sign in with the new account in Sign in with Microsoft, then Save.',
  ],
};

/** The article's Scenario 4, offered whenever the standard steps did not help (not only for the primary). */
export const SCENARIO_4_OFFER =
  'Standard steps did not clear it? If this is the primary address (Scenario 4): make it non-primary, ' +
  'reauthorize it, then make it primary again.';

// ------------------------------------------------------------------------------------------------ SupportCenter Plus

export const SUPPORTCENTER_TIPS = {
  emailDebug:
    'Enable Email Debug while you test: SupportCenter Plus then logs every fetch and send step, which shows ' +
    'where a sign-in or connection fails. Turn it off again once mail flows (the log keeps growing).',
  fetchSample:
    'After Save and the consent window, press Fetch a sample mail: with working settings the oldest unread mail ' +
    "in the mailbox is fetched; otherwise the page shows the server's own error (explained here).",
  interval: (minutes: number | null) =>
    minutes === null
      ? 'Mail is fetched at the interval set in this form: after a fix, new mail can take that long to arrive.'
      : `Mail is fetched every ${minutes} minute${minutes === 1 ? '' : 's'}: after a fix, new mail can take up ` +
        `to ${minutes} minute${minutes === 1 ? '' : 's'} to arrive as requests.`,
} as const;

// ------------------------------------------------------------------------------------------------ Salesorder

export const SALESORDER_SUPPORT_ADDRESS = 'support@salesorder.com';

/** A mail to Salesorder's support asking them to make the change (the seed: "we'll get it done for you"). */
export function salesorderSupportMailto(accountsText: string): string {
  const subject = 'Please move our mail accounts to Microsoft 365 OAuth';
  const body =
    'Hello Salesorder support,\n\nPlease replace our Generic mail accounts on Microsoft 365 with Microsoft 365 ' +
    'Account (Corporate) ' +
    'accounts using OAuth, as in your "OAuth for Outlook 365" article. The accounts (account, sender name, ' +
    'sender email, username):\n\n' +
    `${accountsText}\n\nThank you.`;
  return `mailto:${SALESORDER_SUPPORT_ADDRESS}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

export const SALESORDER_SUPPORT_OFFER =
  `Rather not make these changes yourself? Salesorder's support will do ` +
  `it for you: mail ${SALESORDER_SUPPORT_ADDRESS} with the list of accounts.`;
