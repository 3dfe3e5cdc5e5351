/**
 * The toolbar badge: how many mailboxes in this tab need reauthorization, empty when none.
 */
import browser from 'webextension-polyfill';
import type { BackgroundApp } from './app';
import { BADGE_BACKGROUND, BADGE_TEXT, badgeFor } from './badge';

export function installBadge(app: BackgroundApp): void {
  void browser.action.setBadgeBackgroundColor({ color: BADGE_BACKGROUND });
  // setBadgeTextColor arrived in Chrome 110 and Firefox 63; older browsers pick a readable colour themselves.
  if (typeof browser.action.setBadgeTextColor === 'function') {
    void browser.action.setBadgeTextColor({ color: BADGE_TEXT }).catch(() => undefined);
  }
  app.tabs.subscribe((tabId, state) => {
    // A tab that left the helpdesk drops its own badge (null) and shows the global one again: the
    // companion's count of broken monitored mailboxes (companion feature).
    const { text, title } = state === undefined ? { text: null, title: null } : badgeFor(state);
    // A closed tab rejects: nothing to show there any more.
    void browser.action.setBadgeText({ tabId, text }).catch(() => undefined);
    void browser.action.setTitle({ tabId, title }).catch(() => undefined);
  });
}
