/**
 * Verify one mailbox through the companion: where its handoff stands, the Verify button (with the optional
 * round trip), the steps as they stream in, the verdict, and the mail servers it is checked against.
 */
import browser from 'webextension-polyfill';
import { useState } from 'preact/hooks';
import {
  companionHandoff,
  companionVerify,
  defaultMailServers,
  type CompanionPopupState,
  type HandoffView,
  type MailServers,
} from '../../lib/companion-ui';
import type { ProviderId } from '../../lib/providers';
import { useWorkerAsk } from '../signin/useWorkerAsk';
import { MailServersForm } from './MailServersForm';
import { VerdictView } from './VerdictView';
import { VerifySteps } from './VerifySteps';
import './verify.css';

interface Props {
  state: CompanionPopupState;
  mailbox: string;
  provider: ProviderId;
}

const HANDOFF_WORDS: Readonly<Record<HandoffView['status'], string>> = {
  'handing-over': 'Handing the sign-in to the companion…',
  'handed-over': 'The companion has the sign-in and watches the mailbox.',
  failed: 'The companion did not take the sign-in.',
  'not-paired': 'The companion is not paired yet.',
  'needs-servers': "The companion needs this mailbox's servers.",
};

export function serversFor(state: CompanionPopupState, mailbox: string, provider: ProviderId): MailServers | undefined {
  const monitored = state.monitored.mailboxes.find((m) => m.address === mailbox);
  return (
    state.servers[mailbox] ??
    (monitored ? { imap: monitored.imap, smtp: monitored.smtp } : defaultMailServers(provider))
  );
}

export function VerifyPanel({ state, mailbox, provider }: Props) {
  const [roundTrip, setRoundTrip] = useState(false);
  const [error, ask] = useWorkerAsk();
  const handoff = state.handoffs.find((h) => h.mailbox === mailbox);
  const monitored = state.monitored.mailboxes.some((m) => m.address === mailbox);
  const run = state.runs.find((r) => r.mailbox === mailbox);
  const running = run?.status === 'running';
  const canVerify =
    state.paired && (handoff?.status === 'handed-over' || (monitored && handoff?.status !== 'handing-over'));

  return (
    <div
      class="verify"
      data-verify-mailbox={mailbox}
      data-handoff-status={handoff?.status ?? (monitored ? 'monitored' : 'none')}
      data-run-status={run?.status ?? 'none'}
    >
      {handoff && (
        <p
          class={handoff.status === 'failed' || handoff.status === 'not-paired' ? 'error' : 'muted'}
          data-handoff={handoff.status}
        >
          {HANDOFF_WORDS[handoff.status]}
          {handoff.error ? ` ${handoff.error}` : ''}
        </p>
      )}
      {handoff?.status === 'not-paired' && (
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          Open Options
        </button>
      )}
      {handoff?.status === 'failed' && (
        <button type="button" onClick={() => void ask(companionHandoff, { mailbox })} data-verify="handoff-again">
          Hand over again
        </button>
      )}
      {canVerify && (
        <div class="verify-start">
          <label class="round-trip">
            <input
              type="checkbox"
              checked={roundTrip}
              disabled={running}
              onChange={(e) => setRoundTrip((e.target as HTMLInputElement).checked)}
              data-verify="round-trip"
            />{' '}
            Also send a test message to the mailbox and find it (round trip)
          </label>
          <button
            type="button"
            disabled={running}
            onClick={() => void ask(companionVerify, { mailbox, roundTrip })}
            data-verify="start"
          >
            {running ? 'Verifying…' : run ? 'Verify again' : 'Verify'}
          </button>
        </div>
      )}
      {run && run.steps.length > 0 && <VerifySteps steps={run.steps} />}
      {run?.verdict && <VerdictView verdict={run.verdict} />}
      {run?.status === 'error' && run.error && (
        <p class="error" role="alert" data-run-error>
          {run.error}
        </p>
      )}
      {(handoff || monitored) && (
        <details class="servers" open={handoff?.status === 'needs-servers'}>
          <summary>Mail servers</summary>
          <MailServersForm mailbox={mailbox} provider={provider} initial={serversFor(state, mailbox, provider)} />
        </details>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
