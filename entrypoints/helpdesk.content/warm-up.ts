/**
 * A list's first rows read cold cost several times what later rows do: the engine compiles the scan's
 * regular expressions and functions on first use. Read once, in idle time after the first look, a small
 * made-up list in a detached document of our own: a list the page renders later is then read at full speed
 * from its first row. Nothing of it reaches the page, the marks or the worker.
 */
import type { Detector } from './detectors/types';
import { scanRegion } from './scan';

/** Enough rows for the engine to compile the scan's hot paths, few enough to stay cheap. */
const ROWS = 180;
export function warmUp(detector: Detector, doc: Document): void {
  // Inert: a document made by createHTMLDocument runs no script and loads nothing.
  const scratch = doc.implementation.createHTMLDocument('');
  let html = '';
  // A broken row and a connected one: a list's rows are read along these two paths (controls are looked up later).
  for (let i = 0; i < ROWS; i++) html += `<li>w${i}@a.invalid <b>${i % 2 ? 'connected' : 'needs reauthorization'}</b>`;
  scratch.body.innerHTML = html;
  scanRegion(detector, scratch.body, 'multi');
}
