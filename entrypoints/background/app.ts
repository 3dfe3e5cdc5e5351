/**
 * The worker's shared parts, created once per worker start: the message router, the per-tab state and the
 * popup view. Features receive this object and plug into it (see index.ts).
 *
 * Everything here attaches its browser listeners synchronously, in the worker's first turn: an MV3 worker
 * woken by an event only receives it if the listener exists before the first await.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { getState } from '../../lib/messages';
import { MessageRouter } from './router';
import { TabStateStore } from './tab-state';
import { PopupView } from './view';

export interface BackgroundApp {
  router: MessageRouter;
  tabs: TabStateStore;
  view: PopupView;
}

export function createBackgroundApp(): BackgroundApp {
  const identity = { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') };
  const router = new MessageRouter(identity);
  const tabs = new TabStateStore(browser.storage.session);
  const view = new PopupView();

  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    router.dispatch(message, sender),
  );
  view.listen(browser.runtime, router);
  router.register({ message: getState, from: 'extension-page', handle: () => view.snapshot() });

  return {
    router,
    tabs,
    view,
  };
}
