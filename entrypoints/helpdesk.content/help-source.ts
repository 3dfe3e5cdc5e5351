/**
 * Where the page's UI gets its longer words: from the worker (start.ts provides the asking), when the admin
 * opens a mark or the banner's help. Unset in a simulated DOM (unit tests), where nothing is opened.
 */
import type { BannerHelp } from '../../lib/banner-help';
import type { MarkDetails, MarkFacts } from '../../lib/mark-details';
import type { WorkerResponse } from '../../lib/message-contract';

export interface HelpSource {
  markDetails(facts: MarkFacts): Promise<WorkerResponse<MarkDetails>>;
  bannerHelp(): Promise<WorkerResponse<BannerHelp>>;
}

let source: HelpSource | null = null;

export function provideHelp(next: HelpSource | null): void {
  source = next;
}

/** No answer from the worker (the extension was updated or reloaded since the page loaded), or no worker to ask. */
export const NOT_RUNNING = 'Reauth Assist did not answer (updated or reloaded?): reload this page.';

export function helpSource(): HelpSource | null {
  return source;
}
