import type { MailboxReport } from '../../lib/messages';
import type { ProviderId } from '../../lib/providers';
import { useCompanionState } from './useCompanionState';
import { VerifyPanel } from './VerifyPanel';

/** The page's guess of the provider; without one, Microsoft (the sign-in panel's default too). */
function providerOf(mailbox: MailboxReport): ProviderId {
  return mailbox.provider === 'google' ? 'google' : mailbox.provider === 'other' ? 'generic' : 'microsoft';
}

/** Verify in a mailbox's actions slot: shown once the mailbox was signed in (handed over) or is watched. */
export function MailboxVerify({ mailbox }: { mailbox: MailboxReport }) {
  const state = useCompanionState();
  if (state === null) return null;
  const known =
    state.handoffs.some((h) => h.mailbox === mailbox.address) ||
    state.runs.some((r) => r.mailbox === mailbox.address) ||
    state.monitored.mailboxes.some((m) => m.address === mailbox.address);
  return known ? <VerifyPanel state={state} mailbox={mailbox.address} provider={providerOf(mailbox)} /> : null;
}
