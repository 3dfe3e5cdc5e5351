import { isScenarioId, SCENARIOS } from '../lib/scenarios';
import type { MailboxHistoryEntry } from '../lib/messages';
import { formatWhen, hostOf } from './format';

/** Every mailbox ever seen needing reauthorization: when, why, and when it was seen fixed. */
export function HistoryList({ entries }: { entries: readonly MailboxHistoryEntry[] }) {
  return (
    <section class="history" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {entries.length === 0 ? (
        <p class="muted">No mailbox has needed reauthorization yet.</p>
      ) : (
        <ul>
          {entries.map((entry) => (
            <li key={entry.key} class="history-entry" data-address={entry.address}>
              <p class="history-address">
                {entry.address} <span class="tab-host">{hostOf(entry.origin)}</span>
              </p>
              <dl>
                <dt>First seen needing reauthorization</dt>
                <dd>{entry.firstSeenBroken === null ? '—' : formatWhen(entry.firstSeenBroken)}</dd>
                <dt>Scenario</dt>
                <dd>{isScenarioId(entry.lastScenario) ? SCENARIOS[entry.lastScenario].title : 'Not recognised'}</dd>
                <dt>Seen fixed</dt>
                <dd>{entry.seenFixed === null ? 'Not yet' : formatWhen(entry.seenFixed)}</dd>
                {entry.reauthorizedInHelpdesk !== undefined && (
                  <>
                    <dt>How</dt>
                    <dd data-history="reauthorized-in-helpdesk">Reauthorized in the helpdesk, {formatWhen(entry.reauthorizedInHelpdesk)}</dd>
                  </>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
