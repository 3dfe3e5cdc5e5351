/**
 * The longer words of the helpdesk page (an opened mark's steps, the banner's further help), kept here so the
 * content script on every helpdesk page carries only titles (lib/page-help-messages.ts).
 */
import { bannerHelp } from '../../lib/banner-help';
import { markDetails } from '../../lib/mark-details';
import { bannerHelpRequest, markDetailsRequest } from '../../lib/page-help-messages';
import type { BackgroundApp } from './app';

export function installPageHelp(app: BackgroundApp): void {
  app.router.register({ message: markDetailsRequest, from: 'content-script', handle: (facts) => markDetails(facts) });
  app.router.register({ message: bannerHelpRequest, from: 'content-script', handle: () => bannerHelp() });
}
