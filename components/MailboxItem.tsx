import { useState } from 'preact/hooks';
import { PRIMARY_MAILBOX_STEPS, SCENARIOS } from '../lib/scenarios';
import { revealMailbox, type MailboxHistoryEntry, type MailboxReport, type TabState } from '../lib/messages';
import { MailboxActions } from './MailboxActions';
import { askWorker, failureText } from './worker-client';
import { formatWhen } from './format';

/** The provider as the row named it (the detector's reading of "Microsoft Office 365", "Gmail", ...). */
const PROVIDER_WORDS: Readonly<Record<NonNullable<MailboxReport['provider']>, string>> = {
  microsoft: 'Microsoft 365',
  google: 'Google',
  other: 'Other provider',
};

interface Props {
  tab: TabState;
  mailbox: MailboxReport;
  history: MailboxHistoryEntry | undefined;
}

/** One mailbox that needs reauthorization: why, in the seeds' words, and a way to jump to its row. */
export function MailboxItem({ tab, mailbox, history }: Props) {
  const [error, setError] = useState<string | null>(null);
  const scenario = mailbox.scenario === undefined ? undefined : SCENARIOS[mailbox.scenario];
  const reveal = async () => {
    setError(null);
    try {
      await askWorker(revealMailbox, { tabId: tab.tabId, address: mailbox.address });
    } catch (failure) {
      setError(failureText(failure));
    }
  };
  return (
    <li class="mailbox card" data-address={mailbox.address} data-state={mailbox.state}>
      <div class="mailbox-head">
        <button type="button" class="link address" onClick={reveal} title="Show this mailbox in its helpdesk tab">
          {mailbox.address}
        </button>
        {mailbox.primary && <span class="pill pill-info">Primary</span>}
        {mailbox.provider !== undefined && <span class="pill">{PROVIDER_WORDS[mailbox.provider]}</span>}
      </div>
      <p class="scenario">
        {scenario !== undefined
          ? `Scenario ${scenario.number}: ${scenario.title}`
          : (mailbox.reason ?? 'Needs reauthorization (reason not recognised)')}
      </p>
      {mailbox.statusText !== '' && <p class="status-words">Helpdesk says: “{mailbox.statusText}”</p>}
      {mailbox.primary && <p class="note">Primary address: {PRIMARY_MAILBOX_STEPS.slice(1).join(' ')}</p>}
      {history?.firstSeenBroken != null && (
        <p class="since">Needs reauthorization since {formatWhen(history.firstSeenBroken)}</p>
      )}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <MailboxActions tab={tab} mailbox={mailbox} history={history} />
    </li>
  );
}
