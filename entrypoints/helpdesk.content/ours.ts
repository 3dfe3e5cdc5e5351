/** What the content script itself puts in the page, so scanning and observing can leave it out. */

export const OUR_TAG_PREFIX = 'REAUTH-ASSIST-';
export const OUR_ATTR = 'data-reauth-assist';

export function isOurs(node: Node): boolean {
  return node.nodeType === 1 && isOursNamed(node as Element, node.nodeName);
}

function onlyOurs(nodes: NodeList): boolean {
  for (let i = 0; i < nodes.length; i++) if (!isOurs(nodes[i]!)) return false;
  return true;
}

/** The page's own changes, and the page taking our UI out (it goes back in); our own additions are left out. */
export function isPagesOwn(record: MutationRecord): boolean {
  // Removals first: a replaced text (a counter ticking) is settled without reading what was added.
  if (record.type === 'childList') return record.removedNodes.length > 0 || !onlyOurs(record.addedNodes);
  return !isOurs(record.target);
}

/** isOurs for an element whose name the caller has read already (each read is a call into the DOM). */
export function isOursNamed(el: Element, name: string): boolean {
  return name.startsWith(OUR_TAG_PREFIX) || (name === 'STYLE' && el.hasAttribute(OUR_ATTR));
}
