/**
 * ManageEngine SupportCenter Plus (usually self-hosted, so told by structure, not host name): Admin >>
 * Helpdesk >> Mail Server Settings >> Incoming / Outgoing, recognised by its Connection Protocol and
 * Authentication Type fields beside a server name or Connect URL.
 */
import { namedControls } from '../forms/fields';
import { isMailServerForm, supportCenterAssistant } from '../forms/supportcenter-form';
import { FORM_HELPDESK_BASE } from './helpdesk-forms';
import type { Detector } from './types';

export const supportCenterPlus: Detector = {
  ...FORM_HELPDESK_BASE,
  helpdesk: 'supportcenter-plus',
  emailSettingsPath: '/SetUpWizard.do?forwardTo=mailserver',
  recognise: (doc) => doc.querySelector('select') !== null && isMailServerForm(namedControls(doc)),
  assist: supportCenterAssistant,
};
