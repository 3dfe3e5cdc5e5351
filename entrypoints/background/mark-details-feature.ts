/**
 * The words of a mark opened on a helpdesk page (lib/mark-details.ts): kept here so the content script on
 * every helpdesk page carries only the marks' titles.
 */
import { markDetails } from '../../lib/mark-details';
import { markDetailsRequest } from '../../lib/mark-messages';
import type { BackgroundApp } from './app';

export function installMarkDetails(app: BackgroundApp): void {
  app.router.register({ message: markDetailsRequest, from: 'content-script', handle: (facts) => markDetails(facts) });
}
