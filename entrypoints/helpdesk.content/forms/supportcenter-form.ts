/**
 * SupportCenter Plus, Admin >> Helpdesk >> Mail Server Settings >> Incoming / Outgoing: reads the form as the
 * admin filled it, marks each wrong field with its fix (mail-settings-rules.ts), and offers Fill from
 * provider (through the page's own input events, nothing saved) and Verify (the extension's own sign-in and
 * the companion's IMAP/SMTP checks, in the extension's verify page: the page never sees a token).
 */
import type { StartVerifyFor } from '../../../lib/assist-messages';
import {
  checkMailSettings,
  formProvider,
  hostOf,
  providerFill,
  registrationSteps,
  type CloudProvider,
  type MailProtocol,
  type MailSettingsField,
  type MailSettingsForm,
} from './mail-settings-rules';
import type { MailServerEndpoint } from '../../../lib/verification';
import type { AssistContext, PageAssistant } from '../detectors/types';
import { chooseOption, findControl, isChecked, namedControls, setControlValue, shownValue, type Control, type NamedControl } from './fields';
import { FieldMarks, fill, Panel, requestVerify, type FieldProblem } from './ui';

const LABELS = {
  connection: /^connection\s+protocol$/i,
  authType: /^authentication\s+type$/i,
  server: /^server\s+name/i,
  connectUrl: /^connect\s+url$/i,
  username: /^user\s*name$/i,
  emails: /^e-?mail\s+address/i,
  protocol: /^protocol$/i,
  port: /^port$/i,
  tls: /^(?:enable\s+)?tls$/i,
  clientId: /^client\s+id$/i,
  authorizeUrl: /^authori[sz]e\s+url$/i,
  tokenUrl: /^access\s+token\s+url$/i,
  scope: /^scopes?$/i,
  redirectUrl: /^redirect\s+ur[il]$/i,
} as const;
type Key = keyof typeof LABELS;

/** The incoming or outgoing mail server form: both of these, and a server or a Connect URL. */
export function isMailServerForm(controls: readonly NamedControl[]): boolean {
  return (
    findControl(controls, LABELS.connection) !== null &&
    findControl(controls, LABELS.authType) !== null &&
    (findControl(controls, LABELS.server) !== null || findControl(controls, LABELS.connectUrl) !== null)
  );
}

const ADDRESS = /[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+/g;

interface ReadForm {
  form: MailSettingsForm;
  controls: Partial<Record<Key, Control>>;
}

function protocolOf(connection: string, protocol: string): MailProtocol | null {
  if (/\bews\b/i.test(connection)) return 'EWS';
  if (/\bgraph\b/i.test(connection)) return 'GRAPH';
  const p = protocol.toUpperCase();
  return (['POP', 'IMAP', 'POPS', 'IMAPS', 'SMTP', 'SMTPS'] as const).find((x) => x === p) ?? null;
}

export function readMailServerForm(root: ParentNode): ReadForm {
  const named = namedControls(root);
  const controls: Partial<Record<Key, Control>> = {};
  for (const key of Object.keys(LABELS) as Key[]) {
    const control = findControl(named, LABELS[key]);
    if (control) controls[key] = control;
  }
  const connection = shownValue(controls.connection ?? null);
  const connectionOptions = controls.connection instanceof HTMLSelectElement ? [...controls.connection.options].map((o) => o.text).join(' ') : connection;
  const protocol = protocolOf(connection, shownValue(controls.protocol ?? null));
  const ews = protocol === 'EWS' || protocol === 'GRAPH';
  const auth = shownValue(controls.authType ?? null);
  const port = Number.parseInt(shownValue(controls.port ?? null), 10);
  return {
    controls,
    form: {
      direction: /smtp/i.test(connectionOptions) ? 'outgoing' : 'incoming',
      protocol,
      authType: /oauth/i.test(auth) ? 'oauth' : /basic|password|plain/i.test(auth) ? 'basic' : null,
      server: ews ? shownValue(controls.connectUrl ?? null) : shownValue(controls.server ?? null),
      port: ews || Number.isNaN(port) ? null : port,
      username: shownValue(controls.username ?? null),
      emails: shownValue(controls.emails ?? null).match(ADDRESS) ?? [],
      clientId: shownValue(controls.clientId ?? null),
      authorizeUrl: shownValue(controls.authorizeUrl ?? null),
      tokenUrl: shownValue(controls.tokenUrl ?? null),
      scope: shownValue(controls.scope ?? null),
      redirectUrl: shownValue(controls.redirectUrl ?? null),
      tls: isChecked(controls.tls ?? null),
    },
  };
}

/** The mailbox a form is about: its first email address, else a username that is an address. */
function mailboxOf(form: MailSettingsForm): string | null {
  const candidates = [...form.emails, form.username];
  return candidates.map((c) => c.trim().toLowerCase()).find((c) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c)) ?? null;
}

function serverFor(form: MailSettingsForm): Pick<StartVerifyFor, 'imap' | 'smtp'> {
  const host = hostOf(form.server);
  if (!host || form.port === null || !form.protocol) return {};
  const endpoint = (security: MailServerEndpoint['security']): MailServerEndpoint => ({ host, port: form.port!, security });
  switch (form.protocol) {
    case 'IMAPS':
      return { imap: endpoint('tls') };
    case 'IMAP':
      return { imap: endpoint('starttls') };
    case 'SMTPS':
      return { smtp: endpoint('tls') };
    case 'SMTP':
      return { smtp: endpoint(form.port === 465 ? 'tls' : 'starttls') };
    default:
      return {};
  }
}

const PROVIDER_LABEL: Readonly<Record<CloudProvider, string>> = { microsoft: 'Microsoft 365', google: 'Google' };

export function supportCenterAssistant({ doc, ask }: AssistContext): PageAssistant {
  const marks = new FieldMarks(doc);
  const panel = new Panel(doc, 'mail-server-settings', 'Reauth Assist: mail server settings');
  let current: ReadForm | null = null;

  const summary = panel.el('p', { 'data-assist': 'summary', role: 'status' });

  const providerSelect = panel.el('select', { 'data-assist': 'fill-provider', 'aria-label': 'Provider' },
    panel.el('option', { value: 'microsoft' }, 'Microsoft 365'),
    panel.el('option', { value: 'google' }, 'Google'),
  ) as HTMLSelectElement;
  const tenantInput = panel.el('input', { 'data-assist': 'tenant', 'aria-label': 'Microsoft tenant', value: 'organizations', size: '28' }) as HTMLInputElement;
  const tenantLabel = panel.el('label', null, 'Tenant (id, domain or organizations) ', tenantInput);
  const fillButton = panel.el('button', { type: 'button', 'data-assist': 'fill' }, 'Fill from provider');
  const fillResult = panel.el('div', { 'data-assist': 'fill-result' });
  const verifyButton = panel.el('button', { type: 'button', 'data-assist': 'verify' }, 'Verify before Save');
  const verifyResult = panel.el('p', { 'data-assist': 'verify-result', role: 'status' });

  panel.add(
    summary,
    panel.el('h3', null, 'Fill from provider'),
    panel.el('div', { class: 'row' }, providerSelect, tenantLabel, fillButton),
    fillResult,
    panel.el('h3', null, 'Verify before Save'),
    panel.el('p', { class: 'muted' },
      'Signs in to this mailbox in Reauth Assist (with the mailbox\'s own account: any other account is stopped) and checks IMAP and SMTP through the companion, so a tenant that blocks IMAP or SMTP AUTH shows up before the consent window.'),
    panel.el('div', { class: 'row' }, verifyButton),
    verifyResult,
  );
  providerSelect.addEventListener('change', () => {
    tenantLabel.hidden = providerSelect.value !== 'microsoft';
  });

  fillButton.addEventListener('click', () => {
    const read = current;
    if (!read) return;
    const provider = providerSelect.value === 'google' ? 'google' : 'microsoft';
    const { controls } = read;
    // OAuth first: the page's own logic then shows the OAuth fields (and fixes IMAPS and its port).
    if (read.form.authType !== 'oauth' && controls.authType instanceof HTMLSelectElement) {
      const oauth = [...controls.authType.options].find((o) => /oauth/i.test(o.text));
      if (oauth) chooseOption(controls.authType, oauth.value);
    }
    const after = readMailServerForm(doc);
    const values = providerFill(provider, after.form, tenantInput.value);
    const missing: string[] = [];
    for (const key of ['authorizeUrl', 'tokenUrl', 'scope'] as const) {
      const control = after.controls[key];
      if (control) setControlValue(control, values[key]);
      else missing.push(key);
    }
    const redirect = after.form.redirectUrl;
    fill(
      fillResult,
      panel.el('p', { class: missing.length ? 'error' : 'ok' },
        missing.length
          ? `This form has no ${missing.join(', ')} field to fill.`
          : `Filled Authorize URL, Access Token URL and Scope for ${PROVIDER_LABEL[provider]}. Nothing is saved: check them, enter the Client ID and Client Secret, then press Save.`),
      panel.el('p', null, 'Redirect URL to register: ', panel.el('code', { 'data-assist': 'redirect-url' }, redirect || '(this page shows none)')),
      panel.el('ol', { 'data-assist': 'registration-steps' }, ...registrationSteps(provider, redirect, after.form.protocol).map((s) => panel.el('li', null, s))),
    );
    update();
  });

  verifyButton.addEventListener('click', () => {
    const read = current;
    if (!read) return;
    const mailbox = mailboxOf(read.form);
    if (!mailbox) {
      fill(verifyResult, panel.el('span', { class: 'error' }, 'Enter the mailbox\'s email address first: Verify signs in to that mailbox.'));
      return;
    }
    const provider = formProvider(read.form) ?? 'generic';
    requestVerify(panel, verifyResult, ask, { kind: 'start-verify-for', helpdesk: 'supportcenter-plus', mailbox, provider, purpose: 'before-save', ...serverFor(read.form) },
      'press Verify. Come back here to Save once it says ready.');
  });

  function update(): void {
    const read = readMailServerForm(doc);
    current = read;
    const findings = checkMailSettings(read.form);
    const problems: FieldProblem[] = findings.flatMap((f) => {
      const control = read.controls[f.field as MailSettingsField & Key];
      return control ? [{ key: f.field, control, rule: f.rule, problem: f.problem, fix: f.fix }] : [];
    });
    marks.sync(problems);
    const text = findings.length === 0 ? 'No problem found in this form.' : `${findings.length} problem${findings.length === 1 ? '' : 's'} marked next to the fields.`;
    if (summary.textContent !== text) summary.textContent = text;
    panel.host.setAttribute('data-reauth-problems', String(findings.length));
    const anchor = read.controls.authType?.closest('form') ?? read.controls.authType?.closest('table');
    if (anchor) panel.place(anchor);
  }

  return {
    update,
    dispose() {
      marks.dispose();
      panel.dispose();
    },
  };
}
