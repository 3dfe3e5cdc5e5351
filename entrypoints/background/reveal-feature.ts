/**
 * Reveal: the popup asks to show one mailbox; its helpdesk tab comes to the front and scrolls to the row.
 */
import browser from 'webextension-polyfill';
import { revealMailboxSchema, type ContentRequest } from '../../lib/messages';
import type { BackgroundApp } from './app';
import { route, UserFacingError } from './router';

export function installReveal(app: BackgroundApp): void {
  app.router.register(
    route({
      kind: 'reveal-mailbox',
      schema: revealMailboxSchema,
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
        const request: ContentRequest = { kind: 'reveal-mailbox', address };
        let answer: unknown;
        try {
          answer = await browser.tabs.sendMessage(tabId, request);
        } catch {
          throw new UserFacingError('The helpdesk tab did not answer. Reload the page and try again.');
        }
        if ((answer as { ok?: unknown } | undefined)?.ok !== true) {
          throw new UserFacingError(`${address} is not on the page any more. Reload the helpdesk page.`);
        }
      },
    }),
  );
}
