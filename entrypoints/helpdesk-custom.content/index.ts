/**
 * The content script for origins the admin adds in the options page (Freshdesk custom domains, self-hosted
 * SupportCenter Plus, Salesorder): the worker registers it at runtime for exactly those origins, and the
 * page's structure picks the detector.
 */
import browser from 'webextension-polyfill';
import { askWorker } from '../helpdesk.content/ask-worker';
import { ALL_DETECTORS } from '../helpdesk.content/detectors';
import { PageSession } from '../helpdesk.content/page-session';
import { startHelpdeskContent } from '../helpdesk.content/start';

export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_idle',
  main(ctx) {
    const ask = askWorker((message) => browser.runtime.sendMessage(message));
    startHelpdeskContent(ctx, (doc, send) => new PageSession(doc, send, ask, ALL_DETECTORS));
  },
});
