/**
 * SupportCenter Plus, Admin >> Helpdesk >> Mail Server Settings >> Incoming / Outgoing: reads the form as the
 * admin filled it, marks each wrong field with its fix (mail-settings-rules.ts), and offers Fill from
 * provider (through the page's own input events, nothing saved) and Verify (the extension's own sign-in and
 * the companion's IMAP/SMTP checks, in the extension's verify page: the page never sees a token).
 */
import { SUPPORTCENTER_TIPS } from '../../../lib/advice';
import { affectedSentence } from '../../../lib/helpdesk-words';
import { emailAddressOf } from '../../../lib/email';
import { explainPageStatus, type StartVerifyFor } from '../../../lib/assist-messages';
import type { MailboxReport } from '../../../lib/messages';
import type { PageStatusOutcome } from '../../../lib/page-status';
import { isFailureText } from '../../../lib/status-words';
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
import {
  chooseOption,
  findField,
  isChecked,
  isShown,
  labelOf,
  namedControls,
  optionTexts,
  setControlValue,
  shownValue,
  type Control,
  type FieldSpec,
  type NamedControl,
} from './fields';
import { pageStatusTexts } from './page-status-reader';
import { FieldMarks, fill, Panel, requestVerify, type FieldProblem } from './ui';

/**
 * A mail protocol as one option names it ("IMAPS", "IMAP (SSL/TLS)", "POP3", "SMTP over SSL"); null for a combined
 * one.
 */
export function protocolWord(text: string): MailProtocol | null {
  const t = text.trim().toUpperCase();
  if (/\bEWS\b|EXCHANGE\s+WEB\s+SERVICES?/.test(t)) return 'EWS';
  if (/\bGRAPH\b/.test(t)) return 'GRAPH';
  const m = /^(IMAP4?|POP3?|SMTP)(S)?(?:\s+(?:OVER|WITH|USING)\s+(SSL|TLS))?\s*(?:\(([^)]*)\))?$/.exec(t);
  if (!m) return null;
  const base = m[1]!.startsWith('IMAP') ? 'IMAP' : m[1]!.startsWith('POP') ? 'POP' : 'SMTP';
  const secure = Boolean(m[2] || m[3] || (m[4] && /\b(?:SSL|TLS)\b/.test(m[4]) && !/STARTTLS/.test(m[4])));
  return `${base}${secure ? 'S' : ''}` as MailProtocol;
}

/** A select that offers at least two mail protocols by name is a protocol field, whatever it is called. */
function offersProtocols(texts: readonly string[]): boolean {
  return texts.filter((t) => protocolWord(t) !== null).length >= 2;
}

/** The seed's Connection Protocol: a combined mail-protocol choice beside EWS (and Graph). */
function offersConnectionKinds(texts: readonly string[]): boolean {
  return texts.some((t) => /\bEWS\b|exchange\s+web|graph/i.test(t)) && texts.some((t) => /pop|imap|smtp/i.test(t));
}

const ALTERNATE = /altern|backup|secondary|fallback|proxy|sender|reply/i;

/** Each field by meaning: its words, its name / id / placeholder, or the choices it offers. */
const FIELDS = {
  connection: {
    kind: 'select',
    label: /\bconnection\b|\bserver\s+type\b|\bmail\s*box\s+type\b|\bconnect\s+(?:via|using|with)\b/i,
    hint: /\bconnection\b|\bserver type\b/,
    options: offersConnectionKinds,
  },
  protocol: { kind: 'select', label: /\bprotocol\b/i, hint: /\bprotocol\b/, options: offersProtocols },
  authType: {
    label:
      /\bauth(?:entication|orization)?\b(?:\s+(?:type|method|mode|mechanism))?$|\bsign[- ]?in\s+(?:type|method)\b/i,
    hint: /\bauth(?:entication)?(?: type| method| mode)?\b/,
    options: (t: readonly string[]) => t.some((o) => /oauth/i.test(o)),
    not: /url|uri|endpoint|code|token/i,
  },
  server: {
    kind: 'text',
    label: /\bserver(?:\s*name)?\b|\bhost(?:\s*name)?\b|\bip\s+address\b/i,
    hint: /\bserver\b|\bhost\b/,
    not: new RegExp(`${ALTERNATE.source}|url|port|type|protocol`, 'i'),
  },
  connectUrl: {
    kind: 'text',
    label: /\bconnect(?:ion)?\s+ur[li]\b|\bews\s+ur[li]\b|\bexchange\s+ur[li]\b|\bservice\s+ur[li]\b/i,
    hint: /\bconnect url\b|\bews url\b|\bservice url\b/,
  },
  username: {
    kind: 'text',
    label: /^(?:user\s*(?:name|id)?|login(?:\s*(?:name|id))?|account(?:\s*name)?)$/i,
    hint: /\buser ?name\b|\blogin\b|\buser id\b/,
    not: /password|secret/i,
  },
  emails: {
    kind: 'text',
    label: /\be-?mail\s+address|^e-?mail$|^mailbox(?:\s+address)?$/i,
    hint: /\be ?mail(?: address(?:es)?)?\b|\bmailbox\b/,
    not: /reply|sender|debug|notif/i,
  },
  port: {
    kind: 'text',
    label: /^(?:server\s+|incoming\s+|outgoing\s+)?port(?:\s*(?:number|no\.?))?$/i,
    hint: /\bport\b/,
  },
  tls: { kind: 'checkbox', label: /\btls\b|\bssl\b|\bsecure\b/i, hint: /\btls\b|\bssl\b|\bsecure\b/ },
  clientId: {
    kind: 'text',
    label: /\bclient\s*id\b|\bapplication\s*(?:\(client\)\s*)?id\b|\bapp\s*id\b/i,
    hint: /\bclient id\b|\bapp(?:lication)? id\b/,
  },
  authorizeUrl: {
    kind: 'text',
    label: /\bauthori[sz](?:e|ation)\s*(?:url|uri|endpoint)\b|\bauth\s*url\b/i,
    hint: /\bauthori[sz](?:e|ation) (?:url|uri|endpoint)\b|\bauth url\b/,
  },
  tokenUrl: { kind: 'text', label: /\btoken\s*(?:url|uri|endpoint)\b/i, hint: /\btoken (?:url|uri|endpoint)\b/ },
  scope: { kind: 'text', label: /\bscopes?\b|\bpermissions?\b/i, hint: /\bscopes?\b/ },
  redirectUrl: {
    kind: 'text',
    label: /\bredirect\b|\breply\s+ur[li]\b|\bcallback\b/i,
    hint: /\bredirect\b|\bcallback\b/,
  },
  debug: { kind: 'checkbox', label: /\bdebug\b/i, hint: /\bdebug\b/ },
  interval: {
    kind: 'text',
    label: /\binterval\b|\bfetch\b.*\b(?:every|minutes?)\b|\bevery\b.*\bminutes?\b|\bpoll/i,
    hint: /\binterval\b|\bfetch (?:every|time)\b|\bpoll/,
  },
} as const satisfies Record<string, FieldSpec>;
type Key = keyof typeof FIELDS;
/** Found in this order, each control used once (connection and protocol may be the same select). */
const ORDER: readonly Key[] = [
  'connectUrl',
  'redirectUrl',
  'authorizeUrl',
  'tokenUrl',
  'clientId',
  'scope',
  'authType',
  'port',
  'server',
  'emails',
  'username',
  'tls',
  'debug',
  'interval',
];

function findFields(named: readonly NamedControl[]): Partial<Record<Key, Control>> {
  const controls: Partial<Record<Key, Control>> = {};
  const taken = new Set<Control>();
  for (const key of ORDER) {
    const control = findField(named, FIELDS[key], taken);
    if (control) {
      controls[key] = control;
      taken.add(control);
    }
  }
  const connection = findField(named, FIELDS.connection, taken);
  if (connection) controls.connection = connection;
  // The protocol the admin chose: the first protocol field whose choice names one protocol.
  const protocols = named.filter(
    (c) => !taken.has(c.control) && c.control instanceof HTMLSelectElement && offersProtocols(optionTexts(c.control)),
  );
  protocols.sort(
    (a, b) =>
      Number(FIELDS.protocol.label.test(b.label)) - Number(FIELDS.protocol.label.test(a.label)) ||
      Number(isShown(b.control)) - Number(isShown(a.control)),
  );
  const chosen =
    protocols.find((c) => isShown(c.control) && protocolWord(shownValue(c.control)) !== null) ?? protocols[0];
  const protocol = chosen?.control ?? findField(named, FIELDS.protocol, taken);
  if (protocol) controls.protocol = protocol;
  return controls;
}

/**
 * The incoming or outgoing mail server form: an authentication choice with OAuth, a protocol or connection choice,
 * and a server or a Connect URL.
 */
export function isMailServerForm(controls: readonly NamedControl[]): boolean {
  const found = findFields(controls);
  return (
    found.authType !== undefined &&
    (found.connection !== undefined || found.protocol !== undefined) &&
    (found.server !== undefined || found.connectUrl !== undefined)
  );
}

const ADDRESS = /[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+/g;

interface ReadForm {
  form: MailSettingsForm;
  controls: Partial<Record<Key, Control>>;
}

function protocolOf(connection: Control | undefined, protocol: Control | undefined): MailProtocol | null {
  const chosen = shownValue(connection ?? null);
  const byConnection = protocolWord(chosen);
  if (byConnection === 'EWS' || byConnection === 'GRAPH') return byConnection;
  return protocolWord(shownValue(protocol ?? null)) ?? byConnection;
}

/** A radio group's chosen option as the admin reads it; any other control's shown value. */
function chosenValue(control: Control | undefined): string {
  if (control instanceof HTMLInputElement && control.type === 'radio') {
    const group =
      control.form?.elements.namedItem(control.name) ?? control.ownerDocument.getElementsByName(control.name);
    const radios = group instanceof RadioNodeList || group instanceof NodeList ? [...group] : [group];
    const checked = radios.find((r): r is HTMLInputElement => r instanceof HTMLInputElement && r.checked);
    return checked ? `${labelOf(checked)} ${checked.value}` : '';
  }
  return shownValue(control ?? null);
}

function directionOf(
  doc: Document,
  controls: Partial<Record<Key, Control>>,
  protocol: MailProtocol | null,
): 'incoming' | 'outgoing' {
  if (protocol === 'SMTP' || protocol === 'SMTPS') return 'outgoing';
  const offered = [controls.connection, controls.protocol].flatMap((c) => (c ? optionTexts(c) : [])).join(' ');
  if (/\bsmtp/i.test(offered)) return 'outgoing';
  if (/\b(?:pop|imap)/i.test(offered)) return 'incoming';
  return /\boutgoing\b|\bsmtp\b/i.test(doc.title) ? 'outgoing' : 'incoming';
}

export function readMailServerForm(root: ParentNode): ReadForm {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const controls = findFields(namedControls(root));
  const protocol = protocolOf(controls.connection, controls.protocol);
  const ews = protocol === 'EWS' || protocol === 'GRAPH';
  const auth = chosenValue(controls.authType);
  const port = Number.parseInt(shownValue(controls.port ?? null), 10);
  return {
    controls,
    form: {
      direction: directionOf(doc, controls, protocol),
      protocol,
      authType: /oauth|modern/i.test(auth) ? 'oauth' : /basic|password|plain|login|normal/i.test(auth) ? 'basic' : null,
      server: ews
        ? shownValue(controls.connectUrl ?? null) || shownValue(controls.server ?? null)
        : shownValue(controls.server ?? null),
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
  for (const candidate of candidates) {
    const address = emailAddressOf(candidate);
    if (address) return address;
  }
  return null;
}

function serverFor(form: MailSettingsForm): Pick<StartVerifyFor, 'imap' | 'smtp'> {
  const host = hostOf(form.server);
  if (!host || form.port === null || !form.protocol) return {};
  const endpoint = (security: MailServerEndpoint['security']): MailServerEndpoint => ({
    host,
    port: form.port!,
    security,
  });
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

interface ExplainedStatus {
  text: string;
  outcome: PageStatusOutcome | { kind: 'error'; error: string };
}

export function supportCenterAssistant({ doc, ask, changed }: AssistContext): PageAssistant {
  const marks = new FieldMarks(doc);
  const panel = new Panel(doc, 'mail-server-settings', 'Reauth Assist: mail server settings');
  let current: ReadForm | null = null;

  const summary = panel.el('p', { 'data-assist': 'summary', role: 'status' });

  const providerSelect = panel.el(
    'select',
    { 'data-assist': 'fill-provider', 'aria-label': 'Provider' },
    panel.el('option', { value: 'microsoft' }, 'Microsoft 365'),
    panel.el('option', { value: 'google' }, 'Google'),
  ) as HTMLSelectElement;
  const tenantInput = panel.el('input', {
    'data-assist': 'tenant',
    'aria-label': 'Microsoft tenant',
    value: 'organizations',
    size: '28',
  }) as HTMLInputElement;
  const tenantLabel = panel.el('label', null, 'Tenant (id, domain or organizations) ', tenantInput);
  const fillButton = panel.el('button', { type: 'button', 'data-assist': 'fill' }, 'Fill from provider');
  const fillResult = panel.el('div', { 'data-assist': 'fill-result' });
  const verifyButton = panel.el('button', { type: 'button', 'data-assist': 'verify' }, 'Verify before Save');
  const verifyResult = panel.el('p', { 'data-assist': 'verify-result', role: 'status' });

  const count = panel.el('p', { 'data-assist': 'count' });
  const statusBox = panel.el('div', { 'data-assist': 'page-status', 'data-outcome': 'none' });
  const tipsBox = panel.el('ul', { 'data-assist': 'tips' });
  panel.add(
    count,
    summary,
    panel.el('h3', null, 'What this page says'),
    statusBox,
    panel.el('h3', null, 'Fill from provider'),
    panel.el('div', { class: 'row' }, providerSelect, tenantLabel, fillButton),
    fillResult,
    panel.el('h3', null, 'Verify before Save'),
    panel.el(
      'p',
      { class: 'muted' },
      "Signs in to this mailbox in Reauth Assist (with the mailbox's own account: any other account is stopped) " +
        'and checks IMAP and SMTP through the companion, so a tenant that blocks IMAP or SMTP AUTH shows up ' +
        'before the consent window.',
    ),
    panel.el('div', { class: 'row' }, verifyButton),
    verifyResult,
    panel.el('h3', null, 'Testing the settings in SupportCenter Plus'),
    tipsBox,
  );
  let statusSig = '';
  let explained: ExplainedStatus[] = [];
  let tipsSig = '';
  let findingsNow: ReturnType<typeof checkMailSettings> = [];
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
      panel.el(
        'p',
        { class: missing.length ? 'error' : 'ok' },
        missing.length
          ? `This form has no ${missing.join(', ')} field to fill.`
          : `Filled Authorize URL, Access Token URL and Scope for ${PROVIDER_LABEL[provider]}. Nothing is ` +
              `saved: check them, enter the Client ID and Client Secret, then press Save.`,
      ),
      panel.el(
        'p',
        null,
        'Redirect URL to register: ',
        panel.el('code', { 'data-assist': 'redirect-url' }, redirect || '(this page shows none)'),
      ),
      panel.el(
        'ol',
        { 'data-assist': 'registration-steps' },
        ...registrationSteps(provider, redirect, after.form.protocol).map((s) => panel.el('li', null, s)),
      ),
    );
    update();
  });

  verifyButton.addEventListener('click', () => {
    const read = current;
    if (!read) return;
    const mailbox = mailboxOf(read.form);
    if (!mailbox) {
      fill(
        verifyResult,
        panel.el(
          'span',
          { class: 'error' },
          "Enter the mailbox's email address first: Verify signs in to that mailbox.",
        ),
      );
      return;
    }
    const provider = formProvider(read.form) ?? 'generic';
    requestVerify(
      panel,
      verifyResult,
      ask,
      { helpdesk: 'supportcenter-plus', mailbox, provider, purpose: 'before-save', ...serverFor(read.form) },
      'press Verify. Come back here to Save once it says ready.',
    );
  });

  function statusContext(read: ReadForm) {
    const host = hostOf(read.form.server);
    const mailbox = mailboxOf(read.form);
    const provider = formProvider(read.form);
    return {
      direction: read.form.direction,
      ...(host && /^[a-z0-9.-]+$/.test(host) ? { host } : {}),
      ...(read.form.port ? { port: read.form.port } : {}),
      ...(mailbox ? { mailbox } : {}),
      ...(provider ? { provider } : {}),
    };
  }

  /** The page's own status and error texts, each explained through the diagnosis catalogue (in the worker). */
  function renderStatus(read: ReadForm): void {
    const texts = pageStatusTexts(doc);
    const context = statusContext(read);
    const sig = JSON.stringify([texts, context]);
    if (sig === statusSig) return;
    statusSig = sig;
    if (texts.length === 0) {
      explained = [];
      statusBox.setAttribute('data-outcome', 'none');
      fill(
        statusBox,
        panel.el(
          'p',
          { class: 'muted' },
          'The page shows no error or status message. After Save or Fetch a sample mail, its result is explained here.',
        ),
      );
      return;
    }
    fill(statusBox, panel.el('p', { class: 'muted' }, "Reading the page's message…"));
    void Promise.all(
      texts.map((text) =>
        ask(explainPageStatus, { text: text.slice(0, 1000), ...context }).then(
          (answer): ExplainedStatus => ({
            text,
            outcome: answer.ok ? answer.data : { kind: 'error', error: answer.error },
          }),
        ),
      ),
    ).then((results) => {
      if (statusSig !== sig) return; // the page changed meanwhile: the newer reading renders
      explained = results;
      const problem = results.find((r) => r.outcome.kind === 'problem');
      statusBox.setAttribute(
        'data-outcome',
        problem && problem.outcome.kind === 'problem' ? problem.outcome.explanation.id : 'ok',
      );
      fill(statusBox, ...results.map((r) => statusView(r)));
      renderCount();
      changed();
    });
  }

  function statusView({ text, outcome }: ExplainedStatus): HTMLElement {
    const quote = panel.el('p', null, 'The page says: ', panel.el('q', { 'data-assist': 'page-status-text' }, text));
    if (outcome.kind === 'error') return panel.el('div', null, quote, panel.el('p', { class: 'error' }, outcome.error));
    if (outcome.kind === 'ok')
      return panel.el(
        'div',
        null,
        quote,
        panel.el('p', { class: 'ok' }, 'That is a success message: nothing to fix there.'),
      );
    const e = outcome.explanation;
    return panel.el(
      'div',
      { 'data-diagnosis': e.id },
      quote,
      panel.el('p', { class: 'error' }, panel.el('b', null, e.headline)),
      panel.el('p', null, e.cause),
      panel.el('ol', null, ...e.fix.map((f) => panel.el('li', null, f))),
    );
  }

  /** The same count the popup shows for this screen: this mail server, affected or not. */
  function renderCount(): void {
    const reported = assistant.mailboxes();
    const words =
      reported.length === 0
        ? "Enter the mailbox's email address: this mail server is then counted in the popup too."
        : `${affectedSentence(
            'supportcenter-plus',
            reported.filter((m) => m.state === 'needs-reauth').length,
            reported.length,
          )}.`;
    if (count.textContent !== words) count.textContent = words;
  }

  /** Email Debug, Fetch a sample mail and the fetch interval, from the seed, with this form's values. */
  function renderTips(read: ReadForm): void {
    const minutes = Number.parseInt(shownValue(read.controls.interval ?? null), 10);
    const debug = isChecked(read.controls.debug ?? null);
    const sig = `${minutes}|${debug}`;
    if (sig === tipsSig) return;
    tipsSig = sig;
    fill(
      tipsBox,
      panel.el(
        'li',
        { 'data-tip': 'email-debug' },
        SUPPORTCENTER_TIPS.emailDebug,
        debug === null ? '' : debug ? ' (Email Debug is on.)' : ' (Email Debug is off.)',
      ),
      panel.el('li', { 'data-tip': 'fetch-sample' }, SUPPORTCENTER_TIPS.fetchSample),
      panel.el('li', { 'data-tip': 'interval' }, SUPPORTCENTER_TIPS.interval(Number.isNaN(minutes) ? null : minutes)),
    );
  }

  function update(): void {
    const read = readMailServerForm(doc);
    current = read;
    const findings = checkMailSettings(read.form);
    findingsNow = findings;
    const problems: FieldProblem[] = findings.flatMap((f) => {
      const control = read.controls[f.field as MailSettingsField & Key];
      return control ? [{ key: f.field, control, rule: f.rule, problem: f.problem, fix: f.fix }] : [];
    });
    marks.sync(problems);
    const text =
      findings.length === 0
        ? 'No problem found in this form.'
        : `${findings.length} problem${findings.length === 1 ? '' : 's'} marked next to the fields.`;
    if (summary.textContent !== text) summary.textContent = text;
    panel.host.setAttribute('data-reauth-problems', String(findings.length));
    renderStatus(read);
    renderTips(read);
    renderCount();
    const anchor = read.controls.authType?.closest('form') ?? read.controls.authType?.closest('table');
    if (anchor) panel.place(anchor);
  }

  const assistant = {
    update,
    mailboxes(): MailboxReport[] {
      const read = current;
      const address = read ? mailboxOf(read.form) : null;
      if (!read || !address) return [];
      const failure = explained.find((r) => r.outcome.kind === 'problem' && isFailureText(r.text));
      const reason =
        failure && failure.outcome.kind === 'problem' ? failure.outcome.explanation.headline : findingsNow[0]?.problem;
      const provider = formProvider(read.form);
      return [
        {
          address,
          state: reason ? 'needs-reauth' : 'connected',
          primary: false,
          provider: provider ?? 'other',
          statusText: (failure?.text ?? '').slice(0, 500),
          ...(reason
            ? {
                reason: `${read.form.direction === 'outgoing' ? 'Outgoing' : 'Incoming'} mail server: ${reason}`.slice(
                  0,
                  300,
                ),
              }
            : {}),
        },
      ];
    },
    reveal(address) {
      if (!current || mailboxOf(current.form) !== address.trim().toLowerCase()) return false;
      panel.host.scrollIntoView({ block: 'start', behavior: 'smooth' });
      return true;
    },
    dispose() {
      marks.dispose();
      panel.dispose();
    },
  } satisfies PageAssistant;
  return assistant;
}
