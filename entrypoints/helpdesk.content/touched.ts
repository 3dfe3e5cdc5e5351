/**
 * Which parts of the page a batch of mutations can have changed for detection. A text or tooltip change
 * matters only if its old or new words could: an address, a status or provider word, the banner, a primary
 * badge, a control's label. A counter ticking in every row touches nothing.
 */
import { isSignalText } from './classify';
import type { Detector } from './detectors/types';
import { isOurs } from './ours';
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

function textMatters(detector: Detector, text: string): boolean {
  if (text.indexOf('@') >= 0 || isSignalText(text) || detector.isBannerText(text)) return true;
  return text.length <= MAX_WORDS && (detector.isPrimaryLabel(text) || detector.controlKind(text) !== null);
}

export function touched(detector: Detector, records: readonly MutationRecord[]): Touched {
  const t: Touched = { dirty: new Set(), added: new Map(), removed: [], shrunk: new Set(), oursRemoved: false };
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
  eachRecord: for (const r of records) {
    const type = r.type;
    if (type === 'characterData') {
      const target = r.target;
      if (wordsMatter(r.oldValue) || wordsMatter((target as CharacterData).data)) {
        const el = elementOf(target);
        if (el) t.dirty.add(el);
      }
      continue;
    }
    if (type === 'attributes') {
      const el = r.target as Element;
      const name = r.attributeName!;
      const now = el.getAttribute(name);
      const matters =
        name === 'role' || name === 'hidden'
          ? true
          : name === 'href'
            ? /^mailto:/i.test(r.oldValue ?? '') || /^mailto:/i.test(now ?? '')
            : wordsMatter(r.oldValue) || wordsMatter(now);
      if (matters) t.dirty.add(el);
      continue;
    }
    // The parent is looked up only when a node in the record counts (a record without one counts for nothing).
    let parent: Element | null | undefined;
    const added = r.addedNodes;
    for (let i = 0; i < added.length; i++) {
      const node = added[i]!;
      const kind = node.nodeType;
      if (kind === 1) {
        if (isOurs(node)) continue;
        if (parent === undefined) parent = elementOf(r.target);
        if (!parent) continue eachRecord;
        const list = t.added.get(parent);
        if (list) list.push(node as Element);
        else t.added.set(parent, [node as Element]);
      } else if (kind === 3 && wordsMatter((node as Text).data)) {
        if (parent === undefined) parent = elementOf(r.target);
        if (!parent) continue eachRecord;
        t.dirty.add(parent);
      }
    }
    const removed = r.removedNodes;
    for (let i = 0; i < removed.length; i++) {
      const node = removed[i]!;
      const kind = node.nodeType;
      if (kind === 1) {
        if (parent === undefined) parent = elementOf(r.target);
        if (!parent) continue eachRecord;
        if (isOurs(node)) t.oursRemoved = true;
        else {
          t.removed.push(node as Element);
          t.shrunk.add(parent);
        }
      } else if (kind === 3 && wordsMatter((node as Text).data)) {
        if (parent === undefined) parent = elementOf(r.target);
        if (!parent) continue eachRecord;
        t.dirty.add(parent);
      }
    }
  }
  return t;
}
