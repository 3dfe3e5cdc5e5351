/**
 * What every helpdesk content script does on its page: one PageSession (detection, marks, banner summary,
 * form help) kept up to date by the page watcher, and the worker's reveal/rescan requests answered.
 */
// The browser's own API object (wxt/browser), not webextension-polyfill: about 2.7 kB gzipped less on every
// helpdesk page. Answers go through sendResponse, which Chrome and Firefox both take.
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { type AnyMessage, messageFor, readReply, type ReplyOf, type WorkerResponse } from '../../lib/message-contract';
import { bannerHelpRequest, markDetailsRequest } from '../../lib/page-help-messages';
import type { PageReport, revealInPage } from '../../lib/messages';
import type { Detector } from './detectors/types';
import { provideHelp } from './help-source';
import { watchPage } from './observe';
import { askWorker, PageSession } from './page-session';
import { noticeReauthIntent } from './reauth-intent';
import { parseContentRequest } from './requests';
import { emptyHostCandidates, shadowRootsIn } from './scan';

/** Empty elements asked again for a late shadow root: a page with more is a big list, not a few plain hosts. */
const MAX_SHADOW_CANDIDATES = 500;

const HELP_SILENT = 'Reauth Assist did not answer with these words (was it updated or reloaded?). Reload this page.';

function askForHelp<M extends AnyMessage>(definition: M, message: unknown): Promise<WorkerResponse<ReplyOf<M>>> {
  return browser.runtime.sendMessage(message).then(
    (answer) => readReply(definition, answer, HELP_SILENT),
    () => ({ ok: false, error: HELP_SILENT }),
  );
}

/** One instance per frame, even if both the manifest and a runtime registration inject this file. */
const RUNNING = '__reauthAssistHelpdesk';

function send(report: PageReport): void {
  // No worker listening yet (or the extension is reloading): the next change sends the picture again.
  browser.runtime.sendMessage(report).catch(() => undefined);
}

export function startHelpdeskContent(ctx: ContentScriptContext, detectors: readonly Detector[]): void {
  const scope = globalThis as Record<string, unknown>;
  if (scope[RUNNING]) return;
  scope[RUNNING] = true;

  provideHelp({
    markDetails: (facts) => askForHelp(markDetailsRequest, messageFor(markDetailsRequest, facts)),
    bannerHelp: () => askForHelp(bannerHelpRequest, messageFor(bannerHelpRequest)),
  });
  const detection = new PageSession(
    document,
    send,
    askWorker((message) => browser.runtime.sendMessage(message)),
    detectors,
  );
  const watcher = watchPage(window, (changes) => {
    const scan = detection.update(changes);
    for (const root of scan.shadowRoots) watcher.observe(root);
    // Lists too large to search for shadow roots during the update: searched after the marks.
    if (scan.unsearched.length > 0) setTimeout(() => lateShadows(scan.unsearched), 0);
    // After the marks: empty elements that may get a shadow root later (a plain element's, any time).
    if (scan.whole)
      setTimeout(
        () =>
          watcher.watchForShadow(
            emptyHostCandidates(document, document.body ?? document.documentElement, MAX_SHADOW_CANDIDATES),
          ),
        0,
      );
  });
  const seen = new WeakSet<ShadowRoot>();
  const lateShadows = (regions: readonly Element[]) => {
    const hosts: Element[] = [];
    for (const region of regions) {
      if (!region.isConnected) continue;
      for (const root of shadowRootsIn(document, region)) {
        if (seen.has(root)) continue;
        seen.add(root);
        watcher.observe(root);
        hosts.push(root.host);
      }
    }
    watcher.shadowsFound(hosts);
  };
  watcher.now();

  const onMessage = (
    message: unknown,
    _sender: unknown,
    answer: (reply: WorkerResponse<ReplyOf<typeof revealInPage> | null>) => void,
  ): undefined => {
    const request = parseContentRequest(message);
    if (!request) return;
    if (request.kind === 'rescan') {
      watcher.now();
      answer({ ok: true, data: null });
      return;
    }
    answer({ ok: true, data: { found: detection.reveal(request.address) } });
  };
  browser.runtime.onMessage.addListener(onMessage);
  // WXT's own location poll: a last resort for History API navigation where the Navigation API is missing.
  ctx.addEventListener(window, 'wxt:locationchange', () => watcher.now());

  const stopNoticing = noticeReauthIntent(document);

  ctx.onInvalidated(() => {
    stopNoticing();
    watcher.stop();
    browser.runtime.onMessage.removeListener(onMessage);
    detection.dispose();
    provideHelp(null);
    scope[RUNNING] = false;
  });
}
