/**
 * Where the form assistants may put something next to a page element without taking a place in the page's
 * layout: never as a child of a table row, table section, table, ARIA row/grid/list, or of an element that
 * lays its children out as grid, flex or table parts (an extra child there becomes a cell, a grid item or a
 * flex item and shifts everything after it). Inside a cell is fine (at its end); otherwise after the nearest
 * ancestor whose parent flows its children as ordinary blocks.
 */
import { isOurs } from '../ours';

const ARRANGING_TAGS = new Set(['TR', 'TBODY', 'THEAD', 'TFOOT', 'TABLE', 'COLGROUP', 'UL', 'OL', 'DL', 'SELECT', 'OPTGROUP', 'DATALIST', 'PICTURE']);
const ARRANGING_ROLES = new Set(['row', 'rowgroup', 'table', 'grid', 'treegrid', 'list', 'listbox', 'tablist', 'menu', 'menubar', 'tree', 'radiogroup']);
const CELL = 'td, th, [role="cell"], [role="gridcell"], [role="columnheader"], [role="rowheader"]';
/** Elements that cannot hold our element as a child (void or replaced, or text-only). */
const NO_CHILDREN = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'IMG', 'BR', 'HR', 'BUTTON', 'OPTION', 'IFRAME', 'VIDEO', 'CANVAS', 'SVG']);

/** Does this element lay its children out as cells, grid, flex or list items? */
export function arrangesChildren(el: Element): boolean {
  if (ARRANGING_TAGS.has(el.nodeName)) return true;
  const role = el.getAttribute('role');
  if (role !== null && ARRANGING_ROLES.has(role)) return true;
  const view = el.ownerDocument.defaultView;
  const display = view ? view.getComputedStyle(el).display : '';
  return /grid|flex|table|ruby/.test(display) && !/table-cell|table-caption/.test(display);
}

function isCell(el: Element): boolean {
  return el.matches(CELL) || (el.parentElement !== null && el.parentElement.matches('tr, [role="row"]'));
}

export interface Spot {
  parent: Element;
  /** The node ours must follow; null: at the end of parent. */
  after: Node | null;
  /** The spot is inside a table or grid cell: ours must stay out of the flow there, or the cell's box grows. */
  inCell: boolean;
}

/** The spot next to `el` that changes no row, cell or grid item of the page. */
export function besideSpot(el: Element): Spot {
  let a = el;
  for (;;) {
    if (isCell(a) && !NO_CHILDREN.has(a.nodeName)) return { parent: a, after: null, inCell: true };
    const parent = a.parentElement;
    if (!parent || parent.nodeName === 'BODY' || parent.nodeName === 'HTML' || !arrangesChildren(parent)) {
      if (!parent) return { parent: a, after: null, inCell: false };
      return { parent, after: a, inCell: parent.closest(CELL) !== null || (parent.parentElement !== null && isCell(parent)) };
    }
    a = parent;
  }
}

/** Puts `host` at the spot beside `el`, moving it only when it is not there yet (no churn for observers). */
export function placeBeside(host: Element, el: Element): Spot {
  const spot = besideSpot(el);
  const { parent, after } = spot;
  if (after === null) {
    if (host.parentNode !== parent) parent.append(host);
    return spot;
  }
  if (host.parentNode === parent) {
    // Already after `after`, maybe behind other marks of ours at the same spot.
    for (let n = host.previousSibling; n; n = n.previousSibling) {
      if (n === after) return spot;
      if (!isOurs(n)) break;
    }
  }
  (after as ChildNode).after(host);
  return spot;
}
