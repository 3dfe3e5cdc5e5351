/**
 * One pass over the page (and every open shadow root in it) that finds the helpdesk banner and each
 * mailbox row: the element holding exactly one mailbox's address and its status.
 *
 * Cost is linear in the page: a single TreeWalker per root collects address, status, control and primary
 * hits; then each hit climbs its ancestors once, stopping where an earlier climb already went. Markup is
 * not assumed (tables, ARIA grids, cards, web components): rows are found from what they contain.
 */
import type { Classification } from '../../lib/classify';
import { hasStatusWords, isSignalText } from '../../lib/classify';
import type { FixControl } from '../../lib/scenarios';
import type { Detector } from './detectors/types';
import { isOurs } from './ours';

export interface MailboxRow {
  row: Element;
  address: string;
  classification: Classification;
  primary: boolean;
  /** The control to highlight for this row's scenario, if the row has it. */
  control: Element | null;
}

export interface PageScan {
  banner: Element | null;
  rows: MailboxRow[];
  /** Every open shadow root met, so the caller can observe it. */
  shadowRoots: ShadowRoot[];
}

type Root = Document | ShadowRoot | Element;

const ADDRESS = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
const MULTI = '\u0000multi';
/** Longer texts are prose (articles, descriptions), not a status label. */
const MAX_SIGNAL_LENGTH = 300;
const SKIPPED_PARENTS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA']);
const QUOTING = 'blockquote, q, pre, code, article, [role="article"], [contenteditable=""], [contenteditable="true"]';
const ROW_BOUNDARY = new Set(['TR', 'LI']);
const ROW_ROLES = new Set(['row', 'listitem', 'article']);
const CLICKABLE = 'a, button, [role="button"], [role="link"]';

interface Hit {
  el: Element;
  text: string;
}
interface ControlHit {
  el: Element;
  kind: FixControl;
}

interface Collected {
  addresses: { el: Element; address: string }[];
  statuses: Element[];
  signals: Hit[];
  controls: ControlHit[];
  primaries: Element[];
  bannerTexts: Text[];
  shadowRoots: ShadowRoot[];
}

function collect(detector: Detector, start: Root): Collected {
  const c: Collected = {
    addresses: [],
    statuses: [],
    signals: [],
    controls: [],
    primaries: [],
    bannerTexts: [],
    shadowRoots: [],
  };
  const roots: Root[] = [start];
  const doc = start.ownerDocument ?? (start as Document);
  const addAddresses = (el: Element, text: string) => {
    if (text.indexOf('@') < 0) return;
    ADDRESS.lastIndex = 0;
    for (let m = ADDRESS.exec(text); m; m = ADDRESS.exec(text)) {
      const address = m[0].toLowerCase();
      if (detector.isMailboxAddress(address)) c.addresses.push({ el, address });
    }
  };
  const addLabel = (el: Element, label: string | null) => {
    if (!label || label.length > MAX_SIGNAL_LENGTH) return;
    addAddresses(el, label);
    if (isSignalText(label)) {
      c.signals.push({ el, text: label });
      if (hasStatusWords(label)) c.statuses.push(el);
    }
    if (detector.isPrimaryLabel(label)) c.primaries.push(el);
  };

  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    const walker = doc.createTreeWalker(root, 0x1 | 0x4 /* SHOW_ELEMENT | SHOW_TEXT */);
    for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === 3) {
        const parent = node.parentNode as Element | null;
        if (!parent || SKIPPED_PARENTS.has(parent.nodeName)) continue;
        const text = (node as Text).data;
        if (text.length > MAX_SIGNAL_LENGTH) {
          if (detector.isBannerText(text)) c.bannerTexts.push(node as Text);
          continue;
        }
        if (text.trim() === '') continue;
        addAddresses(parent, text);
        // The banner speaks for the whole account, never as one row's status.
        if (detector.isBannerText(text)) c.bannerTexts.push(node as Text);
        else if (isSignalText(text)) {
          c.signals.push({ el: parent, text });
          if (hasStatusWords(text)) c.statuses.push(parent);
        }
        if (detector.isPrimaryLabel(text)) c.primaries.push(parent);
        continue;
      }
      if (node.nodeType !== 1) continue;
      const el = node as Element;
      if (isOurs(el)) continue;
      const shadow = (el as HTMLElement).shadowRoot;
      if (shadow) {
        roots.push(shadow);
        c.shadowRoots.push(shadow);
      }
      const name = el.nodeName;
      const attributed = el.hasAttributes();
      const role = attributed ? el.getAttribute('role') : null;
      if (name === 'A' || name === 'BUTTON' || role === 'button' || role === 'link') {
        const label = (attributed && (el.getAttribute('aria-label') || el.getAttribute('title'))) || el.textContent || '';
        const kind = label.length <= MAX_SIGNAL_LENGTH ? detector.controlKind(label) : null;
        if (kind) c.controls.push({ el, kind });
        if (name === 'A' && attributed) {
          const href = el.getAttribute('href');
          if (href && href.startsWith('mailto:')) addAddresses(el, safeDecode(href.slice(7)));
        }
      } else if (attributed && detector.isEditIcon(el)) {
        c.controls.push({ el: el.closest(CLICKABLE) ?? el, kind: 'edit-icon' });
      }
      if (!attributed) continue;
      addLabel(el, el.getAttribute('aria-label'));
      addLabel(el, el.getAttribute('title'));
    }
  }
  return c;
}

/** The parent element, crossing out of an open shadow root to its host (rows may be web components). */
function up(el: Element): Element | null {
  const parent = el.parentNode;
  if (!parent) return null;
  if (parent.nodeType === 1) return parent as Element;
  return parent.nodeType === 11 ? ((parent as ShadowRoot).host ?? null) : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isQuoted(el: Element): boolean {
  return el.closest(QUOTING) !== null;
}

/** The banner: the nearest container of the banner sentence that looks like an alert, else its block. */
function bannerElement(text: Text): Element | null {
  let el = text.parentElement;
  if (!el || isQuoted(el)) return null;
  for (let probe: Element | null = el, depth = 0; probe && depth < 5; probe = probe.parentElement, depth++) {
    if (isInline(probe)) continue;
    const role = probe.getAttribute('role');
    const cls = probe.getAttribute('class') ?? '';
    if (role === 'alert' || role === 'status' || role === 'banner' || /banner|alert|notice|notification|announcement|callout/i.test(cls))
      return probe;
  }
  while (el.parentElement && isInline(el)) el = el.parentElement;
  return el;
}

const INLINE_TAGS = new Set(['SPAN', 'A', 'B', 'STRONG', 'EM', 'I', 'SMALL', 'LABEL']);
function isInline(el: Element): boolean {
  // Tag-based on purpose: reading computed style forces a layout, and a summary after an inline element reads fine.
  return INLINE_TAGS.has(el.nodeName);
}

function isRowBoundary(el: Element): boolean {
  if (ROW_BOUNDARY.has(el.nodeName)) return true;
  const role = el.getAttribute('role');
  return role !== null && ROW_ROLES.has(role);
}

export function scanPage(detector: Detector, root: Document | Element): PageScan {
  const c = collect(detector, root);

  // Which single address (or several) each ancestor holds.
  const owner = new Map<Element, string>();
  for (const { el, address } of c.addresses) {
    for (let a: Element | null = el; a; a = up(a)) {
      const seen = owner.get(a);
      if (seen === undefined) owner.set(a, address);
      else if (seen === address || seen === MULTI) break;
      else owner.set(a, MULTI);
    }
  }
  const hasStatus = new Set<Element>();
  for (const el of c.statuses) {
    for (let a: Element | null = el; a && !hasStatus.has(a); a = up(a)) hasStatus.add(a);
  }

  // Each address's row: the smallest single-address element with a status, widened to the row boundary
  // (tr, li, role=row/listitem) or, in a list without one, to the largest element holding only this address.
  const rows = new Map<Element, { address: string }>();
  const done = new Set<Element>();
  for (const { el, address } of c.addresses) {
    if (done.has(el)) continue;
    done.add(el);
    let candidate: Element | null = null;
    let a: Element | null = el;
    for (; a && owner.get(a) === address; a = up(a)) {
      if (hasStatus.has(a)) {
        candidate = a;
        break;
      }
    }
    // The whole page is never one mailbox's row.
    if (!candidate || candidate.nodeName === 'BODY' || candidate.nodeName === 'HTML') continue;
    let row: Element = candidate;
    let largest: Element = candidate;
    let boundary: Element | null = isRowBoundary(candidate) ? candidate : null;
    for (let p = up(candidate); p && !boundary; p = up(p)) {
      if (p.nodeName === 'BODY' || p.nodeName === 'HTML') break;
      const o = owner.get(p);
      if (o !== address) {
        if (o === MULTI) row = largest;
        break;
      }
      largest = p;
      if (isRowBoundary(p)) boundary = p;
    }
    if (boundary) row = boundary;
    if (isQuoted(row)) continue;
    rows.set(row, { address });
  }

  // Give every signal, control and primary badge to the row it sits in.
  const rowOf = (el: Element): Element | null => {
    for (let a: Element | null = el; a; a = up(a)) {
      if (rows.has(a)) return a;
      if (owner.get(a) === MULTI) return null;
    }
    return null;
  };
  const texts = new Map<Element, string[]>();
  for (const { el, text } of c.signals) {
    const r = rowOf(el);
    if (r) (texts.get(r) ?? texts.set(r, []).get(r)!).push(text);
  }
  const controls = new Map<Element, Map<FixControl, Element>>();
  for (const { el, kind } of c.controls) {
    const r = rowOf(el);
    if (!r) continue;
    const kinds = controls.get(r) ?? controls.set(r, new Map()).get(r)!;
    if (!kinds.has(kind)) kinds.set(kind, el);
  }
  const primaries = new Set<Element>();
  for (const el of c.primaries) {
    const r = rowOf(el);
    if (r) primaries.add(r);
  }

  const result: MailboxRow[] = [];
  for (const [row, { address }] of rows) {
    const kinds = controls.get(row);
    const classification = detector.classify({
      texts: texts.get(row) ?? [],
      address,
      controls: {
        reauthorizeLink: kinds?.has('reauthorize-link') ?? false,
        signInWithMicrosoft: kinds?.has('sign-in-with-microsoft') ?? false,
        editIcon: kinds?.has('edit-icon') ?? false,
      },
    });
    if (!classification) continue;
    const control =
      classification.state === 'needs-reauth' && classification.control
        ? (kinds?.get(classification.control) ?? null)
        : null;
    result.push({ row, address, classification, primary: primaries.has(row), control });
  }

  let banner: Element | null = null;
  for (const t of c.bannerTexts) {
    banner = bannerElement(t);
    if (banner) break;
  }
  return { banner, rows: result, shadowRoots: c.shadowRoots };
}
