/**
 * Freshdesk: the agent app (/a/..., /helpdesk/..., /admin/...) shows "Please reauthorize your Email
 * settings" and lists support emails under Admin > Channels > Email. The customer portal and the help
 * center live under /support/ (solution articles at /support/solutions/articles/...) and may quote the
 * banner: they are never the agent app, on freshdesk.com or on a custom domain.
 */
import { classifyMailbox } from '../classify';
import type { Detector } from './types';

const PORTAL_PATH = /^\/(?:support|solutions|kb|knowledgebase|hc|help-?center|portal)(?:\/|$)/i;
const ARTICLE_PATH = /\/(?:solutions\/)?articles?\//i;

// The banner's own sentence, from its first word; a quote inside another sentence does not start with it.
const BANNER_START = /^\s*["'\u2018\u201c]?\s*(?:please\s+)?re-?authori[sz]e\s+your\s+e-?mail\s+settings/i;

const REAUTHORIZE = /^\s*re-?authori[sz]e\b/i;
const SIGN_IN_MICROSOFT = /sign\s+in\s+with\s+microsoft/i;
const EDIT = /^\s*(?:edit|modify)\b/i;
const EDIT_ICON_CLASS = /(?:^|[\s_-])(?:edit|pencil)(?:$|[\s_-])/i;

const PRIMARY = /^\(?\s*primary(?:\s+(?:e-?mail|address|mailbox|support\s+e-?mail))?\s*\)?$/i;
const HELPDESK_OWN_DOMAIN = /@(?:[a-z0-9-]+\.)*freshdesk(?:mail)?\.com$/i;

export const freshdesk: Detector = {
  helpdesk: 'freshdesk',
  emailSettingsPath: '/a/admin/email',
  isAgentScreen: ({ pathname }) => !PORTAL_PATH.test(pathname) && !ARTICLE_PATH.test(pathname),
  isBannerText: (text) => BANNER_START.test(text),
  bannerHint: 'email settings',
  controlKind(label) {
    if (SIGN_IN_MICROSOFT.test(label)) return 'sign-in-with-microsoft';
    if (REAUTHORIZE.test(label)) return 'reauthorize-link';
    if (EDIT.test(label)) return 'edit-icon';
    return null;
  },
  isEditIcon(element) {
    const cls = element.getAttribute('class');
    return cls !== null && EDIT_ICON_CLASS.test(cls);
  },
  // Forwarding addresses (support@acme.freshdesk.com) use Freshdesk's own mail server: nothing to reauthorize.
  isMailboxAddress: (address) => !HELPDESK_OWN_DOMAIN.test(address),
  isPrimaryLabel: (text) => PRIMARY.test(text.trim()),
  classify: classifyMailbox,
};
