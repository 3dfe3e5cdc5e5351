/** What the toolbar badge says for one tab: the number of mailboxes there that need reauthorization. */
import type { TabState } from '../../lib/messages';
import { affectedCount } from './tab-state';

/** White on a dark red: reads as "needs attention"; tests/browser/badge.spec.ts checks the WCAG contrast. */
export const BADGE_BACKGROUND = '#B42318';
export const BADGE_TEXT = '#FFFFFF';

export function badgeFor(state: TabState | undefined): { text: string; title: string } {
  const count = affectedCount(state);
  if (count === 0) return { text: '', title: 'Reauth Assist' };
  const noun = count === 1 ? 'support mailbox needs' : 'support mailboxes need';
  return { text: count > 999 ? '999+' : String(count), title: `Reauth Assist: ${count} ${noun} reauthorization` };
}
