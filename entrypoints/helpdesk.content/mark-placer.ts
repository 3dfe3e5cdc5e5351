/**
 * Puts the marks (mark.ts) next to the rows that need reauthorization. The row attributes and the banner
 * summary are always complete at once; the visible mark, a small shadow-rooted element, is built right away
 * for the first few rows of an update (a real helpdesk's whole list) and, on a page with thousands of rows,
 * only as further rows come near the viewport. A mark, once placed, stays until its row is fixed or gone, so
 * scrolling never makes marks blink.
 */
import type { FixControl, ScenarioId } from '../../lib/scenarios';
import { createMark, markParent, signature, updateMark, type MarkContent } from './mark';

/** Marks built in the update itself; the rest wait until their row is near the viewport. */
const MARKS_AT_ONCE = 12;
/** Rows this far outside the viewport (one viewport height) get their marks before they scroll in. */
const NEAR_VIEWPORT = '100% 0px 100% 0px';

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
  private placed = new Map<Element, Placed>();
  private waiting = new Map<Element, RowMark>();
  private io: IntersectionObserver | null;
  private budget = MARKS_AT_ONCE;
  private many = false;

  constructor(private readonly doc: Document) {
    const IO = (doc.defaultView as (Window & typeof globalThis) | null)?.IntersectionObserver;
    this.io = IO ? new IO((entries) => this.onNear(entries), { rootMargin: NEAR_VIEWPORT }) : null;
  }

  /** A new update: a few marks may be built at once again. */
  beginUpdate(): void {
    this.budget = MARKS_AT_ONCE;
  }

  /** Several mailboxes on the page changes every mark's text (one broken mailbox raises the banner for all). */
  setMany(many: boolean): void {
    if (many === this.many) return;
    this.many = many;
    for (const [row, p] of this.placed) this.render(row, p.info);
  }

  place(row: Element, info: RowMark): void {
    if (this.placed.has(row) || this.budget > 0 || !this.io) {
      this.budget--;
      this.render(row, info);
      return;
    }
    if (!this.waiting.has(row)) this.io.observe(row);
    this.waiting.set(row, info);
  }

  remove(row: Element): void {
    const p = this.placed.get(row);
    if (p) {
      p.host.remove();
      this.placed.delete(row);
    }
    if (this.waiting.delete(row)) this.io?.unobserve(row);
  }

  /** The page took marks out (re-rendered a cell): put back those whose rows are still on the page. */
  restore(): void {
    for (const [row, p] of this.placed) if (!p.host.isConnected && row.isConnected) this.render(row, p.info);
  }

  dispose(): void {
    this.io?.disconnect();
    for (const p of this.placed.values()) p.host.remove();
    this.placed.clear();
    this.waiting.clear();
  }

  private content(info: RowMark): MarkContent {
    return { scenario: info.scenario, primaryOfMany: info.primary && this.many, manyMailboxes: this.many, control: info.control };
  }

  private render(row: Element, info: RowMark): void {
    const content = this.content(info);
    const sig = signature(content);
    let p = this.placed.get(row);
    if (!p) {
      p = { host: createMark(this.doc, content), sig, info };
      this.placed.set(row, p);
    } else if (p.sig !== sig) {
      updateMark(p.host, content);
      p.sig = sig;
    }
    p.info = info;
    const { parent, before } = markParent(row);
    // The page may have re-rendered the cell and dropped our mark: put it back, once.
    if (p.host.parentNode !== parent) parent.insertBefore(p.host, before);
  }

  private onNear(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const row = entry.target;
      const info = this.waiting.get(row);
      this.io!.unobserve(row);
      this.waiting.delete(row);
      if (info && row.isConnected) this.render(row, info);
    }
  }
}
