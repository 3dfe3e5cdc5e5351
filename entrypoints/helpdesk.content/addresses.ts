/** Mailbox addresses in a piece of text: the one pattern the content script uses. */
import type { Detector } from './detectors/types';

const ADDRESS = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

/**
 * The distinct addresses (lower case) in a text, at most `max`, those `keep` refuses left out. Without `keep`,
 * every address a row's text holds (helpdesk-own ones too: the worker keeps the one it reported).
 */
export function addressesIn(
  text: string,
  max = 10,
  keep?: (address: string) => boolean,
  into: string[] = [],
): string[] {
  if (text.indexOf('@') < 0) return into;
  ADDRESS.lastIndex = 0;
  for (let m = ADDRESS.exec(text); m && into.length < max; m = ADDRESS.exec(text)) {
    const address = m[0].toLowerCase();
    if ((!keep || keep(address)) && !into.includes(address)) into.push(address);
  }
  return into;
}

/** The distinct mailbox addresses (lower case) in one text node's words, helpdesk-own addresses left out. */
export function mailboxAddresses(detector: Detector, text: string, into: string[] = []): string[] {
  return addressesIn(text, Infinity, detector.isMailboxAddress, into);
}

/**
 * The mailbox addresses in an element's whole textContent, where the words of neighbouring elements are glued
 * ("a@x.comForward"): null when the glue may have merged or changed them: an '@' that is in no match, or
 * more than one mailbox (a row repeating its own address must not read as a list).
 */
export function gluedAddresses(detector: Detector, text: string, at: number): string[] | null {
  if (at === 1) {
    // A list's row: its one address found from its '@' (the pattern's first match, without trying it at every
    // letter of the row's words).
    const address = addressAt(text, text.indexOf('@'))?.toLowerCase();
    return address === undefined ? null : detector.isMailboxAddress(address) ? [address] : [];
  }
  const found = mailboxAddresses(detector, text);
  return found.length <= 1 && text.match(ADDRESS)?.length === at ? found : null;
}

/** The address written around the '@' at `at`: ADDRESS's first match from the last space before it. */
function addressAt(text: string, at: number): string | undefined {
  ADDRESS.lastIndex = text.lastIndexOf(' ', at) + 1;
  return ADDRESS.exec(text)?.[0];
}

/** How many '@' a text holds: an upper bound on its addresses, read without a regular expression. */
export function atSigns(text: string): number {
  let n = 0;
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) n++;
  return n;
}
