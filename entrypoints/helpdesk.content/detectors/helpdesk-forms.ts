/**
 * What SupportCenter Plus and Salesorder share as detectors: their screens have no Freshdesk banner, and the
 * help lives in their assistants (forms/), which read their screens in their own terms and report their mail
 * accounts / mail servers. The Freshdesk row scan finds nothing here: a row with an address beside
 * "Authentication failed" must never get Freshdesk's scenarios and steps.
 */
import { isPagesOwn } from '../ours';
import type { Detector } from './types';

export const FORM_HELPDESK_BASE: Omit<Detector, 'helpdesk' | 'emailSettingsPath'> = {
  isAgentScreen: () => true,
  isBannerText: () => false,
  controlKind: () => null,
  isEditIcon: () => false,
  isMailboxAddress: () => true,
  isPrimaryLabel: () => false,
  classify: () => null,
  // Any change of the page's own: a settings form's words (a test result) matter to its assistant.
  assistantSees: (records) => records.some(isPagesOwn),
};
