/**
 * The banner summary: "2 of 5 support emails need reauthorization: billing@..., sales@... · 3 connected",
 * each address a link to its row. Lives in our shadow root inside the helpdesk's banner.
 */
import {
  BANNER_STILL_SHOWING,
  CUSTOM_SERVER_PORTS,
  FRESHDESK_IP_ADDRESSES,
  ipListText,
  KEEPS_DROPPING,
  RETRY_POLICY_TEXT,
} from '../../lib/advice';
import { h, shadowHost } from './dom';

export const SUMMARY_TAG = 'reauth-assist-summary';

export interface SummaryContent {
  broken: readonly string[];
  connected: number;
  /** Where the admin sees the mailbox list, when this page shows none. */
  settingsUrl: string;
}

const CSS =
  `
:host { all: initial; display: block; margin: 4px 0 0; ` +
  `font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #3b1d00; }
p { margin: 0; padding: 4px 8px; background: #fff4e6; border: 1px solid #e8590c; border-radius: 6px; }
a { color: #a33a00; font-weight: 600; }
.brand { font-weight: 600; }
.help { margin: 4px 0 0; padding: 4px 8px; background: #fffaf3; border: 1px solid #f0b37e; border-radius: 6px; }
.help > div, .still > div { margin: 4px 0; }
.still { margin: 4px 0 0; padding: 4px 8px; background: #fff4e6; border: 1px solid #e8590c; border-radius: 6px; }
summary { cursor: pointer; font-weight: 600; color: #a33a00; }
ul, ol { margin: 4px 0 4px 1.2em; padding: 0; }
code.ips { display: block; white-space: pre-wrap; background: #fff; border: 1px solid #f0b37e; ` +
  `padding: 2px 6px; margin: 4px 0; user-select: all; }
button { font: inherit; cursor: pointer; }
`;

/** Addresses named in the banner; a long list ends with "and N more" (the marks carry the rest). */
const MAX_LISTED = 20;

function head(broken: number, total: number): string {
  return (
    `${broken} of ${total} support email${total === 1 ? '' : 's'} ${broken === 1 ? 'needs' : 'need'} ` +
    `reauthorization`
  );
}

function listed(broken: readonly string[]): { shown: readonly string[]; more: number } {
  return { shown: broken.slice(0, MAX_LISTED), more: Math.max(0, broken.length - MAX_LISTED) };
}

/** The summary as plain text (also set on the host as data-reauth-summary, for tests and integrators). */
export function summaryText(content: SummaryContent): string {
  const { broken, connected } = content;
  const total = broken.length + connected;
  if (total === 0) return 'Open Admin > Channels > Email to see which support email needs reauthorization.';
  if (broken.length === 0)
    return `None of the ${total} support emails on this page needs reauthorization · ${connected} connected`;
  const { shown, more } = listed(broken);
  return (
    `${head(broken.length, total)}: ${shown.join(', ')}` + `${more ? ` and ${more} more` : ''} · ${connected} connected`
  );
}

export function createSummary(doc: Document, onReveal: (address: string) => void): HTMLElement {
  const { host, root } = shadowHost(doc, SUMMARY_TAG, 'summary', CSS);
  root.addEventListener('click', (event) => {
    const copy = (event.target as Element | null)?.closest?.('button[data-assist="copy-ips"]');
    if (copy) {
      copyIps(root);
      return;
    }
    const link = (event.target as Element | null)?.closest?.('a[data-address]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    onReveal(link.getAttribute('data-address')!);
  });
  return host;
}

export function renderSummary(host: HTMLElement, content: SummaryContent): void {
  const doc = host.ownerDocument;
  const root = host.shadowRoot!;
  const { broken, connected } = content;
  const total = broken.length + connected;
  const parts: (Node | string)[] = [h(doc, 'span', { class: 'brand' }, 'Reauth Assist: ')];
  if (total === 0) {
    parts.push(
      'Open ',
      h(doc, 'a', { href: content.settingsUrl }, 'Admin > Channels > Email'),
      ' to see which support email needs reauthorization.',
    );
  } else if (broken.length === 0) {
    parts.push(summaryText(content));
  } else {
    const { shown, more } = listed(broken);
    parts.push(`${head(broken.length, total)}: `);
    shown.forEach((address, i) => {
      if (i > 0) parts.push(', ');
      parts.push(h(doc, 'a', { href: '#', 'data-address': address }, address));
    });
    parts.push(`${more ? ` and ${more} more` : ''} · ${connected} connected`);
  }
  host.setAttribute('data-reauth-summary', summaryText(content));
  const helpOpen = root.querySelector('details[data-assist="more-help"]')?.hasAttribute('open') ?? false;
  while (root.childNodes.length > 1) root.lastChild!.remove();
  root.append(h(doc, 'p', { role: 'status' }, ...parts));
  // The banner stays although every support email here is connected: the article's checks, in front.
  if (total > 0 && broken.length === 0) {
    root.append(
      h(
        doc,
        'div',
        { class: 'still', 'data-assist': 'banner-still-showing' },
        h(doc, 'div', null, h(doc, 'b', null, `${BANNER_STILL_SHOWING.title}:`)),
        h(doc, 'ol', null, ...BANNER_STILL_SHOWING.steps.map((step) => h(doc, 'li', null, step))),
      ),
    );
  }
  const help = moreHelp(doc);
  if (helpOpen) help.setAttribute('open', '');
  root.append(help);
}

/** The article's advice beyond one mailbox: dropping connections (IPs to allowlist), retries, ports. */
function moreHelp(doc: Document): HTMLElement {
  return h(
    doc,
    'details',
    { class: 'help', 'data-assist': 'more-help' },
    h(doc, 'summary', null, 'More help: connection drops, retries, ports'),
    h(doc, 'div', null, h(doc, 'b', null, `${KEEPS_DROPPING.title}. `), KEEPS_DROPPING.text),
    h(doc, 'code', { class: 'ips', 'data-assist': 'ip-list' }, FRESHDESK_IP_ADDRESSES.join(', ')),
    h(
      doc,
      'div',
      null,
      h(
        doc,
        'button',
        { type: 'button', 'data-assist': 'copy-ips' },
        `Copy the ${FRESHDESK_IP_ADDRESSES.length} IP addresses`,
      ),
      ' ',
      h(doc, 'span', { role: 'status', 'data-assist': 'copy-ips-status' }),
    ),
    h(doc, 'div', { 'data-assist': 'retry-policy' }, h(doc, 'b', null, 'Automatic retries. '), RETRY_POLICY_TEXT),
    h(doc, 'div', null, h(doc, 'b', null, `${CUSTOM_SERVER_PORTS.title}. `)),
    h(doc, 'ul', { 'data-assist': 'ports' }, ...CUSTOM_SERVER_PORTS.lines.map((line) => h(doc, 'li', null, line))),
  );
}

/**
 * One click puts the addresses on the clipboard, one a line; if the browser refuses, they are selected to copy by
 * hand.
 */
function copyIps(root: ShadowRoot): void {
  const status = root.querySelector('[data-assist="copy-ips-status"]');
  const say = (words: string): void => {
    if (status) status.textContent = words;
  };
  navigator.clipboard.writeText(ipListText()).then(
    () => say(`Copied ${FRESHDESK_IP_ADDRESSES.length} addresses, one a line.`),
    () => {
      const list = root.querySelector('[data-assist="ip-list"]');
      const selection =
        (root as ShadowRoot & { getSelection?: () => Selection | null }).getSelection?.() ??
        root.ownerDocument.getSelection();
      if (list && selection) selection.selectAllChildren(list);
      say('The browser refused the clipboard: the addresses are selected, press Ctrl+C (Cmd+C).');
    },
  );
}
