/** The detector for the page this script runs on. Freshdesk is the default for custom domains. */
import { freshdesk } from './freshdesk';
import type { Detector } from './types';

export const DETECTORS: readonly Detector[] = [freshdesk];

export function pickDetector(_location: Pick<Location, 'hostname' | 'pathname'>): Detector {
  return freshdesk;
}
