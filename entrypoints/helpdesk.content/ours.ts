/** What the content script itself puts in the page, so scanning and observing can leave it out. */

export const OUR_TAG_PREFIX = 'REAUTH-ASSIST-';
export const OUR_ATTR = 'data-reauth-assist';

export function isOurs(node: Node): boolean {
  return node.nodeType === 1 && isOursNamed(node as Element, node.nodeName);
}

/** isOurs for an element whose name the caller has read already (each read is a call into the DOM). */
export function isOursNamed(el: Element, name: string): boolean {
  return name.startsWith(OUR_TAG_PREFIX) || (name === 'STYLE' && el.hasAttribute(OUR_ATTR));
}
