/**
 * Rules for a CRM's mail account screens (Salesorder: Setup > Configuration > Email > Mail Accounts), from
 * seed 004: "Generic" mail accounts on Microsoft 365 must be deleted before OAuth is configured, after a
 * list of them is kept; a "Microsoft 365 Account (Corporate)" needs Use OAuth ticked and the mailbox
 * address as its username; after Login and consent, Test Connection tells whether it works.
 *
 * Pure and free of zod (the content script uses it). What the page alone cannot know is said so: a domain
 * may be hosted on Microsoft 365 without the account naming a Microsoft server (only its MX records tell).
 */
import type { TestConnectionOutcome } from './assist-messages';
import { diagnose, explain } from './diagnosis';
import { isEmailAddress } from './email';
import { cloudProviderOf, domainOf, knownHosting, mxCommand, type MailHosting } from './mail-hosting';
import { microsoftAdminConsentUrl } from './providers';
import type { StepId } from './verification';

export interface MailAccountRow {
  name: string;
  /** The account type as the list shows it ("Generic", "Microsoft 365 (Corporate)", ...). */
  type: string;
  senderName: string;
  senderEmail: string;
  username: string;
  /** Incoming / outgoing server names, where the list or the account's settings show them. */
  servers: readonly string[];
}

/**
 * - servers: an incoming or outgoing server is Microsoft's (outlook.office365.com, smtp.office365.com).
 * - unknown: nothing on the page says where the domain's mail is hosted.
 * - not-microsoft: the servers named are someone else's.
 */
export type Microsoft365Evidence = 'servers' | 'unknown' | 'not-microsoft';

export function isGenericAccount(row: Pick<MailAccountRow, 'type'>): boolean {
  return /\bgeneric\b/i.test(row.type);
}

export function microsoft365Evidence(row: Pick<MailAccountRow, 'servers'>): Microsoft365Evidence {
  const named = row.servers.map((s) => s.trim()).filter(Boolean);
  if (named.some((s) => cloudProviderOf(s) === 'microsoft')) return 'servers';
  return named.length > 0 ? 'not-microsoft' : 'unknown';
}

export interface AccountToReview {
  row: MailAccountRow;
  evidence: Exclude<Microsoft365Evidence, 'not-microsoft'>;
}

/**
 * Generic accounts that must go before OAuth (their servers are Microsoft's), and those the page cannot
 * tell about (listed apart, for the admin to check where the domain's mail is hosted).
 */
export function genericAccountsOnMicrosoft365(rows: readonly MailAccountRow[]): AccountToReview[] {
  return rows.flatMap((row) => {
    if (!isGenericAccount(row)) return [];
    const evidence = microsoft365Evidence(row);
    return evidence === 'not-microsoft' ? [] : [{ row, evidence }];
  });
}

/**
 * Where a domain's mail is hosted as far as is known: from its MX records, or 'unknown' (not looked up, or the lookup
 * failed).
 */
export type DomainHostingKnown = MailHosting | 'unknown';

/**
 * What to do with one listed account:
 * - delete: a Generic account on Microsoft 365 (its servers are Microsoft's, or its domain's MX is
 *   *.mail.protection.outlook.com): keep its details, delete it, add it as Microsoft 365 Account (Corporate).
 * - unsure: a Generic account whose servers the page does not show and whose domain's hosting is unknown.
 * - keep: anything else (a Corporate account; a Generic account on Google or another server).
 */
export type AccountVerdict =
  | { kind: 'delete'; because: 'servers' | 'mx' | 'consumer' }
  | { kind: 'unsure'; domain: string; command: string }
  | { kind: 'keep'; hosting?: MailHosting };

/** Domains whose MX records would settle a Generic account (no server on the page, not a known consumer domain). */
export function domainsToLookUp(rows: readonly MailAccountRow[]): string[] {
  const domains = new Set<string>();
  for (const row of rows) {
    if (!isGenericAccount(row) || microsoft365Evidence(row) !== 'unknown') continue;
    const domain = domainOf(row.senderEmail) || domainOf(row.username);
    if (domain && knownHosting(domain) === null) domains.add(domain);
  }
  return [...domains];
}

export function accountVerdict(
  row: MailAccountRow,
  hosting: (domain: string) => DomainHostingKnown | undefined,
): AccountVerdict {
  if (!isGenericAccount(row)) return { kind: 'keep' };
  const evidence = microsoft365Evidence(row);
  if (evidence === 'servers') return { kind: 'delete', because: 'servers' };
  if (evidence === 'not-microsoft') return { kind: 'keep' };
  const domain = domainOf(row.senderEmail) || domainOf(row.username);
  const consumer = knownHosting(domain);
  if (consumer === 'microsoft365') return { kind: 'delete', because: 'consumer' };
  if (consumer) return { kind: 'keep', hosting: consumer };
  const found = domain ? hosting(domain) : undefined;
  if (found === 'microsoft365') return { kind: 'delete', because: 'mx' };
  if (found === 'google' || found === 'other') return { kind: 'keep', hosting: found };
  return { kind: 'unsure', domain, command: mxCommand(domain || 'your-domain') };
}

export const CSV_COLUMNS = ['Account', 'Sender name', 'Sender email', 'Username'] as const;

/**
 * RFC 4180 field. A value a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading
 * apostrophe: this file is opened by people, and an account name is whatever someone typed.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The continuity list the seed asks for, one account a line, CRLF line ends (RFC 4180). */
export function accountsCsv(
  rows: readonly Pick<MailAccountRow, 'name' | 'senderName' | 'senderEmail' | 'username'>[],
): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((r) => [r.name, r.senderName, r.senderEmail, r.username].map(csvField).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The same list as plain text, for the clipboard (pasted into a ticket or a mail). */
export function accountsText(
  rows: readonly Pick<MailAccountRow, 'name' | 'senderName' | 'senderEmail' | 'username'>[],
): string {
  return rows.map((r) => `${r.name}\t${r.senderName}\t${r.senderEmail}\t${r.username}`).join('\n');
}

// ------------------------------------------------------------------------------------------------ the new account form

export interface CorporateAccountForm {
  accountName: string;
  senderName: string;
  senderEmail: string;
  useOAuth: boolean | null;
  username: string;
}

export type CorporateAccountField = 'useOAuth' | 'username' | 'senderEmail';

export interface CorporateAccountFinding {
  rule: 'use-oauth-unticked' | 'username-not-mailbox' | 'sender-email-missing';
  field: CorporateAccountField;
  problem: string;
  fix: string;
}

export function checkCorporateAccount(form: CorporateAccountForm): CorporateAccountFinding[] {
  const findings: CorporateAccountFinding[] = [];
  const sender = form.senderEmail.trim().toLowerCase();
  const username = form.username.trim().toLowerCase();
  if (form.useOAuth === false) {
    findings.push({
      rule: 'use-oauth-unticked',
      field: 'useOAuth',
      problem: 'Use OAuth is not ticked: Microsoft 365 accepts no password sign-in for IMAP or SMTP any more.',
      fix: 'Tick Use OAuth, save, then press Login.',
    });
  }
  if (!isEmailAddress(sender)) {
    findings.push({
      rule: 'sender-email-missing',
      field: 'senderEmail',
      problem: 'Sender email is not an email address.',
      fix: 'Enter the mailbox address mail is sent from.',
    });
  } else if (username !== sender) {
    findings.push({
      rule: 'username-not-mailbox',
      field: 'username',
      problem:
        username === ''
          ? 'Username is empty.'
          : `Username ${form.username.trim()} is not the mailbox address ${sender}.`,
      fix:
        `Enter ${sender}: Exchange signs the mailbox in with its own address (for a shared mailbox, the ` +
        `delegate signs in at Login, the username stays the mailbox).`,
    });
  }
  return findings;
}

// ------------------------------------------------------------------------------------------------ Test Connection

const SUCCESS = /\b(?:success(?:ful(?:ly)?)?|connection\s+(?:ok|succeeded|established)|test\s+passed)\b/i;
const FAILURE_WORDS = /\b(?:fail(?:ed|ure)?|error|denied|unsuccessful|refused|invalid|not)\b/i;
const ADMIN_CONSENT = /\bAADSTS(?:65001|90094|90008)\b|admin(?:istrator)?\s+(?:approval|consent)|need\s+admin/i;
const SMTP_WORDS = /\bsmtp\b|\b5\.\d\.\d{1,3}\b|\b535\b|\bsend(?:ing)?\b/i;

export interface TestConnectionContext {
  mailbox?: string;
  /**
   * The OAuth client the page signs in with (its Login link's client_id and redirect_uri), when the page shows them.
   */
  clientId?: string;
  redirectUri?: string;
}

/**
 * What the page's Test Connection result means. Failures go through the companion's diagnosis catalogue
 * (the same server words it recognises: 5.7.139 SMTP AUTH off for the tenant, AUTHENTICATE failed, ...).
 */
export function explainTestConnection(text: string, ctx: TestConnectionContext = {}): TestConnectionOutcome {
  const words = text.trim();
  if (SUCCESS.test(words) && !FAILURE_WORDS.test(words.replace(SUCCESS, ''))) {
    return { kind: 'ok', headline: 'Test Connection passed: the account can sign in. Map the folders next.' };
  }
  if (ADMIN_CONSENT.test(words)) {
    const domain = ctx.mailbox?.split('@')[1];
    return {
      kind: 'admin-consent',
      headline: 'Your Microsoft 365 administrator must approve Salesorder for the organisation first.',
      cause: 'The tenant lets only administrators consent to apps that read mail (AADSTS65001 / 90094).',
      fix: [
        'Send the admin-consent link to a Global or Application administrator of the tenant, or open it signed ' +
          'in as one.',
        'After they accept, press Login again here, then Test Connection.',
      ],
      ...(domain && ctx.clientId && ctx.redirectUri
        ? { adminConsentUrl: microsoftAdminConsentUrl(domain, ctx.clientId, ctx.redirectUri) }
        : {}),
    };
  }
  const step: StepId = SMTP_WORDS.test(words) ? 'smtp-auth' : 'imap-auth';
  const dctx = { ...(ctx.mailbox ? { address: ctx.mailbox } : {}), provider: 'microsoft' as const };
  const id = diagnose(step, { message: words, response: words }, dctx);
  return { kind: 'failed', explanation: explain(id, step, dctx) };
}
