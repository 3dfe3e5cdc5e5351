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
  // A broken row and a connected one with a control, each read in full three times (a letter makes three kinds
  // of each): the engine compiles the paths a page's first row of each kind takes too.
  for (let i = 0; i < ROWS; i++) {
    const status = i % 2 ? 'connected' : 'needs reauthorization';
    html += `<li>w${i}@a.invalid <b>${status}</b> ${'xyz'[i % 3]}<button aria-label=Edit class=edit></button>`;
  }
  scratch.body.innerHTML = html;
  scanRegion(detector, scratch.body, 'multi');
}
