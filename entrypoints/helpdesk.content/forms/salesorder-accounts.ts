/**
 * Salesorder, Setup > Configuration > Email > Mail Accounts: the Generic accounts on Microsoft 365 that the
 * seed says to delete before OAuth is configured, with its continuity step first: the list (account, sender
 * name, sender email, username) as a CSV download or copied, before anything is deleted.
 */
import { accountsCsv, accountsText, genericAccountsOnMicrosoft365, type AccountToReview, type MailAccountRow } from '../../../lib/mail-accounts-rules';
import type { AssistContext, PageAssistant } from '../detectors/types';
import { isOurs } from '../ours';
import { FieldMarks, fill, Panel, type FieldProblem } from './ui';

const COLUMNS: readonly [keyof Omit<MailAccountRow, 'servers'> | 'incoming' | 'outgoing', RegExp][] = [
  ['senderName', /^sender\s+name/i],
  ['senderEmail', /^sender\s+e-?mail/i],
  ['username', /^user\s*name/i],
  ['incoming', /^incoming/i],
  ['outgoing', /^outgoing/i],
  ['type', /^(?:account\s+)?type$/i],
  ['name', /^(?:account(?:\s+name)?|name)$/i],
];

const HEADER_CELL = 'th, [role="columnheader"]';
const CELL = 'td, th, [role="cell"], [role="gridcell"], [role="rowheader"], [role="columnheader"]';

function cellsOf(row: Element): Element[] {
  return [...row.children].filter((c) => c.matches(CELL));
}

function text(el: Element | undefined): string {
  if (!el) return '';
  let out = '';
  for (const node of el.childNodes) {
    if (node.nodeType === 3) out += (node as Text).data;
    else if (node.nodeType === 1 && !isOurs(node) && !(node as HTMLElement).hidden) out += text(node as Element);
  }
  return out.replace(/\s+/g, ' ').trim();
}

export interface ListedAccount {
  row: Element;
  typeCell: Element;
  account: MailAccountRow;
}

/** The mail account list: the table whose header names a Sender email column, read row by row. */
export function readAccountList(doc: Document): ListedAccount[] {
  const header = [...doc.querySelectorAll(HEADER_CELL)].find((c) => /^sender\s+e-?mail/i.test(text(c)))?.parentElement;
  if (!header) return [];
  const columns = new Map<string, number>();
  cellsOf(header).forEach((cell, index) => {
    const words = text(cell);
    const hit = COLUMNS.find(([key, re]) => !columns.has(key) && re.test(words));
    if (hit) columns.set(hit[0], index);
  });
  const table = header.closest('table, [role="table"], [role="grid"]') ?? header.parentElement;
  if (!table || !columns.has('senderEmail')) return [];
  const rows = [...table.querySelectorAll('tr, [role="row"]')].filter((r) => r !== header && r.closest('table, [role="table"], [role="grid"]') === table);
  return rows.flatMap((row) => {
    const cells = cellsOf(row);
    const at = (key: string) => (columns.has(key) ? text(cells[columns.get(key)!]) : '');
    if (!at('senderEmail')) return [];
    const server = (key: string) => at(key).replace(/^[—–-]$/, '');
    return [{
      row,
      typeCell: cells[columns.get('type') ?? 0] ?? row,
      account: {
        name: at('name'),
        type: at('type'),
        senderName: at('senderName'),
        senderEmail: at('senderEmail'),
        username: at('username'),
        servers: [server('incoming'), server('outgoing')].filter(Boolean),
      },
    }];
  });
}

const CSV_NAME = 'salesorder-generic-mail-accounts.csv';

export function salesorderAccountsAssistant({ doc }: AssistContext): PageAssistant {
  const marks = new FieldMarks(doc);
  const panel = new Panel(doc, 'mail-accounts', 'Reauth Assist: Generic mail accounts to replace');
  const intro = panel.el('p', { 'data-assist': 'accounts-summary', role: 'status' });
  const list = panel.el('div', { 'data-assist': 'accounts' });
  const download = panel.el('button', { type: 'button', 'data-assist': 'csv' }, 'Download the list (CSV)');
  const copy = panel.el('button', { type: 'button', 'data-assist': 'copy' }, 'Copy the list');
  const done = panel.el('span', { role: 'status', 'data-assist': 'export-status' });
  const actions = panel.el('div', { class: 'row' }, download, copy, done);
  panel.add(intro, list, actions);
  let listed: AccountToReview[] = [];
  let sig = '';

  download.addEventListener('click', () => {
    const blob = new Blob([accountsCsv(listed.map((l) => l.row))], { type: 'text/csv;charset=utf-8' });
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
    navigator.clipboard.writeText(accountsText(listed.map((l) => l.row))).then(
      () => fill(done, 'Copied: account, sender name, sender email, username, one account a line.'),
      () => fill(done, 'The browser refused the clipboard: use Download instead.'),
    );
  });

  function render(): void {
    const sure = listed.filter((l) => l.evidence === 'servers');
    const unsure = listed.filter((l) => l.evidence === 'unknown');
    fill(
      intro,
      listed.length === 0
        ? 'No Generic mail account on Microsoft 365 is listed here.'
        : `${sure.length} Generic account${sure.length === 1 ? '' : 's'} on Microsoft 365 must be deleted before you configure OAuth (Actions > New Microsoft 365 Account (Corporate)). First keep the list: download or copy it.`,
    );
    const table = (rows: AccountToReview[]) =>
      panel.el('table', null,
        panel.el('tr', null, ...['Account', 'Sender name', 'Sender email', 'Username'].map((c) => panel.el('th', null, c))),
        ...rows.map((l) => panel.el('tr', { 'data-account': l.row.senderEmail }, ...[l.row.name, l.row.senderName, l.row.senderEmail, l.row.username].map((v) => panel.el('td', null, v)))),
      );
    fill(
      list,
      sure.length ? table(sure) : null,
      unsure.length ? panel.el('p', { 'data-assist': 'unsure' },
        'This page does not say where the mail of these accounts is hosted (no server shown); only the domain\'s MX records tell (Microsoft 365: *.mail.protection.outlook.com). Check before deleting; they are in the list too:') : null,
      unsure.length ? table(unsure) : null,
    );
    actions.hidden = listed.length === 0;
  }

  return {
    update() {
      const accounts = readAccountList(doc);
      const rowsOf = new Map(accounts.map((a) => [a.account, a]));
      listed = genericAccountsOnMicrosoft365(accounts.map((a) => a.account));
      const next = JSON.stringify(listed);
      if (next !== sig) {
        sig = next;
        render();
      }
      const problems: FieldProblem[] = listed.map((l) => ({
        key: l.row.senderEmail,
        control: rowsOf.get(l.row)!.typeCell.lastElementChild ?? rowsOf.get(l.row)!.typeCell,
        rule: l.evidence === 'servers' ? 'generic-on-microsoft-365' : 'generic-host-unknown',
        problem: l.evidence === 'servers' ? 'Generic account on Microsoft 365 servers.' : 'Generic account; this page does not show where its mail is hosted.',
        fix: l.evidence === 'servers' ? 'Keep its details (the list above), then delete it before configuring OAuth.' : 'Check the domain\'s MX records; if Microsoft 365, treat it the same way.',
      }));
      marks.sync(problems);
      panel.host.setAttribute('data-reauth-accounts', String(listed.length));
      const anchor = accounts[0]?.row.closest('table, [role="table"], [role="grid"]') ?? doc.querySelector('main, [role="main"]');
      if (anchor) panel.place(anchor);
    },
    dispose() {
      marks.dispose();
      panel.dispose();
    },
  };
}
