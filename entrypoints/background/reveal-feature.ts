/**
 * Reveal: the popup asks to show one mailbox; its helpdesk tab comes to the front and scrolls to the row.
 */
import browser from 'webextension-polyfill';
import { readReply, messageFor } from '../../lib/message-contract';
import { revealInPage, revealMailbox } from '../../lib/messages';
import type { BackgroundApp } from './app';
import { UserFacingError } from './router';

export function installReveal(app: BackgroundApp): void {
  app.router.register({
    message: revealMailbox,
    from: 'extension-page',
    handle: async ({ tabId, address }) => {
      const state = await app.tabs.get(tabId);
      if (state === undefined) {
        throw new UserFacingError('That helpdesk tab is closed or no longer shows the email settings. Open it again.');
      }
      if (!state.mailboxes.some((mailbox) => mailbox.address === address)) {
        throw new UserFacingError(`${address} is no longer listed in that tab. Reload the helpdesk page.`);
      }
      const tab = await browser.tabs.update(tabId, { active: true });
      if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
      const silent = 'The helpdesk tab did not answer. Reload the page and try again.';
      const answer = await browser.tabs
        .sendMessage(tabId, messageFor(revealInPage, { address }))
        .catch(() => undefined);
      const reply = readReply(revealInPage, answer, silent);
      if (!reply.ok) throw new UserFacingError(reply.error);
      if (!reply.data.found)
        throw new UserFacingError(`${address} is not on the page any more. Reload the helpdesk page.`);
    },
  });
}
