/**
 * Where our UI may go in the helpdesk's page without changing its layout: never as a child of an element that
 * arranges its children (table rows and sections, lists, ARIA grids and rows, flex and grid containers), where
 * it would take a cell's or item's place. Inside an existing cell or item instead, or, when a row offers none,
 * in the top layer anchored to the row (the caller draws it there).
 */

import { anyOf } from '../../lib/any-of';

export type Spot = { parent: Node; before: Node | null } | { overlay: Element };

const ARRANGING_TAGS = new Set([
  'TABLE',
  'THEAD',
  'TBODY',
  'TFOOT',
  'TR',
  'COLGROUP',
  'UL',
  'OL',
  'DL',
  'MENU',
  'SELECT',
]);
const ARRANGING_ROLES = new Set(['row', 'rowgroup', 'grid', 'table', 'treegrid', 'list', 'listbox', 'tablist', 'menu']);
const ARRANGING_DISPLAY = anyOf(
  [
    /^(?:inline-)?(?:flex|grid)$|^contents$|^(?:inline-)?table$/,
    /^table-(?:row|row-group|header-group|footer-group|column|column-group)$/,
  ],
  '',
);
/**
 * Elements that cannot hold our UI: no content model (void, replaced) or interactive (a click would reach the
 * page).
 */
const CLOSED_TAGS = new Set([
  'INPUT',
  'IMG',
  'BR',
  'HR',
  'SELECT',
  'TEXTAREA',
  'BUTTON',
  'A',
  'LABEL',
  // Inline svg keeps its lower-case name in an HTML document: nothing of ours renders inside it.
  'svg',
  'CANVAS',
  'VIDEO',
  'AUDIO',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'PROGRESS',
  'METER',
  'OPTION',
  'SCRIPT',
  'STYLE',
  'TEMPLATE',
  'SUMMARY',
  'DETAILS',
]);
const CLOSED_ROLES = new Set(['button', 'link', 'checkbox', 'switch', 'radio', 'menuitem', 'tab', 'option', 'img']);
/** Wrappers inside wrappers: how deep a search for a cell goes. */
const MAX_DEPTH = 8;

function display(el: Element): string {
  const view = el.ownerDocument.defaultView;
  return view?.getComputedStyle ? view.getComputedStyle(el).display : '';
}

/** Does this element lay its children out itself (as cells, items or rows)? */
export function arranges(el: Element): boolean {
  if (ARRANGING_TAGS.has(el.nodeName)) return true;
  const role = el.getAttribute('role');
  if (role !== null && ARRANGING_ROLES.has(role)) return true;
  return ARRANGING_DISPLAY.test(display(el));
}

function canHold(el: Element): boolean {
  if (CLOSED_TAGS.has(el.nodeName) || el.nodeName.startsWith('REAUTH-ASSIST-')) return false;
  const role = el.getAttribute('role');
  return !(role !== null && CLOSED_ROLES.has(role)) && display(el) !== 'none';
}

/** The element's children as rendered: a page's open shadow root renders instead of its light children. */
function renderedChildren(el: Element): { parent: Node; kids: HTMLCollection } {
  const shadow = (el as HTMLElement).shadowRoot;
  return shadow ? { parent: shadow, kids: shadow.children } : { parent: el, kids: el.children };
}

function hasOwnText(el: Element): boolean {
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3 && (n as Text).data.trim()) return true;
  return false;
}

/** At the end of a row: inside its last cell or item that can hold content, at any wrapper depth. */
export function spotIn(row: Element): Spot {
  let box = row;
  for (let depth = 0; ; depth++) {
    const { parent, kids } = renderedChildren(box);
    if (!arranges(box)) {
      // A wrapper around the real row: go in, so the mark sits in the row's own last cell (or, past the
      // depth searched, at the end of this wrapper: it arranges nothing either).
      if (depth < MAX_DEPTH && kids.length === 1 && canHold(kids[0]!) && !hasOwnText(box)) {
        box = kids[0]!;
        continue;
      }
      return { parent, before: null };
    }
    if (depth >= MAX_DEPTH) break;
    let next: Element | null = null;
    for (let i = kids.length - 1; i >= 0 && !next; i--) if (canHold(kids[i]!)) next = kids[i]!;
    if (!next) break;
    box = next;
  }
  return { overlay: row };
}

/** Right after an element (a form control), else at the end of the nearest cell around it, else anchored to it. */
export function spotAfter(el: Element): Spot {
  for (let a: Element | null = el; a; a = a.parentElement) {
    const parent = a.parentNode;
    if (!parent) break;
    if (parent.nodeType !== 1 || !arranges(parent as Element)) return { parent, before: a.nextSibling };
    if (canHold(a)) return spotIn(a);
  }
  return { overlay: el };
}

/** Puts our element at a spot (moved only if it is not there yet); false for a spot that needs an anchor. */
export function putAt(host: Element, spot: Spot): boolean {
  if ('overlay' in spot) return false;
  if (host.parentNode === spot.parent && (host.nextSibling === spot.before || host === spot.before)) return true;
  spot.parent.insertBefore(host, spot.before === host ? host.nextSibling : spot.before);
  return true;
}
