import { affectedSentence, noneAffectedSentence, noneOnPageSentence } from '../lib/helpdesk-words';
import { mailboxHistoryKey, type MailboxHistoryEntry, type TabState } from '../lib/messages';
import { hostOf, plural } from './format';
import { MailboxItem } from './MailboxItem';

interface Props {
  tab: TabState;
  history: ReadonlyMap<string, MailboxHistoryEntry>;
}

/** One open helpdesk tab: its affected mailboxes first, then how many are fine. */
export function TabSection({ tab, history }: Props) {
  const affected = tab.mailboxes.filter((mailbox) => mailbox.state === 'needs-reauth');
  const connected = tab.mailboxes.filter((mailbox) => mailbox.state === 'connected');
  const origin = safeOrigin(tab.url);
  const headingId = `tab-${tab.tabId}`;
  return (
    <section class="tab" aria-labelledby={headingId} data-tab-id={tab.tabId}>
      <h2 id={headingId}>
        <span class="tab-title">{tab.title}</span>
        <span class="tab-host">{hostOf(tab.url)}</span>
      </h2>
      {/* Only the count is announced as it changes; the lists below re-render too often to be read out. */}
      <p class="summary" data-testid="summary" aria-live="polite">
        {affected.length > 0
          ? affectedSentence(tab.helpdesk, affected.length, tab.mailboxes.length)
          : tab.mailboxes.length > 0
            ? noneAffectedSentence(tab.helpdesk)
            : tab.bannerPresent
              ? 'The reauthorization banner is showing. Open Admin > Channels > Email to see which mailbox.'
              : noneOnPageSentence(tab.helpdesk)}
      </p>
      {affected.length > 0 && (
        <ul class="mailboxes" aria-label={`Needs reauthorization on ${hostOf(tab.url)}`}>
          {affected.map((mailbox) => (
            <MailboxItem
              key={mailbox.address}
              tab={tab}
              mailbox={mailbox}
              history={history.get(mailboxHistoryKey(origin, mailbox.address))}
            />
          ))}
        </ul>
      )}
      {connected.length > 0 && (
        <details class="connected">
          <summary data-testid="connected-count">{plural(connected.length, 'connected', 'connected')}</summary>
          <ul>
            {connected.map((mailbox) => (
              <li key={mailbox.address}>
                {mailbox.address}
                {mailbox.primary && <span class="tag primary">Primary</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
