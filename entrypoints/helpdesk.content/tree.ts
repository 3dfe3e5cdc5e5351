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

/** Is `el` inside `ancestor` (or it), across shadow roots? */
export function within(el: Element, ancestor: Element): boolean {
  for (let a: Element | null = el; a; a = up(a)) if (a === ancestor) return true;
  return false;
}
