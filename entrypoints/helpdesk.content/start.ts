/**
 * What every helpdesk content script does on its page: the page's detection (marks, banner summary; on
 * admin-added origins also the detector picked by the page and form help: PageSession) kept up to date by the
 * page watcher, and the worker's reveal/rescan requests answered.
 */
// The browser's own API, not webextension-polyfill (a tenth of this bundle): listeners answer with sendResponse.
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from './script-context';
import {
  BANNER_HELP,
  MARK_DETAILS,
  readBannerHelp,
  readContentRequest,
  readMarkDetails,
} from '../../lib/content-messages';
import type { ReplyOf, WorkerResponse } from '../../lib/message-contract';
import type { PageReport, revealInPage } from '../../lib/messages';
import type { Detection } from './detection';
import { MAX_SHADOW_CANDIDATES, watchPage } from './observe';
import { NOT_RUNNING, provideHelp } from './help-source';
import { noticeReauthIntent } from './reauth-intent';
import { lateHostCandidates } from './scan';

/** One instance per frame, even if both the manifest and a runtime registration inject this file. */
const RUNNING = '__reauthAssistHelpdesk';

function send(report: PageReport): void {
  // No worker listening yet (or the extension is reloading): the next change sends the picture again.
  browser.runtime.sendMessage(report).catch(() => undefined);
}

/** Asks the worker for an opened mark's or the banner's words; `read` checks the reply's data. */
function askForHelp<T>(message: unknown, read: (data: unknown) => T | null): Promise<WorkerResponse<T>> {
  const silent = { ok: false, error: NOT_RUNNING } as const;
  return browser.runtime.sendMessage(message).then(
    (answer: unknown) => {
      const reply = answer as Partial<WorkerResponse<unknown>> | null;
      if (reply?.ok === false && typeof reply.error === 'string') return { ok: false, error: reply.error };
      const data = reply?.ok === true ? read(reply.data) : null;
      return data === null ? silent : { ok: true, data };
    },
    () => silent,
  );
}

/** What the watcher drives: a Detection, or a PageSession where the page picks the detector. */
export type PageDetection = Pick<Detection, 'update' | 'sift' | 'reveal' | 'dispose'>;

/**
 * `open` makes the page's detection: each entry brings only what its helpdesks need (Freshdesk's own domains
 * have one detector and no form assistant, so their bundle carries no PageSession).
 */
export function startHelpdeskContent(
  ctx: Pick<ContentScriptContext, 'onInvalidated'>,
  open: (doc: Document, send: (report: PageReport) => void) => PageDetection,
): void {
  const scope = globalThis as Record<string, unknown>;
  if (scope[RUNNING]) return;
  scope[RUNNING] = true;

  provideHelp({
    markDetails: (facts) => askForHelp({ kind: MARK_DETAILS, ...facts }, readMarkDetails),
    bannerHelp: () => askForHelp({ kind: BANNER_HELP }, readBannerHelp),
  });
  const detection = open(document, send);
  const watcher = watchPage(
    window,
    (changes) => {
      const scan = detection.update(changes);
      for (const root of scan.shadowRoots) watcher.observe(root);
      // After the marks: elements in what was looked at (the page on a first look, the parts it added since)
      // that may get a shadow root later (a plain element's, any time).
      if (scan.looked.length > 0)
        setTimeout(
          () => watcher.watchForShadow(scan.looked.flatMap((part) => lateHostCandidates(part, MAX_SHADOW_CANDIDATES))),
          0,
        );
    },
    detection.sift,
  );
  watcher.now();

  type Answer = WorkerResponse<ReplyOf<typeof revealInPage> | null>;
  const onMessage = (message: unknown, _sender: unknown, answer: (reply: Answer) => void): undefined => {
    const request = readContentRequest(message);
    if (!request) return;
    if (request.kind === 'rescan') {
      watcher.now();
      answer({ ok: true, data: null });
    } else answer({ ok: true, data: { found: detection.reveal(request.address) } });
  };
  browser.runtime.onMessage.addListener(onMessage);

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
