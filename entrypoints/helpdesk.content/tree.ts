/** Walking the page's tree the way a row sees it: open shadow roots are part of their host. */

/** The parent element, crossing out of an open shadow root to its host (rows may be web components). */
export function up(el: Element): Element | null {
  const parent = el.parentNode;
  if (!parent) return null;
  if (parent.nodeType === 1) return parent as Element;
  return parent.nodeType === 11 ? ((parent as ShadowRoot).host ?? null) : null;
}

/** The element a node belongs to: itself, its parent element, or the host of the shadow root it is in. */
export function elementOf(node: Node | null): Element | null {
  if (!node) return null;
  if (node.nodeType === 1) return node as Element;
  if (node.nodeType === 11) return (node as ShadowRoot).host ?? null;
  if (node.nodeType === 9) return (node as Document).documentElement;
  return elementOf(node.parentNode);
}

/** The first of el and its ancestors, across shadow roots, that passes the test. */
export function above(el: Element | null, test: (a: Element) => boolean): Element | null {
  for (let a = el; a; a = up(a)) if (test(a)) return a;
  return null;
}

/** Is `el` inside `ancestor` (or it), across shadow roots? */
export function within(el: Element, ancestor: Element): boolean {
  return above(el, (a) => a === ancestor) !== null;
}
