/**
 * Which parts of the page a batch of mutations can have changed for detection. A text or tooltip change
 * matters only if its old or new words could: an address, a status or provider word, the banner, a primary
 * badge, a control's label. A counter ticking in every row touches nothing.
 */
import { isSignalText } from './classify';
import type { Detector } from './detectors/types';
import { isOurs } from './ours';
import { REFERENCES } from './scan';
import { elementOf } from './tree';

export interface Touched {
  /** Elements whose own content changed in a way that can matter. */
  dirty: Set<Element>;
  /** Elements the page added, by parent (a parent that got many children is looked at as a whole). */
  added: Map<Element, Element[]>;
  /** Elements the page took out: rows inside them are gone unless they came back. */
  removed: Element[];
  /** Parents that lost an element: their remaining rows may now reach further. */
  shrunk: Set<Element>;
  /** The page took some of our UI out. */
  oursRemoved: boolean;
}

const MAX_WORDS = 300;
/** More elements than this added by one record: a list rendered at once. */
const MANY_ADDED = 16;

function textMatters(detector: Detector, text: string): boolean {
  if (text.indexOf('@') >= 0 || isSignalText(text) || detector.isBannerText(text)) return true;
  return text.length <= MAX_WORDS && (detector.isPrimaryLabel(text) || detector.controlKind(text) !== null);
}

export function emptyTouched(): Touched {
  return { dirty: new Set(), added: new Map(), removed: [], shrunk: new Set(), oursRemoved: false };
}

export function nothingTouched(t: Touched): boolean {
  return t.dirty.size === 0 && t.added.size === 0 && t.removed.length === 0 && !t.oursRemoved;
}

/**
 * Elements holding only text (no child elements) whose words did not matter when last looked at. A record
 * that replaces such an element's text (a counter ticking) is settled from the element's words now, without
 * reading the nodes it took out and put in: they could not matter before, and do not now.
 * A Set, not a WeakSet: it holds the elements' wrappers, so the same element is the same key on the next
 * batch (an unreferenced wrapper of an isolated world may be collected and made anew). Bounded: when full,
 * it starts over (a forgotten element is read in full once more).
 */
export class QuietElements {
  readonly #set = new Set<Element>();
  has(el: Element): boolean {
    return this.#set.has(el);
  }
  add(el: Element): void {
    if (this.#set.size >= MAX_QUIET) this.#set.clear();
    this.#set.add(el);
  }
  delete(el: Element): void {
    this.#set.delete(el);
  }
}
const MAX_QUIET = 20_000;

/**
 * Adds what a batch of records can have changed to `t` (a new Touched by default). With `quiet`, records that
 * only rewrite the words of a text-only element that stay noise cost a few reads each.
 */
export function touched(
  detector: Detector,
  records: readonly MutationRecord[],
  t: Touched = emptyTouched(),
  quiet?: QuietElements,
): Touched {
  // A batch often writes the same words into every row (a counter): judge each distinct text once.
  const judged = new Map<string, boolean>();
  const wordsMatter = (text: string | null | undefined): boolean => {
    if (!text) return false;
    let matters = judged.get(text);
    if (matters === undefined) {
      matters = textMatters(detector, text);
      judged.set(text, matters);
    }
    return matters;
  };
  // A page that keeps changing sends thousands of records per frame: each record and node property is read
  // once (every read is a call into the DOM from this script's world), node lists by index (no iterators).
  for (const r of records) {
    const type = r.type;
    if (type === 'characterData') {
      const target = r.target;
      if (wordsMatter(r.oldValue) || wordsMatter((target as CharacterData).data)) {
        const el = elementOf(target);
        if (el) {
          t.dirty.add(el);
          quiet?.delete(el);
        }
      }
      continue;
    }
    if (type === 'attributes') {
      const el = r.target as Element;
      if (isOurs(el)) continue;
      const name = r.attributeName!;
      const now = el.getAttribute(name);
      const matters =
        name === 'role' || name === 'hidden' || REFERENCES.includes(name)
          ? true
          : name === 'href'
            ? /^mailto:/i.test(r.oldValue ?? '') || /^mailto:/i.test(now ?? '')
            : wordsMatter(r.oldValue) || wordsMatter(now);
      if (matters) t.dirty.add(el);
      continue;
    }
    const target = r.target;
    if (quiet && target.nodeType === 1) {
      const el = target as Element;
      if (el.childElementCount === 0 && !wordsMatter(el.textContent)) {
        if (quiet.has(el)) continue;
        if (!childListMatters(r, t, wordsMatter)) quiet.add(el);
        continue;
      }
      quiet.delete(el);
    }
    childListMatters(r, t, wordsMatter);
  }
  return t;
}

/** Adds what one childList record changed to `t`; false when nothing it added or took out can matter. */
function childListMatters(r: MutationRecord, t: Touched, wordsMatter: (text: string) => boolean): boolean {
  // The parent is looked up only when a node in the record counts (a record without one counts for nothing).
  let parent: Element | null | undefined;
  let matters = false;
  const added = r.addedNodes;
  const removed = r.removedNodes;
  const adds = added.length;
  const all = adds + removed.length;
  for (let i = 0; i < all; i++) {
    const isAdded = i < adds;
    const node = isAdded ? added[i]! : removed[i - adds]!;
    const kind = node.nodeType;
    if (kind === 3 ? !wordsMatter((node as Text).data) : kind !== 1 || (isAdded && isOurs(node))) continue;
    parent ??= elementOf(r.target);
    if (!parent) return matters;
    matters = true;
    if (kind === 3) t.dirty.add(parent);
    else if (!isAdded) {
      if (isOurs(node)) t.oursRemoved = true;
      else {
        t.removed.push(node as Element);
        t.shrunk.add(parent);
      }
    } else if (adds > MANY_ADDED && adds * 2 >= parent.childElementCount) {
      // Many of a parent's children added at once (a list rendered in one go): the parent is looked at as a
      // whole (as detection would), so the rest of the added nodes need not be read.
      t.dirty.add(parent);
      i = adds - 1;
    } else {
      const list = t.added.get(parent);
      if (list) list.push(node as Element);
      else t.added.set(parent, [node as Element]);
    }
  }
  return matters;
}
