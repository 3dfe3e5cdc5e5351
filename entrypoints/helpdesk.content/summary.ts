/**
 * The banner summary: "2 of 5 support emails need reauthorization: billing@..., sales@... · 3 connected",
 * each address a link to its row. Lives in our shadow root inside the helpdesk's banner.
 */
import type { BannerHelp } from '../../lib/banner-help';
import { h, shadowHost } from './dom';
import { helpSource, NOT_RUNNING } from './help-source';
import { SHADOW_BASE_CSS } from './shadow-theme';
import summaryCss from './styles/summary.css?inline';

export const SUMMARY_TAG = 'reauth-assist-summary';

export interface SummaryContent {
  broken: readonly string[];
  connected: number;
  /** Where the admin sees the mailbox list, when this page shows none. */
  settingsUrl: string;
}

const CSS = SHADOW_BASE_CSS + summaryCss;

/** The worker's words, asked once per page (the banner re-renders often). */
let helpAnswer: Promise<BannerHelp | string> | null = null;

function loadHelp(): Promise<BannerHelp | string> {
  const source = helpSource();
  if (!source) return Promise.resolve(NOT_RUNNING);
  helpAnswer ??= source.bannerHelp().then((answer) => {
    if (answer.ok) return answer.data;
    helpAnswer = null; // the next opening asks again
    return answer.error;
  });
  return helpAnswer;
}

/** Fills `box` with what `build` makes of the worker's words, or the reason they are missing. */
function fillFromHelp(box: HTMLElement, build: (help: BannerHelp) => (Node | string)[]): void {
  const doc = box.ownerDocument;
  void loadHelp().then((help) =>
    box.replaceChildren(...(typeof help === 'string' ? [h(doc, 'p', { class: 'error' }, help)] : build(help))),
  );
}

/** Addresses named in the banner; a long list ends with "and N more" (the marks carry the rest). */
const MAX_LISTED = 20;

/** The summary's words, each address a link to its row. */
function summaryParts(doc: Document, content: SummaryContent): (Node | string)[] {
  const { broken, connected } = content;
  const total = broken.length + connected;
  if (total === 0) {
    const where = h(doc, 'a', { href: content.settingsUrl }, 'Admin > Channels > Email');
    return ['Open ', where, ' to see which support email needs reauthorization.'];
  }
  const rest = ` · ${connected} connected`;
  if (broken.length === 0) return [`None of the ${total} support emails on this page needs reauthorization${rest}`];
  const shown = broken.slice(0, MAX_LISTED);
  const more = broken.length - shown.length;
  const needs = `${total === 1 ? '' : 's'} ${broken.length === 1 ? 'needs' : 'need'}`;
  return [
    `${broken.length} of ${total} support email${needs} reauthorization: `,
    ...shown.flatMap((address, i) => {
      const link = h(doc, 'a', { href: '#', 'data-address': address }, address);
      return i > 0 ? [', ', link] : [link];
    }),
    `${more ? ` and ${more} more` : ''}${rest}`,
  ];
}

export function createSummary(doc: Document, onReveal: (address: string) => void): HTMLElement {
  const { host, root } = shadowHost(doc, SUMMARY_TAG, 'summary', CSS);
  root.addEventListener('click', (event) => {
    const copy = (event.target as Element | null)?.closest?.('button[data-assist="copy-ips"]');
    if (copy) {
      void loadHelp().then((help) => typeof help !== 'string' && copyIps(root, help));
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
  const parts = summaryParts(doc, content);
  // The summary as plain text too, for tests and integrators.
  const text = parts.map((part) => (typeof part === 'string' ? part : part.textContent)).join('');
  host.setAttribute('data-reauth-summary', text);
  const helpOpen = root.querySelector('details[data-assist="more-help"]')?.hasAttribute('open') ?? false;
  while (root.childNodes.length > 1) root.lastChild!.remove();
  const brand = h(doc, 'span', { class: 'brand' }, 'Reauth Assist: ');
  root.append(h(doc, 'p', { role: 'status', class: 'box' }, brand, ...parts));
  // The banner stays although every support email here is connected: the article's checks, in front.
  if (content.connected > 0 && content.broken.length === 0) {
    const still = h(doc, 'div', { class: 'still box', 'data-assist': 'banner-still-showing' });
    fillFromHelp(still, (help) => [
      h(doc, 'div', null, h(doc, 'b', null, `${help.stillShowing.title}:`)),
      h(doc, 'ol', null, ...help.stillShowing.steps.map((step) => h(doc, 'li', null, step))),
    ]);
    root.append(still);
  }
  const help = moreHelp(doc);
  if (helpOpen) {
    help.setAttribute('open', '');
    fillMoreHelp(help);
  }
  root.append(help);
}

/** The article's advice beyond one mailbox (dropping connections, retries, ports), asked for when opened. */
function moreHelp(doc: Document): HTMLElement {
  const details = h(
    doc,
    'details',
    { class: 'help box', 'data-assist': 'more-help' },
    h(doc, 'summary', null, 'More help: connection drops, retries, ports'),
    h(doc, 'div', { class: 'more' }),
  );
  details.addEventListener('toggle', () => {
    if (details.hasAttribute('open')) fillMoreHelp(details);
  });
  return details;
}

function fillMoreHelp(details: HTMLElement): void {
  const box = details.querySelector<HTMLElement>('.more')!;
  if (box.hasChildNodes()) return;
  const doc = details.ownerDocument;
  box.append(h(doc, 'p', null, 'Loading\u2026'));
  fillFromHelp(box, (help) => [
    h(doc, 'div', null, h(doc, 'b', null, `${help.keepsDropping.title}. `), help.keepsDropping.text),
    h(doc, 'code', { class: 'ips', 'data-assist': 'ip-list' }, help.ips.join(', ')),
    h(
      doc,
      'div',
      null,
      h(doc, 'button', { type: 'button', 'data-assist': 'copy-ips' }, help.ipCopy.label),
      ' ',
      h(doc, 'span', { role: 'status', 'data-assist': 'copy-ips-status' }),
    ),
    h(
      doc,
      'div',
      { 'data-assist': 'retry-policy' },
      h(doc, 'b', null, `${help.retryPolicy.title}. `),
      help.retryPolicy.text,
    ),
    h(doc, 'div', null, h(doc, 'b', null, `${help.ports.title}. `)),
    h(doc, 'ul', { 'data-assist': 'ports' }, ...help.ports.lines.map((line) => h(doc, 'li', null, line))),
  ]);
}

/**
 * One click puts the addresses on the clipboard, one a line; if the browser refuses, they are selected to copy by
 * hand.
 */
function copyIps(root: ShadowRoot, help: BannerHelp): void {
  const status = root.querySelector('[data-assist="copy-ips-status"]');
  const say = (words: string): void => {
    if (status) status.textContent = words;
  };
  navigator.clipboard.writeText(help.ipList).then(
    () => say(help.ipCopy.copied),
    () => {
      const list = root.querySelector('[data-assist="ip-list"]');
      const selection =
        (root as ShadowRoot & { getSelection?: () => Selection | null }).getSelection?.() ??
        root.ownerDocument.getSelection();
      if (list && selection) selection.selectAllChildren(list);
      say(help.ipCopy.refused);
    },
  );
}
