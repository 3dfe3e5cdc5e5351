/**
 * The page's own status and error messages on a settings screen (a SupportCenter Plus fetch error, a Test
 * Connection result): the innermost message-like elements (live regions, alerts, elements whose class or id
 * says error / status / message / result) whose words read as a result. Never ours, never a container of
 * form fields.
 */
import { isStatusText } from '../../../lib/status-words';
import { isOurs } from '../ours';
import { isShown } from './fields';

const PLACES = [
  '[role="status"]',
  '[role="alert"]',
  '[aria-live]',
  'output',
  '[class*="error" i]',
  '[class*="status" i]',
  '[class*="alert" i]',
  '[class*="message" i]',
  '[class*="notice" i]',
  '[class*="result" i]',
  '[id*="error" i]',
  '[id*="status" i]',
  '[id*="message" i]',
  '[id*="result" i]',
].join(', ');
const FIELDS = 'input, select, textarea, button';
const MAX_TEXT = 600;

function ours(el: Element): boolean {
  for (let a: Element | null = el; a; a = a.parentElement) if (isOurs(a)) return true;
  return el.getRootNode() !== el.ownerDocument;
}

function words(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Distinct status texts on the page, in document order (at most `limit`). */
export function pageStatusTexts(doc: Document, limit = 3): string[] {
  const found: string[] = [];
  const candidates = [...doc.querySelectorAll(PLACES)].filter(
    (el) => !ours(el) && el.querySelector(FIELDS) === null && isShown(el),
  );
  for (const el of candidates) {
    const text = words(el);
    if (text.length < 3 || text.length > MAX_TEXT || !isStatusText(text)) continue;
    // The innermost message only: a wrapper repeating its child's words is the same message.
    if (candidates.some((other) => other !== el && el.contains(other) && words(other) === text)) continue;
    if (!found.includes(text)) found.push(text);
    if (found.length >= limit) break;
  }
  return found;
}
