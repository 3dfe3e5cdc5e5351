/**
 * Tab tracking: each helpdesk tab's latest page report, kept until the tab leaves the helpdesk or closes.
 */
import browser from 'webextension-polyfill';
import { pageReport } from '../../lib/messages';
import type { BackgroundApp } from './app';
import { UserFacingError } from './router';

export function installTabTracking(app: BackgroundApp): void {
  app.router.register({
    message: pageReport,
    from: 'content-script',
    handle: async (report, { sender }) => {
      // The router guarantees sender.tab; the browser's own URL is trusted, the report's is only checked.
      const tab = sender.tab!;
      const url = sender.url ?? tab.url ?? '';
      if (originOf(report.url) === null || originOf(report.url) !== originOf(url)) {
        throw new UserFacingError('Rejected "page-report": its url is not the page it was sent from.');
      }
      await app.tabs.applyReport(tab.id!, { title: tab.title ?? new URL(url).host, url }, report, Date.now());
    },
  });
  app.view.provide('tabs', () => app.tabs.all());
  app.tabs.subscribe(() => app.view.changed());

  browser.tabs.onRemoved.addListener((tabId) => void app.tabs.forget(tabId));
  // A new document in the tab (link, reload, another site) starts with a clean slate: its content script, if
  // it is a helpdesk agent screen, reports afresh. History API navigations are not commits: the content
  // script follows those itself and reports the new picture.
  browser.webNavigation.onCommitted.addListener(({ tabId, frameId }) => {
    if (frameId === 0) void app.tabs.forget(tabId);
  });
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.title !== undefined) void app.tabs.retitle(tabId, change.title);
  });
  // Tabs closed while the worker was stopped sent their onRemoved to nobody.
  void browser.tabs.query({}).then((open) => app.tabs.keepOnly(new Set(open.flatMap((tab) => tab.id ?? []))));
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
