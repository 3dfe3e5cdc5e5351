/**
 * The toolbar badge: how many mailboxes in this tab need reauthorization, empty when none.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../../lib/messages';
import type { BackgroundApp } from './app';
import { affectedCount } from './tab-state';

/** White on a dark red: readable (contrast above 4.5:1) and reads as "needs attention". */
export const BADGE_BACKGROUND = '#B42318';
export const BADGE_TEXT = '#FFFFFF';

export function badgeFor(state: TabState | undefined): { text: string; title: string } {
  const count = affectedCount(state);
  if (count === 0) return { text: '', title: 'Reauth Assist' };
  const noun = count === 1 ? 'support mailbox needs' : 'support mailboxes need';
  return { text: count > 999 ? '999+' : String(count), title: `Reauth Assist: ${count} ${noun} reauthorization` };
}

export function installBadge(app: BackgroundApp): void {
  void browser.action.setBadgeBackgroundColor({ color: BADGE_BACKGROUND });
  // setBadgeTextColor arrived in Chrome 110 and Firefox 63; older browsers pick a readable colour themselves.
  if (typeof browser.action.setBadgeTextColor === 'function') {
    void browser.action.setBadgeTextColor({ color: BADGE_TEXT }).catch(() => undefined);
  }
  app.tabs.subscribe((tabId, state) => {
    const { text, title } = badgeFor(state);
    // A closed tab rejects: nothing to show there any more.
    void browser.action.setBadgeText({ tabId, text }).catch(() => undefined);
    void browser.action.setTitle({ tabId, title }).catch(() => undefined);
  });
}
