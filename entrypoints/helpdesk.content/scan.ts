/**
 * One pass over the page (and every open shadow root in it) that finds the helpdesk banner and each
 * mailbox row: the element holding exactly one mailbox's address and its status.
 *
 * Cost is linear in the page: a single TreeWalker per root collects address, status, control and primary
 * hits; then each hit climbs its ancestors once, stopping where an earlier climb already went. Markup is
 * not assumed (tables, ARIA grids, cards, web components): rows are found from what they contain.
 */
import type { Classification } from './classify';
import { hasStatusWords, isSignalText } from './classify';
import type { FixControl } from '../../lib/scenarios';
import type { Detector } from './detectors/types';
import { OUR_TAG_PREFIX } from './ours';

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

/**
 * Elements a detector's isEditIcon is asked about: icon-only edit controls are told apart by their class,
 * and a native query for the class words costs far less than asking about every element from here.
 */
const EDIT_ICON_CANDIDATES = '[class*="edit" i], [class*="pencil" i]';
const LABELLED = '[aria-label], [title]';
const MAILTO = 'a[href^="mailto:" i]';
/**
 * Web components (custom elements, whose names have a hyphen) are where open shadow roots live; an XPath
 * query finds them natively instead of asking every element for its shadowRoot.
 */
const CUSTOM_ELEMENTS = "descendant-or-self::*[contains(name(), '-') and not(starts-with(name(), 'reauth-assist-'))]";

/** The root itself (when it is an element that matches) and its matching descendants, in document order. */
function query(root: Root, selector: string, each: (el: Element) => void): void {
  if (root.nodeType === 1 && (root as Element).matches(selector)) each(root as Element);
  // Indexed, not spread: a list of thousands of rows makes no intermediate array.
  const found = root.querySelectorAll(selector);
  for (let i = 0; i < found.length; i++) each(found[i]!);
}

function customElements(doc: Document, root: Root): Element[] {
  const found: Element[] = [];
  if (typeof doc.evaluate === 'function') {
    // XPath takes no shadow root as its context node: ask from each of its top elements instead.
    const contexts: Node[] = root.nodeType === 11 ? [...(root as ShadowRoot).children] : [root];
    for (const context of contexts) {
      const result = doc.evaluate(CUSTOM_ELEMENTS, context, null, 7 /* ORDERED_NODE_SNAPSHOT_TYPE */, null);
      for (let i = 0; i < result.snapshotLength; i++) found.push(result.snapshotItem(i) as Element);
    }
    return found;
  }
  // Documents without XPath (simulated DOMs): the same elements, one by one.
  const walker = doc.createTreeWalker(root, 0x1 /* SHOW_ELEMENT */);
  for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
    if (n.nodeType === 1 && n.nodeName.includes('-') && !n.nodeName.startsWith(OUR_TAG_PREFIX)) found.push(n as Element);
  }
  return found;
}

/**
 * Every hit in the root and the open shadow roots below it. Only text nodes are walked one by one (their
 * words are the row signals); labelled elements, controls, edit icons and web components come from native
 * queries, so an element the page renders costs this script nothing unless it can matter.
 */
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
    const walker = doc.createTreeWalker(root, 0x4 /* SHOW_TEXT */);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const text = node.data;
      if (text.length > MAX_SIGNAL_LENGTH) {
        if (detector.isBannerText(text) && !skipped(node)) c.bannerTexts.push(node);
        continue;
      }
      const address = text.indexOf('@') >= 0;
      const signal = isSignalText(text);
      const banner = detector.isBannerText(text);
      const primary = detector.isPrimaryLabel(text);
      if (!address && !signal && !banner && !primary) continue;
      const parent = textParent(node);
      if (!parent) continue;
      if (address) addAddresses(parent, text);
      // The banner speaks for the whole account, never as one row's status.
      if (banner) c.bannerTexts.push(node);
      else if (signal) {
        c.signals.push({ el: parent, text });
        if (hasStatusWords(text)) c.statuses.push(parent);
      }
      if (primary) c.primaries.push(parent);
    }
    query(root, CLICKABLE, (el) => {
      const label = el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent || '';
      const kind = label.length <= MAX_SIGNAL_LENGTH ? detector.controlKind(label) : null;
      if (kind) c.controls.push({ el, kind });
    });
    query(root, MAILTO, (el) => addAddresses(el, safeDecode(el.getAttribute('href')!.slice(7))));
    query(root, EDIT_ICON_CANDIDATES, (el) => {
      if (el.matches(CLICKABLE) || !detector.isEditIcon(el)) return;
      c.controls.push({ el: el.closest(CLICKABLE) ?? el, kind: 'edit-icon' });
    });
    query(root, LABELLED, (el) => {
      addLabel(el, el.getAttribute('aria-label'));
      addLabel(el, el.getAttribute('title'));
    });
    for (const el of customElements(doc, root)) {
      const shadow = (el as HTMLElement).shadowRoot;
      if (shadow) {
        roots.push(shadow);
        c.shadowRoots.push(shadow);
      }
    }
  }
  return c;
}

/** The element a text belongs to (a shadow root's own text belongs to its host); null for text we never read. */
function textParent(node: Text): Element | null {
  const parent = node.parentNode;
  if (!parent) return null;
  const el = parent.nodeType === 1 ? (parent as Element) : parent.nodeType === 11 ? ((parent as ShadowRoot).host ?? null) : null;
  return el && !SKIPPED_PARENTS.has(el.nodeName) ? el : null;
}

function skipped(node: Text): boolean {
  return textParent(node) === null;
}

/** The parent element, crossing out of an open shadow root to its host (rows may be web components). */
export function up(el: Element): Element | null {
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

/**
 * What lies around a scanned element, for the rows whose extent depends on it: "multi" when the element's
 * parent holds more than one mailbox address, "top" when the parent is the page itself (body), "unknown"
 * when not known (the scan then says the region is open).
 */
export type Around = 'unknown' | 'multi' | 'top';

export interface RegionScan extends PageScan {
  /** A row's extent depends on what is around the scanned element: scan a larger region. */
  open: boolean;
  /** A signal, control or primary badge that no row in the region holds (it may belong to a row around it). */
  orphans: boolean;
  /** The one mailbox address the scanned element holds, MULTIPLE, or null when it holds none. */
  holds: string | null;
}

/** RegionScan.holds for an element holding several mailbox addresses. */
export const MULTIPLE = MULTI;

/** What a region scan learns about one element. */
interface Known {
  /** Its parent (up()); undefined until asked. */
  parent: Element | null | undefined;
  /** The one mailbox address it holds, or MULTI. */
  owner: string | undefined;
  /** It holds a status. */
  status: boolean;
  /** An address hit on it was already given its row. */
  done: boolean;
  /** It is a row: the row's address. */
  row: string | undefined;
  texts: string[] | undefined;
  kinds: Map<FixControl, Element> | undefined;
  primary: boolean;
}

const NO_CLASSIFICATION = null;
/**
 * Rows with the same words and controls classify alike (the address counts only by its domain, a provider
 * hint), so a list of thousands of mailboxes is classified a handful of times.
 */
const classified = new Map<string, Classification | null>();
const MAX_CLASSIFIED = 2000;

function classifyRow(detector: Detector, texts: string[], address: string, kinds: Map<FixControl, Element> | undefined) {
  const controls = {
    reauthorizeLink: kinds?.has('reauthorize-link') ?? false,
    signInWithMicrosoft: kinds?.has('sign-in-with-microsoft') ?? false,
    editIcon: kinds?.has('edit-icon') ?? false,
  };
  const key = `${detector.helpdesk}\u0000${address.slice(address.indexOf('@'))}\u0000${+controls.reauthorizeLink}${+controls.signInWithMicrosoft}${+controls.editIcon}\u0000${texts.join('\u0001')}`;
  let result = classified.get(key);
  if (result === undefined) {
    result = detector.classify({ texts, address, controls }) ?? NO_CLASSIFICATION;
    if (classified.size >= MAX_CLASSIFIED) classified.clear();
    classified.set(key, result);
  }
  return result;
}

export function scanPage(detector: Detector, root: Document | Element): PageScan {
  return scanRegion(detector, root, 'top');
}

/**
 * Scan the whole page (root = document) or one region of it (an element, with what is known about its
 * surroundings). Rows are found as in a whole-page scan; where that needs the surroundings, the result
 * says so (open, orphans) instead of guessing.
 */
export function scanRegion(detector: Detector, root: Document | Element, around: Around): RegionScan {
  const c = collect(detector, root);
  let open = false;
  let orphans = false;
  // What the climbs learn about each element, in one record: a DOM call or a lookup costs far more from here
  // than a field read, and a list of thousands of rows climbs through the same few ancestors of each row.
  const known = new Map<Element, Known>();
  const knownOf = (el: Element): Known => {
    let k = known.get(el);
    if (k === undefined) known.set(el, (k = { parent: undefined, owner: undefined, status: false, done: false, row: undefined, texts: undefined, kinds: undefined, primary: false }));
    return k;
  };
  /** The ancestor, never leaving the scanned root. */
  const next = (el: Element, k: Known): Element | null => {
    if (el === root) return null;
    if (k.parent === undefined) k.parent = up(el);
    return k.parent;
  };

  // Which single address (or several) each ancestor holds.
  for (const { el, address } of c.addresses) {
    for (let a: Element | null = el; a; ) {
      const k = knownOf(a);
      const seen = k.owner;
      if (seen === undefined) k.owner = address;
      else if (seen === address || seen === MULTI) break;
      else k.owner = MULTI;
      a = next(a, k);
    }
  }
  for (const el of c.statuses) {
    for (let a: Element | null = el; a; ) {
      const k = knownOf(a);
      if (k.status) break;
      k.status = true;
      a = next(a, k);
    }
  }

  // Each address's row: the smallest single-address element with a status, widened to the row boundary
  // (tr, li, role=row/listitem) or, in a list without one, to the largest element holding only this address.
  const rows: Element[] = [];
  for (const { el, address } of c.addresses) {
    const start = knownOf(el);
    if (start.done) continue;
    start.done = true;
    let candidate: Element | null = null;
    let last: Element = el;
    for (let a: Element | null = el; a; ) {
      const k = knownOf(a);
      if (k.owner !== address) break;
      last = a;
      if (k.status) {
        candidate = a;
        break;
      }
      a = next(a, k);
    }
    if (!candidate) {
      // The status may sit beside the region, in the element that holds it.
      if (last === root && around === 'unknown') open = true;
      continue;
    }
    // The whole page is never one mailbox's row.
    if (candidate.nodeName === 'BODY' || candidate.nodeName === 'HTML') continue;
    let largest: Element = candidate;
    let boundary: Element | null = isRowBoundary(candidate) ? candidate : null;
    let atMulti = false;
    let unsettled = false;
    for (let a = candidate; !boundary; ) {
      if (a === root) {
        if (around === 'multi') atMulti = true;
        else if (around === 'unknown') unsettled = true;
        break;
      }
      const p = next(a, knownOf(a));
      if (!p || p.nodeName === 'BODY' || p.nodeName === 'HTML') break;
      const owner = knownOf(p).owner;
      if (owner !== address) {
        atMulti = owner === MULTI;
        break;
      }
      largest = p;
      if (isRowBoundary(p)) boundary = p;
      a = p;
    }
    if (unsettled) {
      open = true;
      continue;
    }
    const row = boundary ?? (atMulti ? largest : candidate);
    if (isQuoted(row)) continue;
    const k = knownOf(row);
    if (k.row === undefined) rows.push(row);
    k.row = address;
  }

  // Give every signal, control and primary badge to the row it sits in.
  const rowOf = (el: Element): Known | null => {
    for (let a: Element | null = el; a; ) {
      const k = knownOf(a);
      if (k.row !== undefined) return k;
      if (k.owner === MULTI) return null;
      a = next(a, k);
    }
    orphans = true;
    return null;
  };
  for (const { el, text } of c.signals) {
    const r = rowOf(el);
    if (r) (r.texts ??= []).push(text);
  }
  for (const { el, kind } of c.controls) {
    const r = rowOf(el);
    if (!r) continue;
    const kinds = (r.kinds ??= new Map());
    if (!kinds.has(kind)) kinds.set(kind, el);
  }
  for (const el of c.primaries) {
    const r = rowOf(el);
    if (r) r.primary = true;
  }

  const result: MailboxRow[] = [];
  for (const row of rows) {
    const k = known.get(row)!;
    const address = k.row!;
    const kinds = k.kinds;
    const classification = classifyRow(detector, k.texts ?? [], address, kinds);
    if (!classification) continue;
    const control =
      classification.state === 'needs-reauth' && classification.control
        ? (kinds?.get(classification.control) ?? null)
        : null;
    result.push({ row, address, classification, primary: k.primary, control });
  }

  let banner: Element | null = null;
  for (const t of c.bannerTexts) {
    banner = bannerElement(t);
    if (banner) break;
  }
  const holds = root.nodeType === 1 ? (known.get(root as Element)?.owner ?? null) : null;
  return { banner, rows: result, shadowRoots: c.shadowRoots, open, orphans, holds };
}
