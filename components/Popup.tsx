import { useMemo } from 'preact/hooks';
import type { MailboxHistoryEntry } from '../lib/messages';
import { EmptyState } from './EmptyState';
import { HistoryList } from './HistoryList';
import { HelpdeskPickerAsk } from './signin/HelpdeskPickerAsk';
import { TabSection } from './TabSection';
import { usePopupState } from './usePopupState';
import { MonitoredMailboxes } from './verify/MonitoredMailboxes';
import { VerifyRequestSection, verifyRequestId } from './verify/VerifyRequestSection';

export function Popup() {
  const state = usePopupState();
  // Opened by a helpdesk settings screen's Verify button (entrypoints/background/assist-feature.ts).
  const verifyId = useMemo(() => verifyRequestId(location.search), []);
  const history = useMemo(
    () => new Map<string, MailboxHistoryEntry>((state?.history ?? []).map((entry) => [entry.key, entry])),
    [state?.history],
  );
  if (state === null) {
    return (
      <main class="popup" aria-busy="true">
        <p class="muted">Loading…</p>
      </main>
    );
  }
  return (
    <main class="popup">
      <h1>Reauth Assist</h1>
      {verifyId !== null && <VerifyRequestSection id={verifyId} />}
      {state.tabs.length > 0 && <HelpdeskPickerAsk />}
      {state.tabs.length === 0 ? <EmptyState /> : state.tabs.map((tab) => <TabSection key={tab.tabId} tab={tab} history={history} />)}
      <MonitoredMailboxes />
      <HistoryList entries={state.history} />
    </main>
  );
}
