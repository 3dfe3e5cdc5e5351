/**
 * Puts the marks (mark.ts) next to the rows that need reauthorization. The row attributes are set at once;
 * the visible marks (and what else detection draws there: the banner summary, new rows' control outlines) are
 * drawn in the next animation frame, before the page paints it (no flicker, and the rows' attributes never
 * wait for them). The first few of an update are
 * built right away (a real helpdesk's whole list); on a page with thousands of rows the rest come as their
 * rows near the viewport. A mark belongs to its row's content: when the row element shows another mailbox,
 * the mark changes or goes with it. Where a mark goes is mark-spot.ts: inside a cell, never in the page's
 * layout, or anchored to a row that has no cell for it.
 */
import type { FixControl, ScenarioId } from '../../lib/scenarios';
import { createMark, signature, updateMark, type MarkContent } from './mark';
import { spotIn, type Spot } from './mark-spot';

/** Marks built in the update itself; the rest wait until their row is near the viewport. */
const MARKS_AT_ONCE = 12;
/** Rows this far outside the viewport (one viewport height) get their marks before they scroll in. */
const NEAR_VIEWPORT = '100% 0px 100% 0px';
const ANCHORED = 'data-reauth-anchored';

export interface RowMark {
  scenario: ScenarioId;
  primary: boolean;
  control: FixControl | null;
}

interface Placed {
  host: HTMLElement;
  sig: string;
  info: RowMark;
}

export class MarkPlacer {
  #placed = new Map<Element, Placed>();
  /** Rows whose marks are drawn in the next frame. */
  #queued = new Map<Element, RowMark>();
  #waiting = new Map<Element, RowMark>();
  #anchored = new Set<Element>();
  #io: IntersectionObserver | null;
  #frame = 0;
  #many = false;
  readonly #win: (Window & typeof globalThis) | null;

  readonly #doc: Document;

  constructor(doc: Document) {
    this.#doc = doc;
    this.#win = doc.defaultView as (Window & typeof globalThis) | null;
    const IO = this.#win?.IntersectionObserver;
    this.#io = IO ? new IO((entries) => this.#onNear(entries), { rootMargin: NEAR_VIEWPORT }) : null;
  }

  /** What else is drawn in the marks' frame (the banner summary): the latest only. */
  #frameWork: (() => void) | null = null;

  /** Draw something else of ours in the marks' frame: the rows' attributes never wait for it. */
  inFrame(draw: () => void): void {
    this.#frameWork = draw;
    this.#requestFrame();
  }

  /** Several mailboxes on the page changes every mark's text (one broken mailbox raises the banner for all). */
  setMany(many: boolean): void {
    if (many === this.#many) return;
    this.#many = many;
    for (const [row, p] of this.#placed) this.#render(row, p.info);
  }

  place(row: Element, info: RowMark): void {
    if (this.#placed.has(row)) {
      this.#render(row, info);
      return;
    }
    if (this.#waiting.has(row)) {
      this.#waiting.set(row, info);
      return;
    }
    this.#queued.set(row, info);
    this.#requestFrame();
  }

  #requestFrame(): void {
    if (this.#frame) return;
    const raf = this.#win?.requestAnimationFrame;
    // No frames (a simulated DOM): draw now.
    if (!raf) this.#drawQueued();
    else this.#frame = raf.call(this.#win, () => this.#drawQueued());
  }

  remove(row: Element): void {
    const p = this.#placed.get(row);
    if (p) {
      p.host.remove();
      this.#placed.delete(row);
    }
    this.#queued.delete(row);
    this.#anchored.delete(row);
    if (this.#waiting.delete(row)) this.#io?.unobserve(row);
  }

  /** The page took marks out (re-rendered a cell): put back those whose rows are still on the page. */
  restore(): void {
    for (const [row, p] of this.#placed) if (!p.host.isConnected && row.isConnected) this.#render(row, p.info);
  }

  dispose(): void {
    if (this.#frame) this.#win?.cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#frameWork = null;
    this.#io?.disconnect();
    this.#win?.removeEventListener('scroll', this.#follow, true);
    this.#win?.removeEventListener('resize', this.#follow);
    for (const p of this.#placed.values()) p.host.remove();
    this.#placed.clear();
    this.#queued.clear();
    this.#waiting.clear();
    this.#anchored.clear();
  }

  #drawQueued(): void {
    this.#frame = 0;
    const work = this.#frameWork;
    this.#frameWork = null;
    work?.();
    let budget = MARKS_AT_ONCE;
    const now: [Element, RowMark][] = [];
    for (const [row, info] of this.#queued) {
      if (!row.isConnected) continue;
      if (budget > 0 || !this.#io) {
        budget--;
        now.push([row, info]);
      } else {
        this.#io.observe(row);
        this.#waiting.set(row, info);
      }
    }
    this.#queued.clear();
    this.#renderAll(now);
  }

  /** All spots first, then all marks: reading styles between insertions would recompute them each time. */
  #renderAll(rows: readonly [Element, RowMark][]): void {
    const spots = rows.map(([row]) => spotIn(row));
    rows.forEach(([row, info], i) => {
      this.#render(row, info, spots[i]);
    });
  }

  #content(info: RowMark): MarkContent {
    return {
      scenario: info.scenario,
      primaryOfMany: info.primary && this.#many,
      manyMailboxes: this.#many,
      control: info.control,
    };
  }

  #render(row: Element, info: RowMark, known?: Spot): void {
    const content = this.#content(info);
    const sig = signature(content);
    let p = this.#placed.get(row);
    if (!p) {
      p = { host: createMark(this.#doc, content), sig, info };
      this.#placed.set(row, p);
    } else if (p.sig !== sig) {
      updateMark(p.host, content);
      p.sig = sig;
    }
    p.info = info;
    const spot = known ?? spotIn(row);
    if ('overlay' in spot) this.#anchor(row, p.host);
    // The page may have re-rendered the cell and dropped our mark: put it back, once.
    else if (p.host.parentNode !== spot.parent) spot.parent.insertBefore(p.host, spot.before);
  }

  /** A row with no cell for the mark: the mark lives in the top layer, kept at the row's right end. */
  #anchor(row: Element, host: HTMLElement): void {
    if (!host.hasAttribute(ANCHORED)) {
      host.setAttribute(ANCHORED, '');
      host.setAttribute('popover', 'manual');
    }
    if (host.parentNode !== this.#doc.documentElement) this.#doc.documentElement.append(host);
    if (!host.matches(':popover-open')) host.showPopover?.();
    if (this.#anchored.size === 0) {
      this.#win?.addEventListener('scroll', this.#follow, { capture: true, passive: true });
      this.#win?.addEventListener('resize', this.#follow, { passive: true });
    }
    this.#anchored.add(row);
    this.#position(row, host);
  }

  #position(row: Element, host: HTMLElement): void {
    // Its right edge at the row's right end (no transform: the pill is its popover's anchor).
    const box = row.getBoundingClientRect();
    host.style.setProperty('top', `${Math.round(box.top + 2)}px`);
    host.style.setProperty('right', `${Math.round(this.#doc.documentElement.clientWidth - box.right + 4)}px`);
  }

  readonly #follow = (): void => {
    for (const row of this.#anchored) {
      const host = this.#placed.get(row)?.host;
      if (host && row.isConnected) this.#position(row, host);
    }
  };

  #onNear(entries: IntersectionObserverEntry[]): void {
    const near: [Element, RowMark][] = [];
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const row = entry.target;
      const info = this.#waiting.get(row);
      this.#io!.unobserve(row);
      this.#waiting.delete(row);
      if (info && row.isConnected) near.push([row, info]);
    }
    this.#renderAll(near);
  }
}
