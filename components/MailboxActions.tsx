/**
 * The actions for one mailbox that needs reauthorization. Empty for now: the sign-in feature (Sign in,
 * wrong-account guard) and the verify feature (companion checks) render their buttons and progress here.
 */
import type { MailboxHistoryEntry, MailboxReport, TabState } from '../lib/messages';
import { SignInPanel } from './signin/SignInPanel';
import { MailboxVerify } from './verify/MailboxVerify';

export interface MailboxActionsProps {
  tab: TabState;
  mailbox: MailboxReport;
  history: MailboxHistoryEntry | undefined;
}

export function MailboxActions({ tab, mailbox }: MailboxActionsProps) {
  return (
    <>
      <SignInPanel tab={tab} mailbox={mailbox} />
      <MailboxVerify mailbox={mailbox} />
    </>
  );
}
