/**
 * What SupportCenter Plus and Salesorder share as detectors: their screens have no Freshdesk banner and no
 * mailbox rows with a status; the help lives on their settings forms (the assistant). Rows that do show an
 * address beside a status word are still recognised the Freshdesk way.
 */
import { classifyMailbox } from '../classify';
import type { Detector } from './types';

export const FORM_HELPDESK_BASE: Omit<Detector, 'helpdesk' | 'emailSettingsPath'> = {
  isAgentScreen: () => true,
  isBannerText: () => false,
  controlKind: () => null,
  isEditIcon: () => false,
  isMailboxAddress: () => true,
  isPrimaryLabel: () => false,
  classify: classifyMailbox,
};
