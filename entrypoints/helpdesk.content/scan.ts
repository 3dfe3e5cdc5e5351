/**
 * Finds the helpdesk banner and each mailbox row in a page or one region of it, text first: a native
 * textContent of a subtree is one call and creates no wrappers, so the scan counts the '@' in a subtree's
 * words and descends only into subtrees holding more than one mailbox address. The largest element holding
 * just one mailbox is its row (or the row boundary inside it: tr, li, role=row/listitem/article). A row's
 * details (its words cut at block boundaries, tooltips, controls, primary badge) are read once per kind of
 * row: rows whose words state a status and match a row read before classify alike from their words alone (a
 * connected one needs nothing more; a broken one only its own control, found where the first row of its kind
 * had it); rows whose words state nothing are read in full. Open shadow roots count as part of their host, on
 * any element, custom or plain. A mailbox written only in a tooltip or a mailto: link counts like one in words.
 */
import { atSigns, gluedAddresses, mailboxAddresses } from './addresses';
import type { Classification } from './classify';
import { gluedSignals, hasStatusWords, headingProvider, isSignalText, mayHoldStatus, statusPhrases } from './classify';
import type { FixControl } from '../../lib/scenarios';
import type { Detector } from './detectors/types';
import { isOurs, isOursNamed, OUR_ATTR } from './ours';
import { above, up } from './tree';

export interface MailboxRow {
  row: Element;
  /** The mailbox; while `spelled` is false, read from glued words (its end may hold a neighbour's letters). */
  address: string;
  /** False for rows beyond the first EXACT_AT_ONCE of a scan: exactAddress() spells them after the marks. */
  spelled: boolean;
  classification: Classification;
  primary: boolean;
  /** The control to highlight for this row's scenario, if the row has it. */
  control: Element | null;
  /** The row or its control may be in an open shadow root (the scan met one). */
  shadow: boolean;
  /**
   * A row told by its words alone: the kind whose control it has, found by laterControl() after the rows'
   * attributes are set (a list's thousand controls never hold up its rows).
   */
  later?: WordsKind;
}

export interface PageScan {
  banner: Element | null;
  rows: MailboxRow[];
  /** Every open shadow root met, so the caller can observe it. */
  shadowRoots: ShadowRoot[];
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
  /** Status words that no row in the region holds (they may belong to a row around it). */
  orphans: boolean;
  /** The one mailbox address the scanned element holds, MULTIPLE, or null when it holds none. */
  holds: string | null;
}

/** RegionScan.holds for an element holding several mailbox addresses. */
export const MULTIPLE = '\u0000multi';

/** Longer texts are prose (articles, descriptions), not a status label. */
const MAX_SIGNAL_LENGTH = 300;
/** Rows of one scan whose address is spelled from their texts at once; the rest after the marks (exactAddress). */
const EXACT_AT_ONCE = 20;
/** More '@' than this in one subtree: a list, counted without reading each address. */
const MAX_EXACT = 8;
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'HEAD', 'TITLE']);
const INLINE = new Set([
  'SPAN',
  'A',
  'B',
  'STRONG',
  'EM',
  'I',
  'U',
  'S',
  'SMALL',
  'LABEL',
  'ABBR',
  'MARK',
  'SUB',
  'SUP',
  'TIME',
  'FONT',
  'BDI',
]);
const QUOTING = 'blockquote, q, pre, code, article, [role="article"], [contenteditable=""], [contenteditable="true"]';
const ROW_BOUNDARY = new Set(['TR', 'LI']);
const ROW_ROLES = new Set(['row', 'listitem', 'article']);
/** Older admin screens make their buttons of inputs, named by their value. */
const CLICKABLE = 'a, button, [role="button"], [role="link"], input[type="button" i], input[type="submit" i]';
/** Icon-only edit controls are told apart by their class; a native query for the words finds the few candidates. */
const EDIT_ICON_CANDIDATES = '[class*="edit" i], [class*="pencil" i]';
/**
 * Where a status may be written outside the words: accessible names and descriptions, tooltips, an image's
 * text, an input button's name (its value), and the attributes tooltip libraries move a title into (Bootstrap's
 * data-original-title, data-bs-original-title).
 */
export const LABELS = [
  'aria-label',
  'aria-description',
  'title',
  'alt',
  'value',
  'data-original-title',
  'data-bs-original-title',
  'data-tooltip',
];
/** References to the elements that label or describe an element: their words count as its labels. */
export const REFERENCES = ['aria-labelledby', 'aria-describedby'];
const LABELLED = [...LABELS, ...REFERENCES].map((name) => `[${name}]`).join();

/** An element's labels (see LABELS), and the words of the elements it is labelled or described by. */
function labelsOn(el: Element): (string | null | undefined)[] {
  const labels: (string | null | undefined)[] = LABELS.map((name) => el.getAttribute(name));
  // A page may keep its tooltips in the document, hidden until hovered: a status can be only there.
  const root = el.getRootNode() as DocumentFragment;
  for (const name of REFERENCES)
    for (const id of el.getAttribute(name)?.split(' ') ?? []) labels.push(id && root.getElementById(id)?.textContent);
  return labels;
}
const PRIMARY_HINT = /primary/i;
/** Elements that can have a shadow root besides custom elements (attachShadow refuses the rest). */
const SHADOW_CAPABLE_NAMES =
  'ARTICLE ASIDE BLOCKQUOTE BODY DIV FOOTER H1 H2 H3 H4 H5 H6 HEADER MAIN NAV P SECTION SPAN'.split(' ');
const SHADOW_CAPABLE = new Set(SHADOW_CAPABLE_NAMES);
/**
 * Elements that may carry an open shadow root: custom elements (ours among them: shadowRootsIn leaves them out),
 * and the empty elements a plain host usually is.
 */
const PLAIN_HOSTS = SHADOW_CAPABLE_NAMES.map((n) => `self::${n.toLowerCase()}`).join(' or ');
const SHADOW_HOST_CANDIDATES = `descendant-or-self::*[not(node()) and (${PLAIN_HOSTS}) or contains(local-name(), '-')]`;
/** A region with this few characters of words (a few rows) has every element asked for a shadow root (a host
 * may have light children too); a larger one its custom elements and empty plain elements (native query). */
const ASK_EVERY_ELEMENT_TEXT = 4000;
/** A part with at most this many elements has every element asked too, however long its words. */
const ASK_EVERY_ELEMENT = 2000;
/**
 * A region with this many children is a list: its words are read child by child (the scan reads them anyway),
 * never as one string of the whole list (for 1,500 rows that string alone costs more than reading each row).
 */
const LIST_CHILDREN = 50;
/**
 * Where a mailbox may be written outside the words: a mailto: link, a tooltip, an accessible name. Not a
 * button's name ("Edit billing@acme.com"): it names the mailbox it acts on, which the row shows elsewhere.
 */
const NOT_BUTTON = ':not(button, [role="button"], input)';
export const ADDRESS_ATTRIBUTES = `a[href^="mailto:" i], [title*="@"]${NOT_BUTTON}, [aria-label*="@"]${NOT_BUTTON}`;
/** The attributes of ADDRESS_ATTRIBUTES' elements that hold the address. */
export const ADDRESS_ATTRIBUTE_NAMES = ['href', 'title', 'aria-label'];

type Root = Document | ShadowRoot | Element;

/** Expressions parsed once per document: a scan asks the same few questions of thousands of rows. */
const parsed = new WeakMap<Document, Map<string, XPathExpression>>();

function compiled(doc: Document, expression: string): XPathExpression {
  let byText = parsed.get(doc);
  if (!byText) {
    byText = new Map();
    parsed.set(doc, byText);
  }
  let expr = byText.get(expression);
  if (!expr) {
    expr = doc.createExpression(expression);
    byText.set(expression, expr);
  }
  return expr;
}

/** Every node an XPath expression selects from a context (a shadow root is asked through its top elements). */
function xpath(doc: Document, expression: string, context: Root, each: (node: Node) => void): void {
  if (typeof doc.evaluate !== 'function') return;
  const expr = compiled(doc, expression);
  const contexts: ArrayLike<Node> = context.nodeType === 11 ? (context as ShadowRoot).children : [context];
  for (let c = 0; c < contexts.length; c++) {
    const result = expr.evaluate(contexts[c]!, 7 /* ORDERED_NODE_SNAPSHOT_TYPE */, null);
    for (let i = 0; i < result.snapshotLength; i++) each(result.snapshotItem(i)!);
  }
}

/** The root itself (when it is an element that matches) and its matching descendants, in document order. */
function query(root: Root, selector: string, each: (el: Element) => void): void {
  if (root.nodeType === 1 && (root as Element).matches(selector)) each(root as Element);
  const found = root.querySelectorAll(selector);
  for (let i = 0; i < found.length; i++) each(found[i]!);
}

/**
 * The open shadow roots in a root, at any depth, on any element (attached before this call). A small root
 * (by the length of its words, known to the caller) has every element asked; a large one, its custom elements
 * and empty plain elements (one native query, no wrapper for the elements it passes over).
 */
export function shadowRootsIn(doc: Document, root: Root, into: ShadowRoot[] = [], textLength = 0): ShadowRoot[] {
  const ask = (el: Element) => {
    const shadow = (el as HTMLElement).shadowRoot;
    if (shadow && !isOurs(el) && !into.includes(shadow)) {
      into.push(shadow);
      shadowRootsIn(doc, shadow, into, (shadow.textContent ?? '').length);
    }
  };
  if (root.nodeType === 1) ask(root as Element);
  if (textLength <= ASK_EVERY_ELEMENT_TEXT || fewElements(root) || typeof doc.evaluate !== 'function') {
    const all = root.querySelectorAll('*');
    for (let i = 0; i < all.length; i++) ask(all[i]!);
  } else xpath(doc, SHADOW_HOST_CANDIDATES, root, (n) => ask(n as Element));
  return into;
}

/** Does the part hold at most ASK_EVERY_ELEMENT elements? (The collection is walked only that far.) */
function fewElements(root: Root): boolean {
  return 'getElementsByTagName' in root && !root.getElementsByTagName('*')[ASK_EVERY_ELEMENT];
}

/**
 * Elements that may get a shadow root later: empty plain elements, and custom elements the page has not defined
 * yet (one attaches its shadow root when it is). A native query, ':empty' first (it rejects most elements at
 * once): on a page of 10,000 rows 8-9 ms, where the XPath above walks it in 60-84 ms.
 */
const LATE_HOSTS = `:empty:is(${SHADOW_CAPABLE_NAMES}), :not(:defined):not([${OUR_ATTR}])`;
/** In a small part, a plain element with light children too (a "Loading..." placeholder the shadow root hides). */
const LATE_HOSTS_IN_SMALL_PART = `:is(${SHADOW_CAPABLE_NAMES}), :not(:defined):not([${OUR_ATTR}])`;

/** Elements that may get a shadow root later (watched for it: attaching one is no DOM mutation). */
export function lateHostCandidates(root: Root, limit: number): Element[] {
  const found: Element[] = [];
  query(root, fewElements(root) ? LATE_HOSTS_IN_SMALL_PART : LATE_HOSTS, (el) => {
    if (found.length < limit && !(el as HTMLElement).shadowRoot) found.push(el);
  });
  return found;
}

function isRowBoundary(el: Element): boolean {
  if (ROW_BOUNDARY.has(el.nodeName)) return true;
  const role = el.getAttribute('role');
  return role !== null && ROW_ROLES.has(role);
}

/** The row an element holding one mailbox is: a row boundary it wraps alone, else itself. */
function rowWithin(el: Element): Element {
  if (isRowBoundary(el)) return el;
  for (let a = el; a.childElementCount === 1 && !(a as HTMLElement).shadowRoot; ) {
    a = a.firstElementChild!;
    if (isRowBoundary(a)) return a;
  }
  return el;
}

function isQuoted(el: Element): boolean {
  return el.closest(QUOTING) !== null;
}

export function isPageItself(el: Element): boolean {
  return el.nodeName === 'BODY' || el.nodeName === 'HTML';
}

/**
 * The addresses in an element's texts read one by one, only along the children whose words hold an '@'.
 * `plain`: texts that state a status are passed over ("Token expired. Contact it@acme.com" names no mailbox).
 */
function exactOf(detector: Detector, el: Element, text: string, out: string[], plain?: boolean): void {
  if (el.childElementCount > 0) exactIn(detector, el, out, plain);
  else textAddresses(detector, text, out, plain);
}

/** One text's mailbox addresses, unless `plain` and it states a status. */
function textAddresses(detector: Detector, text: string, out: string[], plain?: boolean): void {
  if (!plain || !hasStatusWords(text)) mailboxAddresses(detector, text, out);
}

function exactIn(detector: Detector, parent: Node, out: string[], plain?: boolean): void {
  // Texts are read apart (glued, the words of neighbouring cells would merge into one address), except where
  // inline markup splits an address at its '@' ("<b>support</b>@acme.com", a filter's match highlighted).
  let held = '';
  const flush = () => {
    if (held.indexOf('@') >= 0) textAddresses(detector, held, out, plain);
    held = '';
  };
  const piece = (data: string) => {
    if (held && (data.charCodeAt(0) === 64 || held.charCodeAt(held.length - 1) === 64)) held += data;
    else {
      flush();
      held = data;
    }
  };
  const visit = (p: Node) => {
    for (let n = p.firstChild; n; n = n.nextSibling) {
      const kind = n.nodeType;
      if (kind === 3) piece((n as Text).data);
      else if (kind === 1 && !SKIPPED.has(n.nodeName) && !isOurs(n)) {
        const text = n.textContent ?? '';
        const inline = INLINE.has(n.nodeName);
        if (text.indexOf('@') < 0) {
          if (inline) piece(text);
          else flush();
        } else if (inline) visit(n);
        else {
          flush();
          exactOf(detector, n as Element, text, out, plain);
        }
      }
    }
  };
  visit(parent);
  flush();
}

interface Draft {
  row: Element;
  address: string;
  text: string;
  /** Siblings after the row holding no address (a definition list's dd): its status when the row has none. */
  after: Element[];
  spelled: boolean;
  /** The row is or sits in a quote (known while descending; undefined: ask). */
  quoted?: boolean;
}

/**
 * Rows with the same words, tooltips and domain classify alike, so a list of thousands of mailboxes is read
 * in full a handful of times. The control a classification names is looked up in each row again.
 */
const classified = new Map<string, { classification: Classification | null; primaryWords: boolean }>();
const MAX_CLASSIFIED = 2000;

/**
 * Kinds of row told by their words alone: rows whose words state a status, read in full once (their tooltips
 * added nothing to it). `control` finds the row's control where the first row read had it: one native query
 * (child positions from the row, the element's name, and the label that named its kind when it is an attribute).
 */
export interface WordsKind {
  classification: Classification | null;
  control: string | null;
  /** The query alone does not say the kind (a label in words, an icon told by its class): check the element. */
  check: boolean;
}
const byWords = new Map<string, WordsKind>();
/**
 * Words keys (wordsKey) of rows that need reauthorization and name no provider: such a row takes it from its
 * group's heading, so rows with these words are told apart by their heading too (the key gets it appended).
 */
const headed = new Set<string>();

/** One scan: what it learns about elements (composed text, addresses) is kept for its duration only. */
class Scanner {
  #texts = new Map<Element, string>();
  /** Elements whose addresses were read from glued words. */
  readonly glued = new Set<Element>();
  /** Rows found so far whose address was read exactly. */
  spelled = 0;
  #addressesOf = new Map<Element, string[] | null>();
  /** Shadow-root text below an element (its own textContent leaves it out), by element. */
  #shadowText = new Map<Element, string>();
  /** Open shadow roots below an element, by element. */
  #shadowsBelow = new Map<Element, ShadowRoot[]>();
  readonly drafts: Draft[] = [];
  readonly shadowRoots: ShadowRoot[] = [];
  /**
   * Mailbox addresses written in attributes (mailto: links, tooltips) below an element, by element. Complete
   * once the region's attributes are read (#readAttributes); a list read row by row reads only the attributes
   * of rows whose words name no mailbox.
   */
  #attrAddresses = new Map<Element, string[]>();
  #attributesRead = false;
  /**
   * A large region (a list of thousands) is not searched for shadow roots as a whole: the elements the scan
   * walks through are asked as it meets them, and the parts it would skip (no address in their light words)
   * and the rows it reads in full are searched then.
   */
  readonly #lazy: boolean;
  /** The top has as many children as a list (see LIST_CHILDREN): its words are only read child by child. */
  readonly isList: boolean;
  #topKids: Element[] | undefined;

  readonly #detector: Detector;
  readonly #doc: Document;
  readonly #top: Element;
  /** The group headings among an element's children, by element (read once a scan, see groupHeading). */
  #headings = new Map<Element, Element[]>();

  constructor(detector: Detector, doc: Document, top: Element) {
    this.#detector = detector;
    this.#doc = doc;
    this.#top = top;
    // One pass: the region's words, its open shadow roots, and the few elements whose attributes may hold an
    // address (one native query; a list's rows name their mailboxes in words, and it costs a tenth of the scan).
    this.isList = top.childElementCount >= LIST_CHILDREN;
    if (!this.isList) this.#readAttributes();
    const light = this.isList ? '' : (top.textContent ?? '');
    this.#lazy = this.isList || (light.length > ASK_EVERY_ELEMENT_TEXT && !fewElements(top));
    if (this.#lazy) this.#ask(top);
    else {
      this.#texts.set(top, light);
      this.#adoptAll(shadowRootsIn(doc, top, [], light.length));
    }
  }

  /**
   * The addresses the top holds, from its children's words when it is a list (its children asked for shadow
   * roots on the way): null when they hold more than a row does.
   */
  topAddresses(): string[] | null {
    this.#readAttributes();
    const top = this.#top;
    if (this.isList) {
      let at = 0;
      for (const kid of this.children(top)) at += atSigns(this.text(kid));
      if (at > MAX_EXACT) return null;
    }
    return this.hasAt(top) ? this.addresses(top) : [];
  }

  /**
   * The words of the heading of the group a row is listed in ("Microsoft 365" above its table, or a group row
   * in it): the nearest before the row among its siblings, or among its ancestors' up to GROUP_LEVELS above.
   */
  groupHeading(row: Element): string {
    for (let a = row, level = 0; level < GROUP_LEVELS; level++) {
      const parent = a.parentElement;
      if (!parent) break;
      let headings = this.#headings.get(parent);
      if (!headings) {
        headings = [...parent.children].filter(isGroupHeading);
        this.#headings.set(parent, headings);
      }
      for (let i = headings.length - 1; i >= 0; i--)
        if (headings[i]!.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)
          return headings[i]!.textContent!;
      a = parent;
    }
    return '';
  }

  /** The region's attribute addresses, all of them (the general descent counts them everywhere). */
  #readAttributes(): void {
    if (this.#attributesRead) return;
    this.#attributesRead = true;
    query(this.#top, ADDRESS_ATTRIBUTES, this.#withAttributes);
  }

  /** The addresses a list's row names in its attributes (read now if the region's were not). */
  #rowAttributes(row: Element): string[] | undefined {
    if (!this.#attributesRead) query(row, ADDRESS_ATTRIBUTES, this.#withAttributes);
    return this.#attrAddresses.get(row);
  }

  readonly #withAttributes = (el: Element): void => {
    const found: string[] = [];
    for (const name of ADDRESS_ATTRIBUTE_NAMES) {
      const value = el.getAttribute(name);
      if (value && value.length <= MAX_SIGNAL_LENGTH) mailboxAddresses(this.#detector, value, found);
    }
    for (let a: Element | null = el; a && found.length > 0; a = a === this.#top ? null : up(a)) {
      // Addresses read before counted the words only.
      this.#addressesOf.delete(a);
      const known = this.#attrAddresses.get(a);
      if (!known) this.#attrAddresses.set(a, [...found]);
      else for (const address of found) if (!known.includes(address)) known.push(address);
    }
  };

  /** Shadow roots met: their words and addresses count for their hosts and every element up to the top. */
  #adoptAll(found: readonly ShadowRoot[]): boolean {
    let adopted = false;
    for (const shadow of found) {
      if (this.shadowRoots.includes(shadow)) continue;
      adopted = true;
      // A region with shadow roots is read in general (listed() gives up on it): every attribute counts.
      this.#readAttributes();
      this.shadowRoots.push(shadow);
      const own = shadow.textContent ?? '';
      for (let a: Element | null = shadow.host; a; a = a === this.#top ? null : up(a)) {
        if (own) this.#shadowText.set(a, `${this.#shadowText.get(a) ?? ''} ${own}`);
        const below = this.#shadowsBelow.get(a);
        if (below) below.push(shadow);
        else this.#shadowsBelow.set(a, [shadow]);
        // Read again with the shadow root's words.
        this.#texts.delete(a);
        this.#addressesOf.delete(a);
      }
      query(shadow, ADDRESS_ATTRIBUTES, this.#withAttributes);
    }
    return adopted;
  }

  /** In a large region: an element the scan meets, asked for a shadow root (only elements that can have one). */
  #ask(el: Element, name = el.nodeName): void {
    if (!SHADOW_CAPABLE.has(name) && name.indexOf('-') < 0) return;
    const shadow = (el as HTMLElement).shadowRoot;
    if (shadow && !isOurs(el) && !this.shadowRoots.includes(shadow))
      this.#adoptAll(shadowRootsIn(this.#doc, el, [], (shadow.textContent ?? '').length));
  }

  /** In a large region: a part read in full (a row, a part with no address in its light words) searched. */
  searchInside(el: Element): boolean {
    return this.#lazy && this.#adoptAll(shadowRootsIn(this.#doc, el, [], (el.textContent ?? '').length));
  }

  /** Is el a quote? (A table row never is: one call less per row of a long table.) */
  isQuote(el: Element): boolean {
    return el.nodeName !== 'TR' && el.matches(QUOTING);
  }

  /** Is the row, or an element between it and the scanned top, a quote? (Above the top was asked once.) */
  quotedBelow(row: Element): boolean {
    const stop = above(row, (a) => a === this.#top || this.isQuote(a));
    return stop !== null && stop !== this.#top;
  }

  /** Does an element hold anything that may be a mailbox address (an '@' in its words or attributes)? */
  hasAt(el: Element): boolean {
    return this.text(el).indexOf('@') >= 0 || this.#attrAddresses.has(el);
  }

  /** An element's words, its open shadow roots' included. */
  text(el: Element): string {
    let t = this.#texts.get(el);
    if (t === undefined) {
      t = el.textContent ?? '';
      const extra = this.shadowRoots.length ? this.#shadowText.get(el) : undefined;
      if (extra) t += extra;
      this.#texts.set(el, t);
    }
    return t;
  }

  /**
   * The distinct mailbox addresses an element holds, read where its texts start and end (words glued across
   * cells would merge two addresses into one): only the children whose words hold an '@' are read further.
   * Null: more '@' than a row holds (a list).
   */
  addresses(el: Element): string[] | null {
    let found = this.#addressesOf.get(el);
    if (found !== undefined) return found;
    const text = this.text(el);
    const at = atSigns(text);
    const inAttributes = this.#attrAddresses.get(el);
    const glued =
      at > 0 && at <= MAX_EXACT && this.spelled >= EXACT_AT_ONCE && this.shadowRoots.length === 0 && !inAttributes;
    const counted = glued ? gluedAddresses(this.#detector, text, at) : null;
    if (at > MAX_EXACT || (inAttributes && inAttributes.length > MAX_EXACT)) found = null;
    else if (counted) {
      found = counted;
      this.glued.add(el);
    } else {
      found = at > 0 ? this.#inWords(el, text) : [];
      for (const address of inAttributes ?? []) if (!found.includes(address)) found.push(address);
    }
    this.#addressesOf.set(el, found);
    return found;
  }

  /** The mailbox addresses an element's words name (its shadow roots' too), read one text at a time. */
  #inWords(el: Element, text: string, found: string[] = [], plain?: boolean): string[] {
    exactOf(this.#detector, el, text, found, plain);
    for (const shadow of this.#shadowsBelow.get(el) ?? []) exactIn(this.#detector, shadow, found, plain);
    return found;
  }

  /**
   * Of several addresses an element holds, the one mailbox it is the row of, when other addresses are only
   * mentioned: the one its words name beside a contact's mailto: link or tooltip (where no part holding those
   * states a status of its own: that part is a row), or, in a row (tr, li, role=row), the one its words name
   * outside a status sentence ("Token expired. Contact it@acme.com"). Else all of them: a list.
   */
  ownMailbox(el: Element, found: string[]): string[] {
    const text = this.text(el);
    const words = this.#inWords(el, text);
    if (words.length === 1) {
      for (const kid of this.children(el))
        if (this.hasAt(kid) && !this.addresses(kid)?.includes(words[0]!) && this.#hasStatus(kid)) return found;
      return words;
    }
    const plain = isRowBoundary(el) ? this.#inWords(el, text, [], true) : found;
    return plain.length === 1 ? plain : found;
  }

  /** An element's children, its shadow root's first (what it renders), our own UI and script text left out. */
  children(el: Element): Element[] {
    if (el === this.#top && this.#topKids) return this.#topKids;
    const kids: Element[] = [];
    if (el === this.#top) this.#topKids = kids;
    const add = (list: HTMLCollection) => {
      for (let i = 0; i < list.length; i++) {
        const kid = list[i]!;
        const name = kid.nodeName;
        if (SKIPPED.has(name) || isOursNamed(kid, name)) continue;
        if (this.#lazy) this.#ask(kid, name);
        kids.push(kid);
      }
    };
    const shadow = this.shadowRoots.length ? (el as HTMLElement).shadowRoot : null;
    if (shadow) add(shadow.children);
    add(el.children);
    return kids;
  }

  /**
   * Several mailboxes under el: each child holding one is a row; a child holding several is a list again.
   * `quoted`: el is or sits in a quote (its rows are no mailboxes).
   */
  descend(el: Element, quoted = false): void {
    // A list below the top (scanRegion tried the top): its rows in one pass, if it is that simple.
    if (!quoted && el !== this.#top && this.listed(el)) return;
    const kids = this.children(el);
    let last: Draft | null = null;
    const singles: Draft[] = [];
    for (const kid of kids) {
      let found = this.hasAt(kid) ? this.addresses(kid) : [];
      if (found && found.length > 1) found = this.ownMailbox(kid, found);
      // Nothing in its light words: in a large region, what its shadow roots hold is looked at now.
      if (found?.length === 0 && this.searchInside(kid) && this.hasAt(kid)) found = this.addresses(kid);
      if (found === null || found.length > 1) {
        this.descend(kid, quoted || this.isQuote(kid));
        last = null;
      } else if (found.length === 1) {
        last = this.row(kid, found[0]!);
        last.quoted = quoted || (last.row !== kid ? this.quotedBelow(last.row) : this.isQuote(kid));
        singles.push(last);
      } else if (last && !mayHoldStatus(last.text) && !holdsBannerHint(this.#detector, this.text(kid))) {
        last.after.push(kid);
      }
    }
    // Status beside a row is read only where the pattern repeats (dt/dd pairs), never from a lone neighbour.
    if (singles.length < 2) for (const d of singles) d.after.length = 0;
  }

  /**
   * A list whose children are each one mailbox's row (or hold nothing of note): its rows drafted in one pass
   * over its children. False for any other list (a child holding several mailboxes, a quote, a shadow root,
   * status words or a banner beside the rows, fewer than two mailboxes): the general descent reads it.
   */
  listed(list: Element): boolean {
    if (list.childElementCount < LIST_CHILDREN || this.shadowRoots.length > 0) return false;
    const drafts: Draft[] = [];
    const kids = list.children;
    let first: string | undefined;
    let several = false;
    let spelled = this.spelled;
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i]!;
      const name = kid.nodeName;
      if (SKIPPED.has(name) || isOursNamed(kid, name)) continue;
      if ((kid as HTMLElement).shadowRoot || this.isQuote(kid)) return false;
      // No shadow root met: the light words are all the words (read once, kept only for the rows' drafts).
      const text = this.#texts.get(kid) ?? kid.textContent ?? '';
      const at = atSigns(text);
      const glued = at === 1 && spelled >= EXACT_AT_ONCE ? gluedAddresses(this.#detector, text, 1) : null;
      if (!glued && at !== 0) this.#texts.set(kid, text);
      // A row is the mailbox its words name; only one whose words name none is asked its attributes (a mailto:
      // link, a tooltip), so the region's attributes need no reading.
      let found = glued ?? (at > 0 ? this.#inWords(kid, text) : []);
      if (found.length === 0) found = this.#rowAttributes(kid) ?? found;
      if (found.length > 1) return false;
      if (found.length === 0) {
        // Words or controls beside the rows (a dd after its dt, a status line, a banner): read in general.
        const last = drafts[drafts.length - 1];
        if ((last && !mayHoldStatus(last.text)) || mayHoldStatus(text) || holdsBannerHint(this.#detector, text))
          return false;
        if (this.searchInside(kid)) return false;
        continue;
      }
      const address = found[0]!;
      first ??= address;
      several ||= address !== first;
      const row = rowWithin(kid);
      if (row !== kid && this.quotedBelow(row)) return false;
      const exact = !glued;
      if (exact) spelled++;
      drafts.push({
        row,
        address,
        text: row === kid ? text : this.text(row),
        after: [],
        spelled: exact,
        quoted: false,
      });
    }
    if (!several) return false;
    this.spelled = spelled;
    for (const d of drafts) this.drafts.push(d);
    return true;
  }

  /** The row of the largest element holding only this address: a row boundary it wraps, else itself. */
  row(el: Element, address: string): Draft {
    const row = rowWithin(el);
    const draft: Draft = { row, address, text: this.text(row), after: [], spelled: !this.glued.has(el) };
    if (draft.spelled) this.spelled++;
    this.drafts.push(draft);
    return draft;
  }

  /**
   * One mailbox in the whole scanned part (a page with a single support email): the smallest element holding
   * its address and a status, widened to the row boundary around it.
   */
  single(top: Element, address: string): void {
    let el = top;
    for (;;) {
      let next: Element | null = null;
      for (const kid of this.children(el)) {
        if (this.hasAt(kid) && this.addresses(kid)?.includes(address)) {
          next = kid;
          break;
        }
      }
      if (!next || !this.#hasStatus(next)) break;
      el = next;
    }
    if (!this.#hasStatus(el)) return;
    const row = above(el, (a) => a === top || isRowBoundary(a));
    if (row && row !== top) el = row;
    if (isPageItself(el)) return;
    this.drafts.push({ row: el, address, text: this.text(el), after: [], spelled: true });
  }

  #hasStatus(el: Element): boolean {
    if (mayHoldStatus(this.text(el))) return true;
    let labelled = false;
    this.each(el, LABELLED, (l) => {
      labelled ||= labelsOn(l).some((label) => !!label && hasStatusWords(label));
    });
    return labelled;
  }

  /** Matches of a selector below an element and in the open shadow roots below it. */
  each(el: Element, selector: string, fn: (el: Element) => void): void {
    const found = el.querySelectorAll(selector);
    for (let i = 0; i < found.length; i++) fn(found[i]!);
    if (this.shadowRoots.length) for (const shadow of this.#shadowsBelow.get(el) ?? []) query(shadow, selector, fn);
  }

  /**
   * The row's words: each text as written, cut where blocks start; and a run of inline pieces glued into one
   * phrase when a status reads only across them ("<b>Reauthorization</b> required", "Not <i>connected</i>").
   */
  words(el: Element, out: string[]): void {
    const push = (t: string) => {
      const clean = t.trim();
      if (clean && clean.length <= MAX_SIGNAL_LENGTH && isSignalText(clean)) out.push(clean);
    };
    const run: string[] = [];
    const flush = () => {
      for (const piece of run) push(piece);
      if (run.length > 1) {
        const glued = run.join('');
        if (statusPhrases(glued).some((phrase) => !run.some((piece) => piece.includes(phrase)))) push(glued);
      }
      run.length = 0;
    };
    const visit = (parent: Node) => {
      for (let n = parent.firstChild; n; n = n.nextSibling) {
        const kind = n.nodeType;
        if (kind === 3) run.push((n as Text).data);
        else if (kind === 1) {
          const kid = n as Element;
          if (SKIPPED.has(kid.nodeName) || isOurs(kid)) continue;
          if (INLINE.has(kid.nodeName) && !this.#shadowsBelow.has(kid)) visit(kid);
          else block(kid);
        }
      }
    };
    const block = (b: Element) => {
      flush();
      const shadow = this.shadowRoots.length ? (b as HTMLElement).shadowRoot : null;
      if (shadow) {
        visit(shadow);
        flush();
      }
      visit(b);
      flush();
    };
    block(el);
  }

  primaryIn(el: Element): boolean {
    const roots: Node[] = [el, ...(this.#shadowsBelow.get(el) ?? [])];
    for (const root of roots) {
      const walker = this.#doc.createTreeWalker(root, 0x4 /* SHOW_TEXT */);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const data = (n as Text).data;
        if (PRIMARY_HINT.test(data) && this.#detector.isPrimaryLabel(data)) return true;
      }
    }
    return false;
  }
}

interface Labels {
  texts: string[];
  primary: boolean;
}

function labelsOf(scanner: Scanner, detector: Detector, els: readonly Element[]): Labels {
  const labels: Labels = { texts: [], primary: false };
  const add = (label: string | null | undefined) => {
    if (!label || label.length > MAX_SIGNAL_LENGTH) return;
    if (isSignalText(label)) labels.texts.push(label);
    if (detector.isPrimaryLabel(label)) labels.primary = true;
  };
  const read = (l: Element) => {
    for (const label of labelsOn(l)) add(label);
  };
  for (const el of els) {
    // The row's own tooltip too: a list may give each row's status only as the row's title.
    read(el);
    scanner.each(el, LABELLED, read);
  }
  return labels;
}

/** The kind of fix a control's label names (its aria-label, else its title, else its words or an input's value). */
function labelledKind(detector: Detector, control: Element): FixControl | null {
  const label =
    control.getAttribute('aria-label') ||
    control.getAttribute('title') ||
    control.textContent ||
    control.getAttribute('value') ||
    '';
  return label.length <= MAX_SIGNAL_LENGTH ? detector.controlKind(label) : null;
}

function controlsOf(scanner: Scanner, detector: Detector, els: readonly Element[]): Map<FixControl, Element> {
  const kinds = new Map<FixControl, Element>();
  for (const el of els) {
    scanner.each(el, CLICKABLE, (c) => {
      const kind = labelledKind(detector, c);
      if (kind && !kinds.has(kind)) kinds.set(kind, c);
    });
    scanner.each(el, EDIT_ICON_CANDIDATES, (c) => {
      if (kinds.has('edit-icon') || c.matches(CLICKABLE) || !detector.isEditIcon(c)) return;
      kinds.set('edit-icon', c.closest(CLICKABLE) ?? c);
    });
  }
  return kinds;
}

/**
 * The cache key: the row's words and tooltips with local parts and numbers left out (the domain hints at the
 * provider).
 */
function rowKey(detector: Detector, text: string, labels: Labels): string {
  return `${wordsKey(detector, text)}\u0000${labels.texts.join('\u0001')}`;
}

const DIGITS = /\d+/g;

/**
 * The words part of rowKey: local parts and numbers left out (the domain hints at the provider). A local part
 * is what runs up to the '@' from the last space, so it may hold the words of the cell before it when cells are
 * glued ("Connectedsales@"): the status and provider words in it stay in the key.
 */
function wordsKey(detector: Detector, text: string): string {
  const at = text.indexOf('@');
  const local = (run: string) => `#${gluedSignals(run)}`;
  if (at < 0 || text.indexOf('@', at + 1) >= 0)
    return `${detector.helpdesk}\u0000${text.replace(/[^\s@]+@|\d+/g, (m) => (m.endsWith('@') ? local(m) : '#'))}`;
  // One '@' (a list's row): its local part found from the '@', not by trying the pattern at every letter, and
  // the numbers replaced in one pass over the key (a number in a signal, "365", is replaced alike in every key).
  let start = at;
  while (start > 0 && text.charCodeAt(start - 1) > 32) start--;
  return `${detector.helpdesk}\u0000${text.slice(0, start)}${local(text.slice(start, at))}${text.slice(at)}`.replace(
    DIGITS,
    '#',
  );
}

/** A label that can be written into a selector as it is (no quote, backslash or line break to escape). */
const PLAIN_LABEL = /^[^"\\\n\r\f]*$/;

/**
 * A query for an element of a row, relative to the row: its child positions and name, and the attribute label
 * that says its kind (null: not in the row's light DOM, or too deep). One native query finds it in a row of the
 * same shape, with no wrapper for the elements on the way.
 */
function controlQuery(detector: Detector, row: Element, el: Element, kind: FixControl): WordsKind | null {
  let steps = '';
  for (let a = el, depth = 0; a !== row; depth++) {
    const parent = a.parentElement;
    if (!parent || depth > 12) return null;
    const position = Array.prototype.indexOf.call(parent.children, a) + 1;
    steps = `>${a === el ? a.localName : '*'}:nth-child(${position})${steps}`;
    a = parent;
  }
  const label = labelSelector(detector, el, kind);
  return { classification: null, control: `:scope${steps}${label}`, check: !label };
}

/** The attribute that names a control's kind, as a selector; empty when words or an icon name it. */
function labelSelector(detector: Detector, el: Element, kind: FixControl): string {
  const aria = el.getAttribute('aria-label');
  const title = el.getAttribute('title');
  const [name, label] = aria ? ['aria-label', aria] : title ? ['title', title] : ['', ''];
  if (!label || !PLAIN_LABEL.test(label) || detector.controlKind(label) !== kind) return '';
  // A title names the control only where no aria-label does.
  return `${name === 'title' ? ':not([aria-label]:not([aria-label=""]))' : ''}[${name}="${label}"]`;
}

/** The row's control where the first row of its kind had it, if it is a control of that kind. */
function controlAt(detector: Detector, row: Element, kind: WordsKind, want: FixControl): Element | null {
  const el = row.querySelector(kind.control!);
  if (!el || !kind.check) return el;
  if (labelledKind(detector, el) === want) return el;
  if (want !== 'edit-icon') return null;
  const icon = detector.isEditIcon(el) ? el : el.querySelector(EDIT_ICON_CANDIDATES);
  return icon && detector.isEditIcon(icon) ? el : null;
}

function rowOf(
  d: Draft,
  classification: Classification,
  primary: boolean,
  control: Element | null,
  shadow: boolean,
  later?: WordsKind,
): MailboxRow {
  return { row: d.row, address: d.address, spelled: d.spelled, classification, primary, control, shadow, later };
}

/**
 * The control of a row told by its words (MailboxRow.later): where the first row of its kind had it, else
 * anywhere in the row (that row had none: this one may).
 */
export function laterControl(detector: Detector, r: MailboxRow, want: FixControl): Element | undefined {
  const kind = r.later!;
  return (
    (kind.control ? controlAt(detector, r.row, kind, want) : null) ??
    controlsOf(new Scanner(detector, r.row.ownerDocument, r.row), detector, [r.row]).get(want)
  );
}

/** How far up from a row a group heading is looked for: its list, its table, and the wrappers around them. */
const GROUP_LEVELS = 6;
const GROUP_HEADING_LENGTH = 60;

/**
 * A short text that names one provider, and no mailbox or status (a row whose address is only in a link is no
 * heading), other than a table's column headings.
 */
function isGroupHeading(el: Element): boolean {
  const text = el.textContent!;
  return (
    el.localName !== 'thead' &&
    text.length <= GROUP_HEADING_LENGTH &&
    !text.includes('@') &&
    !mayHoldStatus(text) &&
    !!headingProvider(text)
  );
}

function classifyDraft(scanner: Scanner, detector: Detector, d: Draft): MailboxRow | null {
  // Words that state a status decide; a row like one read before needs no more than its control (a kind is
  // kept only for words that state a status, so a known kind needs no test of the words).
  const words = d.after.length === 0 ? wordsKey(detector, d.text) : '';
  let heading = headed.has(words) ? scanner.groupHeading(d.row) : undefined;
  let group = heading === undefined ? '' : `\u0002${heading}`;
  let key = words && words + group;
  const kind = key ? byWords.get(key) : undefined;
  if (kind) {
    // A kind read before: its control is looked for after the rows' attributes (laterControl).
    const c = kind.classification;
    return (
      c &&
      rowOf(d, c, PRIMARY_HINT.test(d.text) && scanner.primaryIn(d.row), null, scanner.shadowRoots.length > 0, kind)
    );
  }
  const statesStatus = key !== '' && mayHoldStatus(d.text);
  // Read in full: in a large region, its shadow roots are searched now (they may hold its status, or more rows).
  if (scanner.searchInside(d.row)) {
    d.text = scanner.text(d.row);
    const found = scanner.addresses(d.row);
    if (found === null || found.length > 1) {
      scanner.descend(d.row, d.quoted);
      return null;
    }
  }
  const own = [d.row];
  const labels = labelsOf(scanner, detector, own);
  let labelKey = rowKey(detector, d.text, labels) + group;
  const cached = classified.get(labelKey);
  const shadow = scanner.shadowRoots.length > 0;
  if (cached) {
    const c = cached.classification;
    if (!c) return null;
    const primary = labels.primary || (cached.primaryWords && scanner.primaryIn(d.row));
    if (c.state === 'connected' || !c.control) return rowOf(d, c, primary, null, shadow);
    // A cached classification names the kind; each row has its own element.
    const control = controlsOf(scanner, detector, own).get(c.control);
    // A row like the others in words but not in controls: read it in full.
    if (control) return rowOf(d, c, primary, control, shadow);
  }
  // The row's own words first; the siblings after it only when it states no status itself.
  const texts: string[] = [];
  scanner.words(d.row, texts);
  texts.push(...labels.texts);
  let scope = own;
  if (d.after.length > 0 && !texts.some(hasStatusWords)) {
    scope = [d.row, ...d.after];
    for (const el of d.after) scanner.words(el, texts);
    texts.push(...labelsOf(scanner, detector, d.after).texts);
  }
  const kinds = controlsOf(scanner, detector, scope);
  const controls = {
    reauthorizeLink: kinds.has('reauthorize-link'),
    signInWithMicrosoft: kinds.has('sign-in-with-microsoft'),
    editIcon: kinds.has('edit-icon'),
  };
  let classification = detector.classify({ texts, address: d.address, controls });
  if (classification?.state === 'needs-reauth' && !classification.provider) {
    // Names no provider: its group's heading may. Rows with these words are told apart by heading from now on.
    if (heading === undefined) {
      if (headed.size >= MAX_CLASSIFIED) headed.clear();
      if (words) headed.add(words);
      heading = scanner.groupHeading(d.row);
      group = `\u0002${heading}`;
      key = words && words + group;
      labelKey += group;
    }
    if (heading) classification = detector.classify({ texts: [...texts, heading], address: d.address, controls });
  }
  const primaryWords = PRIMARY_HINT.test(d.text);
  const want = classification?.state === 'needs-reauth' ? classification.control : null;
  const control = want ? (kinds.get(want) ?? null) : null;
  if (scope === own) {
    if (classified.size >= MAX_CLASSIFIED) classified.clear();
    classified.set(labelKey, { classification, primaryWords });
    // Told by words alone from now on, if the labels added nothing (no status, and no provider: an icon's
    // "Microsoft" changes the scenario) and the control is in reach.
    if (statesStatus && labels.texts.length === 0 && !labels.primary) {
      if (byWords.size >= MAX_CLASSIFIED) byWords.clear();
      const found = control ? controlQuery(detector, d.row, control, want!) : null;
      if (!control || found) byWords.set(key, { check: false, control: null, ...found, classification });
    }
  }
  if (!classification) return null;
  const primary = labels.primary || (primaryWords && scanner.primaryIn(d.row));
  return rowOf(d, classification, primary, control, shadow);
}

/** Do the words hold the detector's banner hint (any case, hyphens left out)? */
function holdsBannerHint(detector: Detector, text: string): boolean {
  const hint = detector.bannerHint;
  return hint !== undefined && text.toLowerCase().replace(/-/g, '').includes(hint);
}

/**
 * The banner: the deepest element whose words start with the banner sentence, found by following the
 * children whose words hold the detector's hint; widened to an alert-like container.
 */
function findBanner(scanner: Scanner, detector: Detector, top: Element): Element | null {
  if (!detector.bannerHint) return null;
  const holds = (text: string) => holdsBannerHint(detector, text);
  const find = (el: Element, depth: number): Element | null => {
    if (depth > 40) return null;
    for (const kid of scanner.children(el)) {
      const text = scanner.text(kid);
      // A list's mailbox rows are no banner.
      if ((el === top && scanner.isList && text.includes('@')) || !holds(text)) continue;
      if (detector.isBannerText(text)) return settle(kid);
      const inside = find(kid, depth + 1);
      if (inside) return inside;
    }
    return null;
  };
  const deeper = (el: Element): Element | null => {
    for (const kid of scanner.children(el)) if (detector.isBannerText(scanner.text(kid))) return kid;
    return null;
  };
  // The deepest element still saying it all, widened to its alert-like container; none in a quote.
  const settle = (el: Element): Element | null => {
    for (let next = deeper(el); next; next = deeper(next)) el = next;
    return isQuoted(el) ? null : bannerElement(el);
  };
  // A list is no banner itself: its children are asked one by one (their words are read already).
  if (scanner.isList) return find(top, 0);
  if (!holds(scanner.text(top))) return null;
  return detector.isBannerText(scanner.text(top)) && !isPageItself(top) ? settle(top) : find(top, 0);
}

function bannerElement(el: Element): Element {
  for (let probe: Element | null = el, depth = 0; probe && depth < 5; probe = probe.parentElement, depth++) {
    if (INLINE.has(probe.nodeName)) continue;
    const role = probe.getAttribute('role');
    const cls = probe.getAttribute('class') ?? '';
    if (
      role === 'alert' ||
      role === 'status' ||
      role === 'banner' ||
      /banner|alert|notice|notification|announcement|callout/i.test(cls)
    )
      return probe;
  }
  while (el.parentElement && INLINE.has(el.nodeName)) el = el.parentElement;
  return el;
}

/**
 * A row's mailbox address read from its texts one by one (for rows a scan read from glued words: their
 * addresses are in their light DOM's words only).
 */
export function exactAddress(detector: Detector, row: Element): string | null {
  const found: string[] = [];
  exactOf(detector, row, row.textContent ?? '', found);
  return found.length === 1 ? found[0]! : null;
}

/** How many different mailbox addresses an element holds (words, tooltips, mailto: links, shadow roots): 0, 1, 2+. */
export function addressCount(detector: Detector, el: Element): number {
  // A list: counted without reading each address (or searching it for shadow roots).
  if (atSigns(el.textContent ?? '') > MAX_EXACT) return 2;
  const found = new Scanner(detector, el.ownerDocument, el).topAddresses();
  return found === null ? 2 : Math.min(found.length, 2);
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
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
  const top = root.nodeType === 9 ? (doc.body ?? doc.documentElement) : (root as Element);
  const result: RegionScan = { banner: null, rows: [], shadowRoots: [], open: false, orphans: false, holds: null };
  if (!top) return result;
  if (root.nodeType === 9) around = 'top';
  const scanner = new Scanner(detector, doc, top);
  result.shadowRoots = scanner.shadowRoots;
  // A list of one mailbox per child is read in one pass (no banner among its children: it would not be).
  const listed = scanner.listed(top);
  let found = listed ? null : scanner.topAddresses();
  // A region that is one row naming a contact too (the page itself is read part by part).
  if (found && found.length > 1 && !isPageItself(top)) found = scanner.ownMailbox(top, found);
  if (found === null || found.length > 1) {
    result.holds = MULTIPLE;
    if (!listed) scanner.descend(top);
  } else if (found.length === 1) {
    result.holds = found[0]!;
    if (around === 'multi') scanner.row(top, found[0]!);
    else if (around === 'top') scanner.single(top, found[0]!);
    else result.open = true;
  } else {
    result.orphans = mayHoldStatus(scanner.text(top));
  }
  const seen = new Set<Element>();
  const quotedTop = isQuoted(top);
  for (const d of scanner.drafts) {
    if (seen.has(d.row) || quotedTop || (d.quoted ?? scanner.quotedBelow(d.row))) continue;
    seen.add(d.row);
    const row = classifyDraft(scanner, detector, d);
    if (row) result.rows.push(row);
  }
  if (!listed) result.banner = findBanner(scanner, detector, top);
  return result;
}
