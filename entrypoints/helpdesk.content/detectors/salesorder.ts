/**
 * Salesorder (on the customer's own domain, so told by structure): Setup > Configuration > Email > Mail
 * Accounts, recognised by its "New Microsoft 365 Account (Corporate)" action, or by a mail account table
 * (sender email with type, username or sender name columns) on a screen titled Mail Accounts; and the
 * Corporate account form, by Use OAuth beside Sender email.
 */
import type { AssistContext, Detector, PageAssistant } from './types';
import { namedControls } from '../forms/fields';
import { isCorporateAccountForm, salesorderAccountFormAssistant } from '../forms/salesorder-account-form';
import { readAccountList, salesorderAccountsAssistant } from '../forms/salesorder-accounts';
import { FORM_HELPDESK_BASE } from './helpdesk-forms';

const NEW_CORPORATE = /new\s+microsoft\s+365\s+account\s*\(corporate\)/i;

const MAIL_ACCOUNTS_TITLE = /\bmail\s+accounts\b/i;

function isAccountList(doc: Document): boolean {
  for (const el of doc.querySelectorAll('a, button, [role="menuitem"], option'))
    if (NEW_CORPORATE.test(el.textContent ?? '')) return true;
  const titled =
    MAIL_ACCOUNTS_TITLE.test(doc.title) ||
    [...doc.querySelectorAll('h1, h2, [role="heading"], nav')].some((h) =>
      MAIL_ACCOUNTS_TITLE.test(h.textContent ?? ''),
    );
  return titled && readAccountList(doc).length > 0;
}

function isAccountForm(doc: Document): boolean {
  return doc.querySelector('input[type="checkbox"]') !== null && isCorporateAccountForm(namedControls(doc));
}

export const salesorder: Detector = {
  ...FORM_HELPDESK_BASE,
  helpdesk: 'salesorder',
  emailSettingsPath: '/setup/configuration/email/mail-accounts',
  recognise: (doc) => isAccountForm(doc) || isAccountList(doc),
  assist(context: AssistContext): PageAssistant {
    return isAccountForm(context.doc) ? salesorderAccountFormAssistant(context) : salesorderAccountsAssistant(context);
  },
};
