/**
 * Salesorder, New Microsoft 365 Account (Corporate): Use OAuth ticked and the mailbox address as username
 * (marked next to the fields); the SMTP AUTH prerequisite checked for real by the Verify flow; the Test
 * Connection result explained; and the folder mapping suggested from the mailbox's IMAP folders (listed by
 * the companion: names and special-use flags only) and applied through the dropdowns' own change events.
 */
import {
  explainTestConnection,
  mailboxFolders,
  type FolderListView,
  type TestConnectionOutcome,
} from '../../../lib/assist-messages';
import { isEmailAddress } from '../../../lib/email';
import { FOLDER_ROLES, type FolderRole } from '../../../lib/mail-server';
import { checkCorporateAccount, type CorporateAccountForm } from '../../../lib/mail-accounts-rules';
import type { AssistContext, PageAssistant } from '../detectors/types';
import { isOurs } from '../ours';
import {
  chooseOption,
  findField,
  isChecked,
  namedControls,
  shownValue,
  type FieldSpec,
  type NamedControl,
} from './fields';
import type { MailboxReport } from '../../../lib/messages';
import { FieldMarks, fill, Panel, requestVerify, type FieldProblem } from './ui';

/** Each field by meaning: its words, or its name / id / placeholder. */
const FIELDS = {
  accountName: { kind: 'text', label: /^(?:account\s+name|name|description)$/i, hint: /\baccount name\b/ },
  senderName: { kind: 'text', label: /^(?:sender|from|display)\s+name$/i, hint: /\b(?:sender|from|display) name\b/ },
  senderEmail: {
    kind: 'text',
    label: /^(?:sender|from)\s*(?:e-?mail|address)(?:\s+address)?$/i,
    hint: /\b(?:sender|from) ?(?:e ?mail|address)\b/,
  },
  useOAuth: { kind: 'checkbox', label: /\boauth\b|\bmodern\s+auth/i, hint: /\boauth\b/ },
  username: {
    kind: 'text',
    label: /^(?:user\s*(?:name|id)?|login(?:\s*name)?)$/i,
    hint: /\buser ?name\b|\blogin\b/,
    not: /password/i,
  },
} as const satisfies Record<string, FieldSpec>;

/** The Corporate account form: Use OAuth beside a Sender email. */
export function isCorporateAccountForm(controls: readonly NamedControl[]): boolean {
  return findField(controls, FIELDS.useOAuth) !== null && findField(controls, FIELDS.senderEmail) !== null;
}

const ROLE_LABELS: Readonly<Record<FolderRole, RegExp>> = {
  inbox: /^inbox\b/i,
  sent: /^sent\b/i,
  drafts: /^drafts?\b/i,
  junk: /^(?:junk|spam)\b/i,
  trash: /^(?:deleted|trash|bin)\b/i,
  archive: /^archive\b/i,
};

const ROLE_WORDS: Readonly<Record<FolderRole, string>> = {
  inbox: 'Inbox',
  sent: 'Sent',
  drafts: 'Drafts',
  junk: 'Junk',
  trash: 'Deleted items',
  archive: 'Archive',
};

function folderDropdowns(controls: readonly NamedControl[]): Map<FolderRole, HTMLSelectElement> {
  const found = new Map<FolderRole, HTMLSelectElement>();
  for (const { label, control } of controls) {
    if (!(control instanceof HTMLSelectElement) || control.options.length < 2) continue;
    const role = FOLDER_ROLES.find((r) => ROLE_LABELS[r].test(label));
    if (role && !found.has(role)) found.set(role, control);
  }
  return found;
}

/** The Login link's OAuth client, for the admin-consent URL (the page's own app, not ours). */
function loginClient(doc: Document): { clientId?: string; redirectUri?: string } {
  for (const link of doc.querySelectorAll<HTMLAnchorElement>('a[href*="client_id="]')) {
    try {
      const url = new URL(link.href);
      const clientId = url.searchParams.get('client_id') ?? undefined;
      const redirectUri = url.searchParams.get('redirect_uri') ?? undefined;
      if (clientId) return { clientId, ...(redirectUri ? { redirectUri } : {}) };
    } catch {
      // not a URL: keep looking
    }
  }
  return {};
}

/** The Test Connection result: a live region near a "Test Connection" button, not ours. */
function testResultText(doc: Document): string {
  for (const el of doc.querySelectorAll('[role="status"], [aria-live]')) {
    if (isOurs(el) || el.getRootNode() !== doc) continue;
    const words = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (words && !/…|\.\.\.$/.test(words)) return words.slice(0, 1000);
  }
  return '';
}

export function salesorderAccountFormAssistant({ doc, ask, changed }: AssistContext): PageAssistant {
  const marks = new FieldMarks(doc);
  const panel = new Panel(doc, 'corporate-account', 'Reauth Assist: Microsoft 365 Account (Corporate)');
  const summary = panel.el('p', { 'data-assist': 'summary', role: 'status' });
  const smtpButton = panel.el('button', { type: 'button', 'data-assist': 'verify-smtp' }, 'Check SMTP AUTH (Verify)');
  const smtpResult = panel.el('p', { 'data-assist': 'verify-result', role: 'status' });
  const testBox = panel.el('div', { 'data-assist': 'test-connection' });
  const foldersButton = panel.el(
    'button',
    { type: 'button', 'data-assist': 'list-folders' },
    "List the mailbox's folders",
  );
  const applyButton = panel.el(
    'button',
    { type: 'button', 'data-assist': 'apply-mapping', hidden: '' },
    'Apply suggested mapping',
  );
  const foldersBox = panel.el('div', { 'data-assist': 'folders' });
  panel.add(
    summary,
    panel.el('h3', null, 'Before Login: SMTP AUTH must be on'),
    panel.el(
      'p',
      { class: 'muted' },
      'In the Exchange admin center, Settings > Mail flow > Mail flow settings, "Turn off SMTP AUTH protocol ' +
        'for your organization" must be unchecked. Verify signs in to the mailbox in Reauth Assist and tries ' +
        'SMTP AUTH for real: 535 5.7.139 means it is still turned off.',
    ),
    panel.el('div', { class: 'row' }, smtpButton),
    smtpResult,
    panel.el('h3', null, 'Test Connection'),
    testBox,
    panel.el('h3', null, 'Default Folder Mappings'),
    panel.el('div', { class: 'row' }, foldersButton, applyButton),
    foldersBox,
  );

  let form: CorporateAccountForm = { accountName: '', senderName: '', senderEmail: '', useOAuth: null, username: '' };
  let controls: NamedControl[] = [];
  let testSig = '';
  let folders: FolderListView | null = null;
  let findingsNow: ReturnType<typeof checkCorporateAccount> = [];
  let failedTest = '';

  const mailbox = () => form.senderEmail.trim().toLowerCase();

  smtpButton.addEventListener('click', () => {
    if (!isEmailAddress(mailbox())) {
      fill(
        smtpResult,
        panel.el('span', { class: 'error' }, 'Enter the Sender email first: Verify signs in to that mailbox.'),
      );
      return;
    }
    requestVerify(
      panel,
      smtpResult,
      ask,
      { helpdesk: 'salesorder', mailbox: mailbox(), provider: 'microsoft', purpose: 'smtp-auth' },
      'press Verify and read the SMTP step.',
    );
  });

  foldersButton.addEventListener('click', () => {
    fill(foldersBox, 'Asking the companion for the folders…');
    void ask(mailboxFolders, { mailbox: mailbox() }).then((answer) => {
      if (!answer.ok) {
        folders = null;
        applyButton.hidden = true;
        fill(foldersBox, panel.el('p', { class: 'error' }, answer.error));
        return;
      }
      folders = answer.data;
      applyButton.hidden = false;
      renderFolders();
    });
  });

  applyButton.addEventListener('click', () => {
    if (!folders) return;
    const dropdowns = folderDropdowns(controls);
    const applied: string[] = [];
    const missing: string[] = [];
    for (const [role, select] of dropdowns) {
      const suggestion = folders.mapping[role];
      if (!suggestion) continue;
      if (chooseOption(select, suggestion.path)) applied.push(`${ROLE_WORDS[role]} → ${suggestion.path}`);
      else missing.push(`${ROLE_WORDS[role]} (${suggestion.path} is not in the dropdown)`);
    }
    fill(
      foldersBox.querySelector('[data-assist="apply-status"]') ??
        foldersBox.appendChild(panel.el('p', { 'data-assist': 'apply-status', role: 'status' })),
      `Applied ${applied.length}: ` +
        `${applied.join(', ') || 'nothing'}.${missing.length ? ` Not applied: ${missing.join(', ')}.` : ''} ` +
        `Nothing is saved: press Save on the page.`,
    );
  });

  function renderFolders(): void {
    if (!folders) return;
    fill(
      foldersBox,
      panel.el(
        'table',
        null,
        panel.el(
          'tr',
          null,
          panel.el('th', null, 'Folder'),
          panel.el('th', null, 'Flag'),
          panel.el('th', null, 'Suggested for'),
        ),
        ...folders.folders.map((f) => {
          const role = FOLDER_ROLES.find((r) => folders!.mapping[r]?.path === f.path);
          return panel.el(
            'tr',
            { 'data-folder': f.path },
            panel.el('td', null, f.path),
            panel.el('td', null, f.specialUse ?? ''),
            panel.el('td', null, role ? ROLE_WORDS[role] : ''),
          );
        }),
      ),
    );
  }

  function renderTest(): void {
    const words = testResultText(doc);
    const sig = `${words}|${mailbox()}`;
    if (sig === testSig) return;
    testSig = sig;
    if (!words) {
      fill(
        testBox,
        panel.el(
          'p',
          { class: 'muted' },
          'After Login and consent, press Test Connection: its result is explained here.',
        ),
      );
      testBox.setAttribute('data-outcome', 'none');
      return;
    }
    fill(testBox, panel.el('p', { class: 'muted' }, 'Reading the result…'));
    const about = isEmailAddress(mailbox()) ? { mailbox: mailbox() } : {};
    void ask(explainTestConnection, { text: words, ...about, ...loginClient(doc) }).then((answer) => {
      if (testSig !== sig) return; // the result changed meanwhile: the newer answer renders
      if (!answer.ok) {
        fill(testBox, panel.el('p', { class: 'error' }, answer.error));
        return;
      }
      showOutcome(answer.data);
    });
  }

  function showOutcome(outcome: TestConnectionOutcome): void {
    testBox.setAttribute('data-outcome', outcome.kind === 'failed' ? outcome.explanation.id : outcome.kind);
    failedTest =
      outcome.kind === 'failed'
        ? outcome.explanation.headline
        : outcome.kind === 'admin-consent'
          ? outcome.headline
          : '';
    changed();
    if (outcome.kind === 'ok') {
      fill(testBox, panel.el('p', { class: 'ok' }, outcome.headline));
    } else if (outcome.kind === 'admin-consent') {
      fill(
        testBox,
        panel.el('p', { class: 'error' }, outcome.headline),
        panel.el('p', null, outcome.cause),
        panel.el('ol', null, ...outcome.fix.map((s) => panel.el('li', null, s))),
        outcome.adminConsentUrl
          ? panel.el(
              'p',
              null,
              'Admin-consent link: ',
              panel.el(
                'a',
                { href: outcome.adminConsentUrl, target: '_blank', rel: 'noopener', 'data-assist': 'admin-consent' },
                outcome.adminConsentUrl,
              ),
            )
          : panel.el(
              'p',
              { class: 'muted' },
              'Entra admin center > Enterprise applications > Salesorder > Permissions > Grant admin consent.',
            ),
      );
    } else {
      const e = outcome.explanation;
      fill(
        testBox,
        panel.el('p', { class: 'error' }, e.headline),
        panel.el('p', null, e.cause),
        panel.el('ol', null, ...e.fix.map((s) => panel.el('li', null, s))),
      );
    }
  }

  return {
    update() {
      controls = namedControls(doc);
      const get = (spec: FieldSpec) => findField(controls, spec);
      form = {
        accountName: shownValue(get(FIELDS.accountName)),
        senderName: shownValue(get(FIELDS.senderName)),
        senderEmail: shownValue(get(FIELDS.senderEmail)),
        useOAuth: isChecked(get(FIELDS.useOAuth)),
        username: shownValue(get(FIELDS.username)),
      };
      const findings = checkCorporateAccount(form);
      findingsNow = findings;
      const problems: FieldProblem[] = findings.flatMap((f) => {
        const control = get(FIELDS[f.field]);
        // A checkbox's mark goes after its caption, not between the box and its words.
        const at = control && f.field === 'useOAuth' ? (control.parentElement ?? control) : control;
        return at ? [{ key: f.field, control: at, rule: f.rule, problem: f.problem, fix: f.fix }] : [];
      });
      marks.sync(problems);
      const text =
        findings.length === 0
          ? 'Use OAuth is ticked and the username is the mailbox address.'
          : `${findings.length} problem${findings.length === 1 ? '' : 's'} marked next to the fields.`;
      if (summary.textContent !== text) summary.textContent = text;
      panel.host.setAttribute('data-reauth-problems', String(findings.length));
      renderTest();
      const anchor = get(FIELDS.senderEmail)?.closest('section, form, [role="form"]');
      if (anchor) panel.place(anchor);
    },
    /** The mail account this form is about, in Salesorder's words, with what still stops it. */
    mailboxes(): MailboxReport[] {
      const address = mailbox();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) return [];
      const reason = failedTest || findingsNow[0]?.problem;
      return [
        {
          address,
          state: reason ? 'needs-reauth' : 'connected',
          primary: false,
          provider: 'microsoft',
          statusText: failedTest ? testResultText(doc).slice(0, 500) : '',
          ...(reason ? { reason: `Microsoft 365 Account (Corporate): ${reason}`.slice(0, 300) } : {}),
        },
      ];
    },
    dispose() {
      marks.dispose();
      panel.dispose();
    },
  };
}
