/**
 * A list's first rows read cold cost several times what later rows do: the engine compiles the scan's
 * regular expressions and functions on first use, and optimises its per-row paths only after many rows. Read
 * in idle time after the first look, a small made-up list in a detached document of our own, again and again
 * a slice at a time: a list the page renders later is then read at full speed from its first row. Nothing of
 * it reaches the page, the marks or the worker.
 */
import type { Detector } from './detectors/types';
import { scanRegion } from './scan';

/**
 * Rows read in all. Measured on the detection bench's page (1,500 rows, 20 interleaved pages): 1,200 rows made
 * the page's list about a sixth faster to mark than 180 did.
 */
const ROWS = 1200;
/** Rows read at a time: a list (read row by row from 50 children), a slice that fits a short idle period. */
const SLICE = 60;
/** Idle time left that another slice needs: the page's own idle work is not pushed past its deadline. */
const SLICE_MS = 3;

/** `whenIdle` runs a slice in the page's idle time (again for each slice, until all rows are read). */
export function warmUp(detector: Detector, doc: Document, whenIdle: (step: IdleRequestCallback) => void): void {
  // Inert: a document made by createHTMLDocument runs no script and loads nothing.
  const scratch = doc.implementation.createHTMLDocument('');
  let html = '';
  // A broken row and a connected one with a control, each read in full three times (a letter makes three kinds
  // of each): the engine compiles the paths a page's first row of each kind takes too.
  for (let i = 0; i < SLICE; i++) {
    const status = i % 2 ? 'connected' : 'needs reauthorization';
    html += `<li>w${i}@a.invalid <b>${status}</b> ${'xyz'[i % 3]}<button aria-label=Edit class=edit></button>`;
  }
  scratch.body.innerHTML = html;
  let left = ROWS;
  const step: IdleRequestCallback = (deadline) => {
    do {
      scanRegion(detector, scratch.body, 'multi');
      left -= SLICE;
    } while (left > 0 && deadline.timeRemaining() > SLICE_MS);
    if (left > 0) whenIdle(step);
  };
  whenIdle(step);
}

/**
 * warmUp in the page's idle time (after the first look: the watcher looks at once), where the browser has it:
 * each content script's entry calls it beside making its detection.
 */
export function warmUpWhenIdle(detector: Detector, doc: Document): void {
  const win = doc.defaultView;
  if (win?.requestIdleCallback) warmUp(detector, doc, (step) => win.requestIdleCallback(step));
}
