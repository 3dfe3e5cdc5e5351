/**
 * The detector for the page this script runs on. *.freshdesk.com is Freshdesk; on other origins (added by
 * the admin) the page's structure decides, and Freshdesk (its custom domains) is the default.
 */
import { freshdesk } from './freshdesk';
import { salesorder } from './salesorder';
import { supportCenterPlus } from './supportcenter-plus';
import type { Detector } from './types';

export const DETECTORS: readonly Detector[] = [freshdesk, supportCenterPlus, salesorder];

const FRESHDESK_HOST = /(?:^|\.)freshdesk\.com$/i;

export function pickDetector(location: Pick<Location, 'hostname' | 'pathname'>, doc?: Document): Detector {
  if (!doc || FRESHDESK_HOST.test(location.hostname)) return freshdesk;
  return DETECTORS.find((d) => d.recognise?.(doc)) ?? freshdesk;
}
