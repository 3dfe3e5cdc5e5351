/**
 * The only CSS we add to the helpdesk's own document (and to each open shadow root holding rows): rules
 * scoped to our data attributes, so no page element changes unless we marked it.
 */
import { OUR_ATTR } from './ours';
import PAGE_CSS from './styles/page.css?inline';

function styleParent(root: Document | ShadowRoot): ParentNode {
  return root.nodeType === 9 ? ((root as Document).head ?? (root as Document).documentElement) : (root as ShadowRoot);
}

export function ensurePageStyle(root: Document | ShadowRoot): void {
  const parent = styleParent(root);
  // Checked each time: a page that re-renders its shadow root may have dropped our style element.
  if (parent.querySelector(`:scope > style[${OUR_ATTR}]`)) return;
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
  const style = doc.createElement('style');
  style.setAttribute(OUR_ATTR, 'style');
  style.textContent = PAGE_CSS;
  parent.append(style);
}

export function removePageStyles(roots: Iterable<Document | ShadowRoot>): void {
  for (const root of roots) {
    styleParent(root).querySelector(`:scope > style[${OUR_ATTR}]`)?.remove();
  }
}
