/**
 * In-page detection on Freshdesk's own domains: marks each support mailbox that needs reauthorization,
 * summarises the banner, and reports the picture to the worker. Admin-added origins (Freshdesk custom
 * domains, SupportCenter Plus, Salesorder) get helpdesk-custom.content instead, registered at runtime.
 */
import { BUILT_IN_HELPDESK_MATCHES } from '../../lib/helpdesk-origins';
import { freshdesk } from './detectors/freshdesk';
import { startHelpdeskContent } from './start';

export default defineContentScript({
  matches: [...BUILT_IN_HELPDESK_MATCHES],
  runAt: 'document_idle',
  main(ctx) {
    startHelpdeskContent(ctx, [freshdesk]);
  },
});
