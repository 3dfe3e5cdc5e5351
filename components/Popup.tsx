import { useMemo } from 'preact/hooks';
import type { MailboxHistoryEntry } from '../lib/messages';
import { EmptyState } from './EmptyState';
import { HistoryList } from './HistoryList';
import { usePopupReady } from './popup-ready';
import { HelpdeskPickerAsk } from './signin/HelpdeskPickerAsk';
import { TabSection } from './TabSection';
import { usePopupState } from './usePopupState';
import { MonitoredMailboxes } from './verify/MonitoredMailboxes';
import { VerifyRequestSection, verifyRequestId } from './verify/VerifyRequestSection';

export function Popup() {
  const state = usePopupState();
  const ready = usePopupReady();
  // Opened by a helpdesk settings screen's Verify button (entrypoints/background/assist-feature.ts).
  const verifyId = useMemo(() => verifyRequestId(location.search), []);
  const history = useMemo(
    () => new Map<string, MailboxHistoryEntry>((state?.history ?? []).map((entry) => [entry.key, entry])),
    [state?.history],
  );
  if (state === null || !ready) {
    return (
      <main class="popup" aria-busy="true" aria-label="Reauth Assist is loading">
        <div class="skeleton skeleton-title" />
        <div class="skeleton skeleton-card" />
        <div class="skeleton skeleton-card" />
      </main>
    );
  }
  const affected = state.tabs.reduce(
    (sum, tab) => sum + tab.mailboxes.filter((m) => m.state === 'needs-reauth').length,
    0,
  );
  return (
    <main class="popup">
      <header class="popup-header">
        <h1>Reauth Assist</h1>
        {state.tabs.length > 0 && (
          <span class={`pill ${affected > 0 ? 'pill-danger' : 'pill-ok'}`} data-testid="affected-total">
            {affected > 0 ? `${affected} to fix` : 'All connected'}
          </span>
        )}
      </header>
      {verifyId !== null && <VerifyRequestSection id={verifyId} />}
      {state.tabs.length > 0 && <HelpdeskPickerAsk />}
      {state.tabs.length === 0 ? (
        <EmptyState />
      ) : (
        state.tabs.map((tab) => <TabSection key={tab.tabId} tab={tab} history={history} />)
      )}
      <MonitoredMailboxes />
      <HistoryList entries={state.history} />
    </main>
  );
}
