/** A tiny element builder for the injected UI: text goes in as text nodes, never as HTML. */
export type Child = Node | string | null | undefined | false;

export function h(doc: Document, tag: string, attrs: Record<string, string> | null, ...children: Child[]): HTMLElement {
  const el = doc.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? doc.createTextNode(child) : child);
  }
  return el;
}

/**
 * Sets an attribute only when its value differs, so observers (ours and the page's) see no churn. `fresh`: the
 * caller knows the element has none of ours yet (a new row of a long list: no read before the write).
 */
export function setAttr(el: Element, name: string, value: string, fresh = false): void {
  if (fresh || el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export function removeAttr(el: Element, name: string): void {
  if (el.hasAttribute(name)) el.removeAttribute(name);
}

/**
 * A host element for our UI with its own shadow root, so the helpdesk's CSS cannot reach in and ours cannot
 * leak out. Custom-element-like tag names are valid shadow hosts without registering anything (content
 * scripts have no customElements registry in Chromium).
 */
export function shadowHost(
  doc: Document,
  tag: string,
  kind: string,
  css: string,
): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement(tag);
  host.setAttribute('data-reauth-assist', kind);
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = css;
  root.append(style);
  return { host, root };
}
