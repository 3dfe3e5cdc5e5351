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

export const NOT_RUNNING = 'Reauth Assist is not running on this page: reload it.';

export function helpSource(): HelpSource | null {
  return source;
}
