/**
 * Each helpdesk's own word for what Reauth Assist counts, so the popup and the page say the same thing in
 * the admin's terms: Freshdesk lists support emails, SupportCenter Plus mail servers (Incoming, Outgoing),
 * Salesorder mail accounts.
 */
import type { HelpdeskId } from './messages';

interface Words {
  one: string;
  many: string;
  /** What an affected one needs. */
  needs: string;
}

export const MAILBOX_WORDS: Readonly<Record<HelpdeskId, Words>> = {
  freshdesk: { one: 'support email', many: 'support emails', needs: 'reauthorization' },
  'supportcenter-plus': { one: 'mail server', many: 'mail servers', needs: 'attention' },
  salesorder: { one: 'mail account', many: 'mail accounts', needs: 'attention' },
};

/** "2 of 4 mail accounts need attention" (the verb agrees with the total, as the popup always said). */
export function affectedSentence(helpdesk: HelpdeskId, affected: number, total: number): string {
  const w = MAILBOX_WORDS[helpdesk];
  return `${affected} of ${total} ${total === 1 ? `${w.one} needs` : `${w.many} need`} ${w.needs}`;
}

export function noneAffectedSentence(helpdesk: HelpdeskId): string {
  const w = MAILBOX_WORDS[helpdesk];
  return `No ${w.one} needs ${w.needs} here.`;
}

export function noneOnPageSentence(helpdesk: HelpdeskId): string {
  return `No ${MAILBOX_WORDS[helpdesk].many} on this page.`;
}
