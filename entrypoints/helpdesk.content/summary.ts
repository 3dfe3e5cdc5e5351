/**
 * The banner summary: "2 of 5 support emails need reauthorization: billing@..., sales@... · 3 connected",
 * each address a link to its row. Lives in our shadow root inside the helpdesk's banner.
 */
import { h, shadowHost } from './dom';

export const SUMMARY_TAG = 'reauth-assist-summary';

export interface SummaryContent {
  broken: readonly string[];
  connected: number;
  /** Where the admin sees the mailbox list, when this page shows none. */
  settingsUrl: string;
}

const CSS = `
:host { all: initial; display: block; margin: 4px 0 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #3b1d00; }
p { margin: 0; padding: 4px 8px; background: #fff4e6; border: 1px solid #e8590c; border-radius: 6px; }
a { color: #a33a00; font-weight: 600; }
.brand { font-weight: 600; }
`;

/** Addresses named in the banner; a long list ends with "and N more" (the marks carry the rest). */
const MAX_LISTED = 20;

function head(broken: number, total: number): string {
  return `${broken} of ${total} support email${total === 1 ? '' : 's'} ${broken === 1 ? 'needs' : 'need'} reauthorization`;
}

function listed(broken: readonly string[]): { shown: readonly string[]; more: number } {
  return { shown: broken.slice(0, MAX_LISTED), more: Math.max(0, broken.length - MAX_LISTED) };
}

/** The summary as plain text (also set on the host as data-reauth-summary, for tests and integrators). */
export function summaryText(content: SummaryContent): string {
  const { broken, connected } = content;
  const total = broken.length + connected;
  if (total === 0) return 'Open Admin > Channels > Email to see which support email needs reauthorization.';
  if (broken.length === 0) return `None of the ${total} support emails on this page needs reauthorization · ${connected} connected`;
  const { shown, more } = listed(broken);
  return `${head(broken.length, total)}: ${shown.join(', ')}${more ? ` and ${more} more` : ''} · ${connected} connected`;
}

export function createSummary(doc: Document, onReveal: (address: string) => void): HTMLElement {
  const { host, root } = shadowHost(doc, SUMMARY_TAG, 'summary', CSS);
  root.addEventListener('click', (event) => {
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
  while (root.childNodes.length > 1) root.lastChild!.remove();
  root.append(h(doc, 'p', { role: 'status' }, ...parts));
}
