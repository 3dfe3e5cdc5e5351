import type { Detector } from './types';

const FRESHDESK_HOST = /(?:^|\.)freshdesk\.com$/i;

/**
 * The detector for the page this script runs on. *.freshdesk.com is Freshdesk; on other origins (added by
 * the admin) the page's structure decides, and Freshdesk (its custom domains) is the default.
 */
export function pickDetector(
  detectors: readonly Detector[],
  location: Pick<Location, 'hostname' | 'pathname'>,
  doc?: Document,
): Detector {
  const freshdesk = detectors.find((d) => d.helpdesk === 'freshdesk') ?? detectors[0]!;
  if (!doc || FRESHDESK_HOST.test(location.hostname)) return freshdesk;
  return detectors.find((d) => d.recognise?.(doc)) ?? freshdesk;
}
