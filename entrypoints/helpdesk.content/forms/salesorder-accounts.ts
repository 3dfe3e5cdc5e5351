/**
 * Salesorder, Setup > Configuration > Email > Mail Accounts, in Salesorder's own terms: which Generic
 * accounts are on Microsoft 365 and must be deleted before OAuth (servers shown on the page, else the
 * domain's MX records through the companion), which are unsure (with the command to check), and which show a
 * failure in the list's own status column (explained through the diagnosis catalogue, with Salesorder's
 * steps). The continuity list first (CSV or clipboard), and Salesorder's offer to make the change.
 */
import { SALESORDER_SUPPORT_OFFER, salesorderSupportMailto } from '../../../lib/advice';
import { affectedSentence } from '../../../lib/helpdesk-words';
import { explainPageStatus, mailHosting } from '../../../lib/assist-messages';
import { MAX_HOSTING_DOMAINS, type DomainHosting } from '../../../lib/mail-hosting-schemas';
import {
  accountsCsv,
  accountsText,
  accountVerdict,
  domainsToLookUp,
  isGenericAccount,
  type AccountVerdict,
  type DomainHostingKnown,
  type MailAccountRow,
} from '../../../lib/mail-accounts-rules';
import { domainOf } from '../../../lib/mail-hosting';
import type { MailboxReport } from '../../../lib/messages';
import type { PageStatusOutcome } from '../../../lib/page-status';
import { isFailureText } from '../../../lib/status-words';
import type { AssistContext, PageAssistant } from '../detectors/types';
import { isOurs } from '../ours';
import { FieldMarks, fill, Panel, type FieldProblem } from './ui';

type Column = keyof Omit<MailAccountRow, 'servers'> | 'incoming' | 'outgoing' | 'status';

/** Column headers by meaning; the first header a column matches names it. */
const COLUMNS: readonly [Column, RegExp][] = [
  ['senderName', /^(?:sender|from)\s+name|^display\s+name/i],
  ['senderEmail', /^(?:sender|from)\s*(?:e-?mail|address)|^e-?mail(?:\s+address)?$|^(?:mailbox|address)$/i],
  ['username', /^(?:user\s*(?:name|id)?|login)$/i],
  ['incoming', /^incoming|^imap|^pop/i],
  ['outgoing', /^outgoing|^smtp/i],
  ['status', /^(?:status|state|connection(?:\s+status)?|last\s+(?:check|sync|error|result)|health)$/i],
  ['type', /^(?:account\s+)?type$|^kind$|^provider$/i],
  ['name', /^(?:account(?:\s+name)?|name|description)$/i],
];

const ROW = 'tr, [role="row"]';
const TABLE = 'table, [role="table"], [role="grid"], [role="treegrid"]';
const CELL = 'td, th, [role="cell"], [role="gridcell"], [role="rowheader"], [role="columnheader"]';
const HEADER_CELL = 'th, [role="columnheader"]';
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A row's cells; a row whose children carry no cell role or tag (a div grid) has its children as cells. */
function cellsOf(row: Element): Element[] {
  const children = [...row.children].filter((c) => !isOurs(c));
  const cells = children.filter((c) => c.matches(CELL));
  return cells.length > 0 ? cells : children;
}

/** Header rows: rows holding header cells, and each table's first row (a div grid may mark no header). */
function headerRows(doc: Document): Element[] {
  const rows = new Set<Element>();
  for (const cell of doc.querySelectorAll(HEADER_CELL)) {
    const row = cell.closest(ROW);
    if (row) rows.add(row);
  }
  for (const table of doc.querySelectorAll(TABLE)) {
    const first = table.querySelector(ROW);
    if (first) rows.add(first);
  }
  return [...rows].filter((r) => !isOurs(r) && r.getRootNode() === doc);
}

function text(el: Element | undefined): string {
  if (!el) return '';
  let out = '';
  for (const node of el.childNodes) {
    if (node.nodeType === 3) out += (node as Text).data;
    else if (node.nodeType === 1 && !isOurs(node) && !(node as HTMLElement).hidden) out += ` ${text(node as Element)} `;
  }
  return out.replace(/\s+/g, ' ').trim();
}

export interface ListedAccount {
  row: Element;
  /** Where the row's mark goes: its type cell, else its sender email cell. */
  markCell: Element;
  account: MailAccountRow;
  /** The list's own status words for this account ('' when it shows none). */
  status: string;
}

/** The mail account table: the one whose header row names columns and whose rows hold an email address each. */
function accountTable(doc: Document): { header: Element; columns: Map<Column, number>; table: Element } | null {
  for (const header of headerRows(doc)) {
    const table = header.closest(TABLE);
    if (!table) continue;
    const columns = new Map<Column, number>();
    cellsOf(header).forEach((cell, index) => {
      const words = text(cell);
      const hit = COLUMNS.find(([key, re]) => !columns.has(key) && re.test(words));
      if (hit) columns.set(hit[0], index);
    });
    if (!columns.has('senderEmail')) {
      // No header says so: the column whose cells are email addresses.
      const rows = [...table.querySelectorAll(ROW)].filter((r) => r !== header).slice(0, 20);
      const counts = cellsOf(header).map((_, i) => rows.filter((r) => ADDRESS.test(text(cellsOf(r)[i]))).length);
      const best = counts.indexOf(Math.max(0, ...counts));
      if (best >= 0 && (counts[best] ?? 0) > 0) columns.set('senderEmail', best);
    }
    if (columns.has('senderEmail') && (columns.has('type') || columns.has('username') || columns.has('senderName')))
      return { header, columns, table };
  }
  return null;
}

/** The mail account list, read row by row. */
export function readAccountList(doc: Document): ListedAccount[] {
  const found = accountTable(doc);
  if (!found) return [];
  const { header, columns, table } = found;
  const rows = [...table.querySelectorAll(ROW)].filter((r) => r !== header && r.closest(TABLE) === table);
  return rows.flatMap((row) => {
    const cells = cellsOf(row);
    const at = (key: Column) => (columns.has(key) ? text(cells[columns.get(key)!]) : '');
    const senderEmail = (at('senderEmail').match(/[^\s@]+@[^\s@]+\.[^\s@]+/)?.[0] ?? '').toLowerCase();
    if (!senderEmail) return [];
    const server = (key: Column) => at(key).replace(/^[—–-]$/, '');
    // Without a Type column, the row's own words say Generic or Corporate.
    const type = columns.has('type')
      ? at('type')
      : /\bgeneric\b/i.test(text(row))
        ? 'Generic'
        : /microsoft\s*365|corporate|oauth/i.test(text(row))
          ? 'Microsoft 365 (Corporate)'
          : '';
    return [
      {
        row,
        markCell: cells[columns.get('type') ?? columns.get('senderEmail')!] ?? row,
        status: at('status'),
        account: {
          name: at('name'),
          type,
          senderName: at('senderName'),
          senderEmail,
          username: at('username'),
          servers: [server('incoming'), server('outgoing')].filter(Boolean),
        },
      },
    ];
  });
}

const CSV_NAME = 'salesorder-generic-mail-accounts.csv';

interface Judged {
  listed: ListedAccount;
  verdict: AccountVerdict;
  /** The list's status words, when they are a failure. */
  failure: string;
}

type Hosting = { state: 'pending' } | { state: 'done'; result: DomainHosting } | { state: 'failed'; error: string };

/** Salesorder's own steps for a row whose status is a failure. */
function failureSteps(j: Judged): string[] {
  if (j.verdict.kind === 'delete') {
    return [
      'This Generic account can no longer sign in to Microsoft 365: keep its details (the list above), delete ' +
        'it, then Actions > New Microsoft 365 Account (Corporate) with Use OAuth ticked.',
    ];
  }
  if (!isGenericAccount(j.listed.account)) {
    return [
      `Edit the Microsoft 365 Account (Corporate) for ${j.listed.account.senderEmail}, press the blue Login ` +
        `button and sign in as ${j.listed.account.senderEmail}, accept the permissions (Yes).`,
      "Press Test Connection: its result is explained on the account's page.",
      'If the permissions request needs your Microsoft 365 administrator, ask them to accept it for the ' +
        'organisation, then start again.',
    ];
  }
  return [
    `Edit this Generic account and check its username, password and servers with whoever runs the ` +
      `${domainOf(j.listed.account.senderEmail)} mail server.`,
  ];
}

export function salesorderAccountsAssistant({ doc, ask, changed }: AssistContext): PageAssistant {
  const marks = new FieldMarks(doc);
  const panel = new Panel(doc, 'mail-accounts', 'Reauth Assist: mail accounts');
  const intro = panel.el('p', { 'data-assist': 'accounts-summary', role: 'status' });
  const list = panel.el('div', { 'data-assist': 'accounts' });
  const failures = panel.el('div', { 'data-assist': 'failures' });
  const download = panel.el('button', { type: 'button', 'data-assist': 'csv' }, 'Download the list (CSV)');
  const copy = panel.el('button', { type: 'button', 'data-assist': 'copy' }, 'Copy the list');
  const done = panel.el('span', { role: 'status', 'data-assist': 'export-status' });
  const actions = panel.el('div', { class: 'row' }, download, copy, done);
  const support = panel.el('p', { 'data-assist': 'salesorder-support' });
  panel.add(intro, list, actions, failures, support);

  let accounts: ListedAccount[] = [];
  let judged: Judged[] = [];
  const hosting = new Map<string, Hosting>();
  let hostingNote = '';
  const explained = new Map<string, PageStatusOutcome | { kind: 'error'; error: string }>();
  let sig = '';

  const toDelete = () => judged.filter((j) => j.verdict.kind === 'delete');
  const unsure = () => judged.filter((j) => j.verdict.kind === 'unsure');
  const exported = () => [...toDelete(), ...unsure()].map((j) => j.listed.account);

  download.addEventListener('click', () => {
    const blob = new Blob([accountsCsv(exported())], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = panel.el('a', { href: url, download: CSV_NAME, hidden: '' });
    panel.root.append(link);
    link.click();
    link.remove();
    // Revoked after the download has started reading it.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    fill(done, `Downloaded ${CSV_NAME}. Keep it until the new accounts work.`);
  });
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(accountsText(exported())).then(
      () => fill(done, 'Copied: account, sender name, sender email, username, one account a line.'),
      () => fill(done, 'The browser refused the clipboard: use Download instead.'),
    );
  });

  function hostingOf(domain: string): DomainHostingKnown | undefined {
    const h = hosting.get(domain);
    if (!h || h.state === 'pending') return undefined;
    return h.state === 'done' ? h.result.hosting : 'unknown';
  }

  /** Asks the companion (through the worker) for the MX of domains not asked yet; re-renders on the answer. */
  function lookUp(domains: string[]): void {
    const fresh = domains.filter((d) => !hosting.has(d));
    if (fresh.length === 0) return;
    for (const d of fresh) hosting.set(d, { state: 'pending' });
    void ask(mailHosting, { domains: fresh.slice(0, MAX_HOSTING_DOMAINS) }).then((answer) => {
      if (answer.ok) {
        for (const result of answer.data.results) hosting.set(result.domain, { state: 'done', result });
        hostingNote = '';
      } else {
        for (const d of fresh) hosting.set(d, { state: 'failed', error: answer.error });
        hostingNote = answer.error;
      }
      for (const d of fresh)
        if (hosting.get(d)?.state === 'pending')
          hosting.set(d, { state: 'failed', error: 'No answer for this domain.' });
      update();
      changed();
    });
  }

  function explainFailures(): void {
    for (const j of judged) {
      if (!j.failure || explained.has(j.failure)) continue;
      explained.set(j.failure, { kind: 'error', error: 'Reading the status…' });
      const failure = j.failure;
      const about = { mailbox: j.listed.account.senderEmail, provider: 'microsoft' as const };
      void ask(explainPageStatus, { text: failure.slice(0, 1000), ...about }).then((answer) => {
        explained.set(failure, answer.ok ? answer.data : { kind: 'error', error: answer.error });
        sig = '';
        update();
        changed();
      });
    }
  }

  function table(rows: Judged[], extra?: (j: Judged) => string) {
    return panel.el(
      'table',
      null,
      panel.el(
        'tr',
        null,
        ...['Account', 'Sender name', 'Sender email', 'Username', ...(extra ? ['Check with'] : [])].map((c) =>
          panel.el('th', null, c),
        ),
      ),
      ...rows.map((j) => {
        const a = j.listed.account;
        return panel.el(
          'tr',
          { 'data-account': a.senderEmail },
          ...[a.name, a.senderName, a.senderEmail, a.username].map((v) => panel.el('td', null, v)),
          ...(extra ? [panel.el('td', null, panel.el('code', { 'data-assist': 'mx-command' }, extra(j)))] : []),
        );
      }),
    );
  }

  function render(): void {
    const del = toDelete();
    const maybe = unsure();
    const failing = judged.filter((j) => j.failure);
    const affected = judged.filter((j) => j.verdict.kind !== 'keep' || j.failure).length;
    fill(
      intro,
      panel.el('b', null, `${affectedSentence('salesorder', affected, judged.length)}.`),
      ' ',
      del.length > 0
        ? `${del.length} Generic account${del.length === 1 ? '' : 's'} on Microsoft 365 must be deleted before ` +
            `you configure OAuth (Actions > New Microsoft 365 Account (Corporate)). First keep the list: download ` +
            `or copy it.`
        : 'No Generic account here is on Microsoft 365.',
      maybe.length > 0
        ? ` ${maybe.length} unsure: where ${maybe.length === 1 ? 'its' : 'their'} mail is hosted is not known.`
        : '',
      failing.length > 0 ? ` ${failing.length} show${failing.length === 1 ? 's' : ''} a failure in the list.` : '',
    );
    fill(
      list,
      del.length
        ? panel.el('p', { class: 'label' }, `Must be deleted (Generic on Microsoft 365): ${del.length}`)
        : null,
      del.length ? panel.el('div', { 'data-assist': 'delete' }, table(del)) : null,
      maybe.length
        ? panel.el(
            'p',
            { 'data-assist': 'unsure' },
            `Unsure: ${maybe.length}. ${hostingNote || 'The MX lookup did not answer for these domains.'} Only ` +
              `the domain's MX records tell where its mail is hosted ` +
              '(Microsoft 365: *.mail.protection.outlook.com). Run the command shown; if it names ' +
              'mail.protection.outlook.com, delete the account too. They are in the list you download or copy.',
          )
        : null,
      maybe.length
        ? panel.el(
            'div',
            { 'data-assist': 'unsure-accounts' },
            table(maybe, (j) => (j.verdict.kind === 'unsure' ? j.verdict.command : '')),
          )
        : null,
    );
    fill(
      failures,
      ...failing.map((j) => {
        const outcome = explained.get(j.failure);
        const a = j.listed.account;
        return panel.el(
          'div',
          {
            'data-failure': a.senderEmail,
            'data-outcome': outcome?.kind === 'problem' ? outcome.explanation.id : (outcome?.kind ?? 'pending'),
          },
          panel.el(
            'p',
            null,
            panel.el('b', null, `${a.name || a.senderEmail}: `),
            'the list says ',
            panel.el('q', null, j.failure),
          ),
          outcome?.kind === 'problem' ? panel.el('p', { class: 'error' }, outcome.explanation.headline) : null,
          outcome?.kind === 'problem' ? panel.el('p', null, outcome.explanation.cause) : null,
          outcome?.kind === 'error' ? panel.el('p', { class: 'muted' }, outcome.error) : null,
          panel.el('ol', { 'data-assist': 'salesorder-steps' }, ...failureSteps(j).map((s) => panel.el('li', null, s))),
        );
      }),
    );
    actions.hidden = del.length + maybe.length === 0;
    fill(
      support,
      SALESORDER_SUPPORT_OFFER,
      ' ',
      panel.el(
        'a',
        { href: salesorderSupportMailto(accountsText(exported())), 'data-assist': 'mail-support' },
        'Write to Salesorder support',
      ),
    );
    panel.host.setAttribute('data-reauth-accounts', String(del.length));
    panel.host.setAttribute('data-reauth-unsure', String(maybe.length));
    panel.host.setAttribute('data-reauth-affected', String(affected));
    panel.host.setAttribute('data-reauth-total', String(judged.length));
  }

  function markFor(j: Judged): FieldProblem | null {
    const control = j.listed.markCell;
    const key = j.listed.account.senderEmail;
    if (j.verdict.kind === 'delete') {
      return {
        key,
        control,
        rule: 'generic-on-microsoft-365',
        title: 'Delete before OAuth',
        problem:
          'Generic account on Microsoft 365 (' +
          (j.verdict.because === 'servers'
            ? "its servers are Microsoft's"
            : j.verdict.because === 'mx'
              ? "its domain's MX records are Microsoft 365's"
              : 'a Microsoft mail domain') +
          ').',
        fix: 'Keep its details (the list under the table), then delete it before configuring OAuth.',
      };
    }
    if (j.verdict.kind === 'unsure') {
      return {
        key,
        control,
        rule: 'generic-host-unknown',
        title: 'Check where its mail is hosted',
        problem: 'Generic account; where its mail is hosted is not known.',
        fix:
          `Run ${j.verdict.command}: if it names mail.protection.outlook.com, treat it the same way (keep ` +
          `its details, delete it).`,
      };
    }
    if (j.failure) {
      return {
        key,
        control,
        rule: 'status-failure',
        title: 'Sign-in fails',
        problem: `The list says "${j.failure}".`,
        fix: failureSteps(j)[0]!,
      };
    }
    return null;
  }

  function update(): void {
    accounts = readAccountList(doc);
    lookUp(domainsToLookUp(accounts.map((a) => a.account)));
    judged = accounts.map((listed) => ({
      listed,
      verdict: accountVerdict(listed.account, hostingOf),
      failure: listed.status && isFailureText(listed.status) ? listed.status : '',
    }));
    explainFailures();
    const next = JSON.stringify([judged.map((j) => [j.listed.account, j.verdict, j.failure]), hostingNote]);
    if (next !== sig) {
      sig = next;
      render();
    }
    marks.sync(judged.flatMap((j) => markFor(j) ?? []));
    const anchor = accounts[0]?.row.closest(TABLE) ?? doc.querySelector('main, [role="main"]');
    if (anchor) panel.place(anchor);
  }

  return {
    update,
    mailboxes(): MailboxReport[] {
      const seen = new Set<string>();
      return judged.flatMap((j): MailboxReport[] => {
        const a = j.listed.account;
        if (seen.has(a.senderEmail)) return [];
        seen.add(a.senderEmail);
        const outcome = j.failure ? explained.get(j.failure) : undefined;
        const reason =
          j.verdict.kind === 'delete'
            ? 'Generic account on Microsoft 365: keep its details, delete it, add it as Microsoft 365 Account ' +
              '(Corporate) with OAuth.'
            : j.verdict.kind === 'unsure'
              ? `Generic account, hosting unknown: check with ${j.verdict.command}.`
              : j.failure
                ? `Mail account sign-in fails${outcome?.kind === 'problem' ? `: ${outcome.explanation.headline}` : ''}.`
                : undefined;
        return [
          {
            address: a.senderEmail,
            state: reason ? 'needs-reauth' : 'connected',
            primary: false,
            provider:
              j.verdict.kind === 'delete'
                ? 'microsoft'
                : j.verdict.kind === 'keep' && j.verdict.hosting === 'google'
                  ? 'google'
                  : 'other',
            statusText: j.failure.slice(0, 500),
            ...(reason ? { reason: reason.slice(0, 300) } : {}),
          },
        ];
      });
    },
    reveal(address) {
      const row = accounts.find((a) => a.account.senderEmail === address.trim().toLowerCase())?.row;
      if (!row) return false;
      row.scrollIntoView({ block: 'center', behavior: 'smooth' });
      return true;
    },
    dispose() {
      marks.dispose();
      panel.dispose();
    },
  };
}
