/**
 * The sandbox's helpdesk: Freshdesk's Admin > Channels > Email replica (tests/fixtures/freshdesk) listing
 * mailboxes whose addresses are the test stack's accounts, one per situation the product handles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioId } from '../lib/scenarios';
import { ACCOUNTS } from '../tests/stack';
import { FIXTURES_DIR } from '../tests/support/fixture-server';

export interface DemoMailbox {
  address: string;
  server: string;
  /** Status column as Freshdesk words it (tests/fixtures and the seeds). */
  status: string;
  control: 'reauthorize' | 'edit';
  primary?: boolean;
  /** What the page marks should say: the expectation the tour checks the real marks against. */
  expected: { state: 'needs-reauth'; scenario: ScenarioId } | { state: 'connected' };
  /** What this row shows in the sandbox, for the terminal guide and the report. */
  story: string;
}

const EXPIRED = 'Your Microsoft Office 365 credentials have expired. Please sign in again';

export const DEMO_MAILBOXES: readonly DemoMailbox[] = [
  {
    address: ACCOUNTS.support.email,
    server: 'Microsoft Office 365 (OAuth)',
    status: EXPIRED,
    control: 'edit',
    primary: true,
    expected: { state: 'needs-reauth', scenario: 'microsoft-oauth-expired' },
    story:
      `sign in as ${ACCOUNTS.support.email}: verified, ready to press Re-authorize ` +
      `(pick ${ACCOUNTS.wrongUser.email} first to see the wrong-account guard)`,
  },
  {
    address: ACCOUNTS.smtpDisabled.email,
    server: 'Microsoft Office 365 (OAuth)',
    status: 'Incoming: Active · Outgoing: Unexpected error',
    control: 'edit',
    expected: { state: 'needs-reauth', scenario: 'microsoft-oauth-expired' },
    story: 'SMTP answers 535 5.7.139: the verdict names the Exchange admin center fix',
  },
  {
    address: ACCOUNTS.imapDisabled.email,
    server: 'Microsoft Office 365 <span class="auth">(Basic authentication)</span>',
    status: 'Reauthorization required',
    control: 'reauthorize',
    expected: { state: 'needs-reauth', scenario: 'microsoft-basic-auth' },
    story: 'IMAP refuses a valid token: the verdict says to enable IMAP for the mailbox',
  },
  {
    address: ACCOUNTS.shared.email,
    server: 'Microsoft Office 365 (OAuth)',
    status: 'Disconnected',
    control: 'edit',
    expected: { state: 'needs-reauth', scenario: 'microsoft-oauth-expired' },
    story: `a shared mailbox: sign in as its delegate ${ACCOUNTS.delegate.email} and confirm`,
  },
  {
    address: ACCOUNTS.gmail.email,
    server: 'Gmail',
    status: 'Reauthorization required',
    control: 'edit',
    expected: { state: 'needs-reauth', scenario: 'password-expired' },
    story: 'Google mailbox, password changed: no Re-authorize link, the edit icon is the control',
  },
  {
    address: ACCOUNTS.generic.email,
    server: 'Other (IMAP mail.reauth.test:993)',
    status: 'Active',
    control: 'edit',
    expected: { state: 'connected' },
    story: 'working: counted as connected',
  },
  {
    address: ACCOUNTS.personal.email,
    server: 'Microsoft Office 365 (OAuth)',
    status: 'Connected',
    control: 'edit',
    expected: { state: 'connected' },
    story: 'working: counted as connected',
  },
];

export const HELPDESK_HOST = 'acme.freshdesk.com';
export const EMAIL_SETTINGS_PATH = '/a/admin/email';

function row(m: DemoMailbox, i: number): string {
  const ok = m.expected.state === 'connected';
  const controls =
    m.control === 'reauthorize'
      ? `<a href="#reauthorize-${i}" class="reauth-link">Re-authorize</a> <button class="icon-btn" ` +
        `aria-label="Edit ${m.address}"><i class="ficon-edit"></i></button>`
      : `<button class="icon-btn" aria-label="Edit ${m.address}"><i class="ficon-edit"></i></button>`;
  return `    <tr class="email-row" id="row-${i}">
      <td><span class="email">${m.address}</span>${
        m.primary ? ' <span class="badge-primary">Primary</span>' : ''
      }<span class="forward">Forward to acme${i}@acme.freshdesk.com</span></td>
      <td>${m.server}</td>
      <td><span class="${ok ? 'status-ok' : 'status-error'}">${m.status}</span></td>
      <td>${controls}</td>
    </tr>`;
}

/** The replica page with its mailbox rows swapped for the sandbox's: same markup, styles and page scripts. */
export function emailSettingsPage(mailboxes: readonly DemoMailbox[] = DEMO_MAILBOXES): string {
  const replica = readFileSync(join(FIXTURES_DIR, 'freshdesk/a/admin/email/index.html'), 'utf8');
  const body = /<tbody>[\s\S]*?<\/tbody>/;
  if (!body.test(replica))
    throw new Error(
      'The Freshdesk replica (tests/fixtures/freshdesk/a/admin/email/index.html) has no <tbody> to fill.',
    );
  return replica.replace(body, `<tbody>\n${mailboxes.map(row).join('\n')}\n  </tbody>`);
}
