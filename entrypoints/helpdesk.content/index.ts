/**
 * In-page detection on Freshdesk's own domains: marks each support mailbox that needs reauthorization,
 * summarises the banner, and reports the picture to the worker. Admin-added origins (Freshdesk custom
 * domains, SupportCenter Plus, Salesorder) get helpdesk-custom.content instead, registered at runtime.
 */
import { BUILT_IN_HELPDESK_MATCHES } from '../../lib/helpdesk-origins';
import { Detection } from './detection';
import { freshdesk } from './detectors/freshdesk';
import { startHelpdeskContent } from './start';
import { warmUpWhenIdle } from './warm-up';

export default defineContentScript({
  matches: [...BUILT_IN_HELPDESK_MATCHES],
  runAt: 'document_idle',
  main(ctx) {
    // One detector and no form assistant here: the detection itself, no PageSession.
    startHelpdeskContent(ctx, (doc, send) => {
      warmUpWhenIdle(freshdesk, doc);
      return new Detection({ detector: freshdesk, doc, send });
    });
  },
});
