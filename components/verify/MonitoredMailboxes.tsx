/**
 * The popup's view of the companion: every mailbox it watches, with its state and retry countdown, shown
 * whether or not a helpdesk tab is open; the outage report once a mailbox is back; Verify for each.
 */
import browser from 'webextension-polyfill';
import { describeMonitored, STATUS_LABELS } from '../../lib/companion-ui';
import { formatWhen } from '../format';
import { OutageReportView } from './OutageReportView';
import { usePopupFocus } from './usePopupFocus';
import { useCompanionState, useNow } from './useCompanionState';
import { VerifyPanel } from './VerifyPanel';
import './verify.css';

/** A notification opened the popup on this mailbox: bring it into view. */
function scrollToFocused(element: HTMLLIElement | null): void {
  element?.scrollIntoView({ block: 'center' });
}

export function MonitoredMailboxes() {
  const state = useCompanionState();
  const now = useNow(1000);
  const focus = usePopupFocus();
  if (state === null) return null;
  const { monitored } = state;
  return (
    <section class="monitored" aria-labelledby="monitored-title" data-monitored>
      <h2 id="monitored-title">Watched by the companion</h2>
      {!state.paired ? (
        <p class="muted">
          Pair the companion to verify mailboxes and watch them when no helpdesk tab is open.{' '}
          <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
            Open Options
          </button>
        </p>
      ) : (
        <>
          {monitored.error && (
            <p class="error" role="alert" data-monitored-error>
              {monitored.error}
            </p>
          )}
          {monitored.fetchedAt !== null && monitored.mailboxes.length === 0 && !monitored.error && (
            <p class="muted">No mailbox yet: sign in to one from a helpdesk tab and it is handed over.</p>
          )}
          <ul>
            {monitored.mailboxes.map((mailbox) => {
              const report = state.reports.find((r) => r.address === mailbox.address);
              return (
                <li
                  key={mailbox.address}
                  class={`monitored-mailbox ${mailbox.status}${mailbox.address === focus ? ' focused' : ''}`}
                  data-monitored-address={mailbox.address}
                  data-status={mailbox.status}
                  data-focused={mailbox.address === focus ? '' : undefined}
                  ref={mailbox.address === focus ? scrollToFocused : undefined}
                >
                  <div class="monitored-head">
                    <strong>{mailbox.address}</strong> <span class="tag" data-status-label>{STATUS_LABELS[mailbox.status]}</span>
                  </div>
                  <p class="monitored-line" data-monitored-line>
                    {describeMonitored(mailbox, now, monitored.clockOffsetMs)}
                  </p>
                  {mailbox.lastVerdict && (
                    <p class="muted">
                      Last check {formatWhen(Date.parse(mailbox.lastVerdict.at))}: {mailbox.lastVerdict.headline}
                    </p>
                  )}
                  {report && <OutageReportView report={report} />}
                  <details class="monitored-verify">
                    <summary>Verify</summary>
                    <VerifyPanel state={state} mailbox={mailbox.address} provider={mailbox.provider} />
                  </details>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
