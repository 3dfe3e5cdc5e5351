/**
 * Keeps a popover next to the button that opened it. Where the browser has CSS anchor positioning (Chromium),
 * the stylesheet does it and this does nothing; elsewhere (Firefox ESR) the popover's viewport position is
 * computed from the button's box on open and again on every scroll or resize while it stays open.
 */

/** The popover's distance from its button and from the viewport's edges, in CSS pixels. */
const GAP = 4;
const EDGE = 8;

function anchorsInCss(win: Window & typeof globalThis): boolean {
  return win.CSS?.supports?.('anchor-name: --a') ?? false;
}

/** Below the button (above when there is no room below), its left edges aligned, kept inside the viewport. */
export function placeNear(button: Element, pop: HTMLElement): void {
  const doc = button.ownerDocument;
  const box = button.getBoundingClientRect();
  const width = doc.documentElement.clientWidth;
  const height = doc.documentElement.clientHeight;
  const w = pop.offsetWidth;
  const hgt = pop.offsetHeight;
  let top = box.bottom + GAP;
  if (top + hgt > height - EDGE && box.top - GAP - hgt >= EDGE) top = box.top - GAP - hgt;
  const left = Math.max(EDGE, Math.min(box.left, width - w - EDGE));
  pop.style.setProperty('top', `${Math.round(top)}px`);
  pop.style.setProperty('left', `${Math.round(left)}px`);
}

/** Places the popover now and while it is open; returns what stops following. */
export function followWhileOpen(button: Element, pop: HTMLElement): () => void {
  const win = button.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  if (!win || anchorsInCss(win)) return () => undefined;
  const follow = (): void => placeNear(button, pop);
  follow();
  win.addEventListener('scroll', follow, { capture: true, passive: true });
  win.addEventListener('resize', follow, { passive: true });
  return () => {
    win.removeEventListener('scroll', follow, { capture: true });
    win.removeEventListener('resize', follow);
  };
}
