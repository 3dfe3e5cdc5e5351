/**
 * In-page detection on Freshdesk's own domains: marks each support mailbox that needs reauthorization,
 * summarises the banner, and reports the picture to the worker. Admin-added origins (Freshdesk custom
 * domains, SupportCenter Plus, Salesorder) get helpdesk-custom.content instead, registered at runtime.
 */
import { freshdesk } from './detectors/freshdesk';
import { startHelpdeskContent } from './start';

export default defineContentScript({
  matches: ['https://*.freshdesk.com/*'],
  runAt: 'document_idle',
  main(ctx) {
    startHelpdeskContent(ctx, [freshdesk]);
  },
});
