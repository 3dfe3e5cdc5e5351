/**
 * A mailbox's next actions, in the order that fixes it: the helpdesk's own sign-in for the row (the real fix),
 * then "Check the mailbox" (our sign-in with the picker, and the companion's IMAP/SMTP verification).
 */
import type { MailboxHistoryEntry, MailboxReport, TabState } from '../lib/messages';
import { ReauthorizeInHelpdesk } from './ReauthorizeInHelpdesk';
import { SignInPanel } from './signin/SignInPanel';
import { MailboxVerify } from './verify/MailboxVerify';

export interface MailboxActionsProps {
  tab: TabState;
  mailbox: MailboxReport;
  history: MailboxHistoryEntry | undefined;
}

export function MailboxActions({ tab, mailbox }: MailboxActionsProps) {
  return (
    <div class="mailbox-actions">
      <ReauthorizeInHelpdesk tab={tab} mailbox={mailbox} />
      <SignInPanel tab={tab} mailbox={mailbox} />
      <MailboxVerify mailbox={mailbox} />
    </div>
  );
}
