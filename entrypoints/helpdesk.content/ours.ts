/** What the content script itself puts in the page, so scanning and observing can leave it out. */

export const OUR_TAG_PREFIX = 'REAUTH-ASSIST-';
export const OUR_ATTR = 'data-reauth-assist';

export function isOurs(node: Node): boolean {
  if (node.nodeType !== 1) return false;
  const name = node.nodeName;
  return name.startsWith(OUR_TAG_PREFIX) || (name === 'STYLE' && (node as Element).hasAttribute(OUR_ATTR));
}
