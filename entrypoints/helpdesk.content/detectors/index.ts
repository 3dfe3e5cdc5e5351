/**
 * Every helpdesk detector. Only the script for admin-added origins loads them all: Freshdesk's own domains
 * get the Freshdesk detector alone, which keeps that bundle small.
 */
import { freshdesk } from './freshdesk';
import { salesorder } from './salesorder';
import { supportCenterPlus } from './supportcenter-plus';
import type { Detector } from './types';

export const ALL_DETECTORS: readonly Detector[] = [freshdesk, supportCenterPlus, salesorder];
