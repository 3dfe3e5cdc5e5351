/**
 * Keeps a popover next to the button that opened it, inside the viewport: below the button (above when there is
 * no room below), its left edge at the button's, moved left when it would leave the screen. Computed from the
 * button's box rather than CSS anchor positioning: a pill at a row's right end can itself run past the screen's
 * edge, where position-area has no fallback that stays visible, and Firefox ESR has no anchor positioning.
 * Placed before each paint while open: on open and when its size changes (a ResizeObserver runs after layout,
 * before the frame is drawn), and on every scroll or resize.
 */

/** The popover's distance from its button and from the viewport's edges, in CSS pixels. */
const GAP = 4;
const EDGE = 8;

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

/** Follows from now until the returned function is called (the popover closed). */
export function followWhileOpen(button: Element, pop: HTMLElement): () => void {
  const win = button.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  if (!win) return () => undefined;
  const follow = (): void => placeNear(button, pop);
  const sized = win.ResizeObserver ? new win.ResizeObserver(follow) : null;
  sized?.observe(pop);
  win.addEventListener('scroll', follow, { capture: true, passive: true });
  win.addEventListener('resize', follow, { passive: true });
  return () => {
    sized?.disconnect();
    win.removeEventListener('scroll', follow, { capture: true });
    win.removeEventListener('resize', follow);
  };
}
