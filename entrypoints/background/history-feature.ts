/**
 * Per-mailbox history: every page report is recorded against its helpdesk origin; the popup shows it.
 */
import { HistoryDatabase, MailboxHistory } from './history';
import type { BackgroundApp } from './app';

export function installHistory(app: BackgroundApp): void {
  const history = new MailboxHistory(new HistoryDatabase());
  app.view.provide('history', () => history.episodes());
  app.tabs.subscribe((_tabId, state) => {
    if (state === undefined) return;
    history
      .record(new URL(state.url).origin, state.mailboxes, state.updatedAt)
      .then((changed) => changed > 0 && app.view.changed())
      .catch((error: unknown) => console.warn('Reauth Assist: could not record mailbox history:', String(error)));
  });
}
