/**
 * Keeps the page's marks equal to what is on the page now and reports the picture to the worker. The first
 * look (and a navigation, or a request from the worker) scans the whole page; after that only what the
 * page's mutations touched is scanned again: the rows they changed, the elements they added, the lists they
 * took rows from. Only what changed is touched, so an unchanged row never loses and regains an attribute
 * (no flicker) and no row is marked twice.
 */
import type { MailboxReport, PageReport } from '../../lib/messages';
import { takeChanges, type PageChanges } from './changes';
import type { Detector } from './detectors/types';
import { removeAttr, setAttr } from './dom';
import { MarkPlacer } from './mark-placer';
import { OUR_ATTR } from './ours';
import { ensurePageStyle, removePageStyles } from './page-style';
import {
  addressCount,
  exactAddress,
  isPageItself,
  laterControl,
  MULTIPLE,
  scanRegion,
  type Around,
  type MailboxRow,
  type PageScan,
  type RegionScan,
} from './scan';
import { createSummary, renderSummary, type SummaryContent } from './summary';
import { nothingTouched, QuietElements, touched, type Touched } from './touched';
import { above, up } from './tree';

export const ATTR_STATE = 'data-reauth-state';
export const ATTR_SCENARIO = 'data-reauth-scenario';
export const ATTR_PRIMARY = 'data-reauth-primary';
export const ATTR_CONTROL = 'data-reauth-control';
export const ATTR_FLASH = 'data-reauth-flash';

const FLASH_MS = 2000;
const MAX_STATUS_TEXT = 500;
const REPORT_EVERY_MS = 100;
/** A report waits this many times what the last one cost: on a page that keeps changing, reports (thousands of
 * mailboxes serialised for the worker) take at most a twentieth of the main thread. */
const REPORT_SHARE = 20;

/** Do the rows name two mailboxes or more? Stops at the second. */
function namesMany(rows: Iterable<MailboxRow>): boolean {
  let seen: string | undefined;
  for (const r of rows) {
    seen ??= r.address;
    if (r.address !== seen) return true;
  }
  return false;
}

/** What an update looked at: the caller observes the new shadow roots. */
export interface DetectionUpdate extends Omit<PageScan, 'rows'> {
  /** Parts of the page to watch for late shadow roots (the whole page on a first look, else added parts that hold
   * no mailbox): their empty elements may get one later. */
  looked: Element[];
}

export interface DetectionOptions {
  detector: Detector;
  doc: Document;
  /** Called with the whole picture whenever it changes (never twice in a row with the same content). */
  send: (report: PageReport) => void;
}

export class Detection {
  #rows = new Map<Element, MailboxRow>();
  /** Rows inside shadow roots (a native query from a light-DOM ancestor does not find them). */
  #shadowRows = new Set<Element>();
  #marks: MarkPlacer;
  #banner: Element | null = null;
  #summary: HTMLElement | null = null;
  #summarySig = '';
  #styledRoots = new Set<Document | ShadowRoot>();
  #styledNow = new Set<Document | ShadowRoot>();
  /** Controls outlined in this update (null: one in the document itself), styled in the marks' frame. */
  #toStyle = new Set<Element | null>();
  #lastReport = '';
  #flashTimers = new Map<Element, ReturnType<typeof setTimeout>>();
  #looked = false;
  #wasAgent = false;
  #reportTimer: ReturnType<typeof setTimeout> | undefined;
  #pictureUrl = '';
  #reportMs = 0;
  #quiet = new QuietElements();
  /** New rows whose control is outlined in the marks' frame (MailboxRow.later). */
  #controlsLater = new Set<MailboxRow>();

  readonly #options: DetectionOptions;

  constructor(options: DetectionOptions) {
    this.#options = options;
    this.#marks = new MarkPlacer(options.doc);
  }

  /**
   * Bring marks and report up to date with the page: with the watcher's change log, only what changed is
   * looked at; without one, the whole page. Returns what was scanned (for observing new shadow roots).
   */
  update(log?: PageChanges): DetectionUpdate {
    const { detector, doc } = this.#options;
    const changes = takeChanges(log);
    const agent = detector.isAgentScreen(doc.location ?? { pathname: '/', hostname: '' });
    const found: DetectionUpdate = { banner: null, shadowRoots: [], looked: [] };
    this.#styledNow.clear();
    let changed = true;
    if (!agent) {
      this.#clearAll();
    } else if (changes.full || !this.#looked || !this.#wasAgent) {
      this.#lookAtAll(found);
    } else {
      const t = changes.touched;
      // A shadow root attached to an element already on the page: its content is new to us.
      for (const host of changes.shadowHosts) t.dirty.add(host);
      changed = this.#follow(t, found);
    }
    this.#looked = true;
    this.#wasAgent = agent;
    found.banner = this.#banner;
    if (!changed && !changes.resend) return found;
    // The address this picture belongs to: a report sent later must not pair it with a newer address.
    this.#pictureUrl = doc.location?.href ?? '';
    // Before the marks' frame builds the new rows' marks: each is built once, with the right words.
    this.#marks.setMany(namesMany(this.#rows.values()));
    this.#marks.inFrame(() => {
      for (const el of this.#toStyle) this.#style(el);
      this.#toStyle.clear();
      this.#outlineControls();
      this.#renderSummary();
    });
    if (changes.resend) this.#lastReport = '';
    if (!changes.watched) this.#report(agent);
    else if (this.#reportTimer === undefined) {
      // After the marks, and at most every REPORT_EVERY_MS on a page that keeps changing: the page (and an
      // admin waiting for the marks) never waits for the report.
      this.#reportTimer = setTimeout(
        () => {
          this.#reportTimer = undefined;
          this.#report(this.#wasAgent);
        },
        this.#lastReport === '' ? 0 : Math.max(REPORT_EVERY_MS, this.#reportMs * REPORT_SHARE),
      );
    }
    return found;
  }

  /** Judge the watcher's records as they come (observe.ts Sift): true when what the log holds can matter. */
  readonly sift = (records: MutationRecord[], log: PageChanges): boolean => {
    touched(this.#options.detector, records, log.touched, this.#quiet);
    return !nothingTouched(log.touched);
  };

  #lookAtAll(found: DetectionUpdate): void {
    const scan = scanRegion(this.#options.detector, this.#options.doc, 'top');
    this.#reconcile([...this.#rows.keys()], scan);
    this.#applyBanner(scan.banner);
    found.shadowRoots.push(...scan.shadowRoots);
    found.looked.push(this.#options.doc.documentElement);
  }

  /** Apply the page's mutations: scan only the regions they touched. False when nothing they touched can matter. */
  #follow(t: Touched, found: DetectionUpdate): boolean {
    const { detector } = this.#options;
    for (const el of t.removed) if (!el.isConnected) this.#dropRowsIn(el);
    for (const row of this.#shadowRows) if (!row.isConnected) this.#clearRow(row);
    if (this.#banner && !this.#banner.isConnected) this.#applyBanner(null);
    if (t.oursRemoved) {
      this.#marks.restore();
      if (this.#summary && this.#banner && !this.#summary.isConnected) this.#summarySig = '';
    }

    const regions = new Set<Element>();
    let bannerTouched = false;
    const touch = (el: Element) => {
      if (!el.isConnected) return;
      const row = above(el, (a) => {
        if (a === this.#banner) bannerTouched = true;
        return this.#rows.has(a);
      });
      regions.add(row ?? el);
    };
    for (const el of t.dirty) touch(el);
    for (const [parent, added] of t.added) {
      // A parent that got most of its children in one go (a list rendered at once) is one region.
      if (added.length > 1 && added.length * 2 >= parent.childElementCount) touch(parent);
      else for (const el of added) touch(el);
    }
    for (const parent of t.shrunk) {
      if (!parent.isConnected) continue;
      // A list that still holds several mailboxes: its other rows keep their extent.
      if (above(parent, (a) => this.#rows.has(a)) || addressCount(this.#options.detector, parent) < 2) touch(parent);
    }
    if (regions.size === 0) return t.removed.length > 0 || t.oursRemoved;

    const multi = new Set<Element>();
    const queue = [...regions].filter((r) => !above(up(r), (a) => regions.has(a)));
    let bannerFound = false;
    const scanned = new Set<Element>();
    while (queue.length > 0) {
      const region = queue.pop()!;
      if (scanned.has(region) || !region.isConnected) continue;
      scanned.add(region);
      if (isPageItself(region)) {
        // The page's body itself changed: look at all of it.
        this.#lookAtAll(found);
        return true;
      }
      const wasRow = this.#rows.has(region);
      let scan = scanRegion(detector, region, wasRow ? 'multi' : 'unknown');
      // A known row that still holds just its mailbox keeps its extent; anything else is settled afresh.
      if (wasRow && !(scan.rows.length === 1 && scan.rows[0]!.row === region))
        scan = scanRegion(detector, region, 'unknown');
      if (scan.open || (scan.orphans && scan.holds !== MULTIPLE)) {
        const outside = this.#outside(region, scan, multi);
        if (outside instanceof Element) {
          queue.push(outside);
          continue;
        }
        if (scan.open) scan = scanRegion(detector, region, outside);
      }
      this.#reconcile(this.#rowsIn(region), scan);
      if (scan.banner) {
        bannerFound = true;
        this.#applyBanner(scan.banner);
      }
      found.shadowRoots.push(...scan.shadowRoots);
      // Added elements holding no mailbox yet (placeholders a page may fill through shadow roots it attaches
      // later); a list's own parts are not searched again (a large list is thousands of elements).
      if (scan.rows.length === 0) found.looked.push(region);
    }
    if (bannerTouched && !bannerFound) {
      // The banner's own words changed: is it still the banner?
      const banner = this.#banner;
      if (banner?.isConnected) {
        const scan = scanRegion(detector, banner, 'unknown');
        this.#applyBanner(scan.banner);
      }
    }
    return true;
  }

  /**
   * A region whose rows depend on their surroundings: either what is around it is now known well enough
   * (several mailboxes, or the page itself), or the larger element to scan instead.
   */
  #outside(region: Element, scan: RegionScan, multi: Set<Element>): Element | Around {
    let parent = up(region);
    if (scan.open) {
      if (!parent || isPageItself(parent)) return 'top';
      return addressCount(this.#options.detector, parent) >= 2 ? 'multi' : parent;
    }
    // A status or control with no row in the region: it belongs to a row only if an element around it holds
    // exactly one mailbox.
    for (; parent && !isPageItself(parent); parent = up(parent)) {
      if (multi.has(parent)) return 'unknown';
      const count = addressCount(this.#options.detector, parent);
      if (count >= 2) {
        multi.add(parent);
        return 'unknown';
      }
      if (count === 1) return parent;
    }
    return 'unknown';
  }

  /** The rows known inside a region (its own light DOM by a native query, shadow-root rows by climbing). */
  #rowsIn(region: Element): Element[] {
    const inside: Element[] = [];
    // No row known yet (a list rendered at once): no query through the region for them.
    if (this.#rows.size === 0) return inside;
    if (this.#rows.has(region)) inside.push(region);
    for (const el of region.querySelectorAll(`[${ATTR_STATE}]`)) if (this.#rows.has(el)) inside.push(el);
    for (const row of this.#shadowRows) if (above(up(row), (a) => a === region)) inside.push(row);
    return inside;
  }

  #dropRowsIn(el: Element): void {
    if (this.#rows.has(el)) this.#clearRow(el);
    for (const row of el.querySelectorAll(`[${ATTR_STATE}]`)) if (this.#rows.has(row)) this.#clearRow(row);
  }

  /** Rows that were in the scanned part of the page and are not any more lose everything; the rest are set. */
  #reconcile(before: readonly Element[], scan: PageScan): void {
    if (before.length > 0) {
      // A scan reads each row once: its rows are distinct.
      const next = new Set(scan.rows.map((r) => r.row));
      for (const row of before) if (!next.has(row)) this.#clearRow(row);
    }
    for (const r of scan.rows) this.#applyRow(r);
  }

  #applyRow(r: MailboxRow): void {
    const c = r.classification;
    const { row } = r;
    const prev = this.#rows.get(row);
    const want = c.state === 'needs-reauth' ? c.control : null;
    // A row new to us with none of our attributes (a row carrying one carries the state): only writes.
    const fresh = !prev && !row.hasAttribute(ATTR_STATE);
    setAttr(row, ATTR_STATE, c.state, fresh);
    if (c.state === 'needs-reauth') setAttr(row, ATTR_SCENARIO, c.scenario, fresh);
    else if (!fresh) removeAttr(row, ATTR_SCENARIO);
    if (r.primary) setAttr(row, ATTR_PRIMARY, 'true', fresh);
    else if (!fresh) removeAttr(row, ATTR_PRIMARY);

    // A known row's control is found now (it keeps its attribute); a new row's after the attributes.
    const control = want
      ? (r.control ?? (prev && r.later && laterControl(this.#options.detector, r, want)) ?? null)
      : null;
    if (want && r.later && !prev) this.#controlsLater.add(r);
    if (prev?.control && prev.control !== control) removeAttr(prev.control, ATTR_CONTROL);
    if (control) {
      setAttr(control, ATTR_CONTROL, want!, !prev);
      // The outline is painted in the marks' frame: our style goes in then (adding a style sheet costs).
      this.#toStyle.add(r.shadow ? control : null);
    }
    if (c.state === 'needs-reauth')
      this.#marks.place(row, { scenario: c.scenario, primary: r.primary, control: c.control });
    else if (prev) this.#marks.remove(row);
    if (!prev && r.shadow && row.getRootNode().nodeType === 11) this.#shadowRows.add(row);
    r.control = control;
    this.#rows.set(row, r);
  }

  /** In the marks' frame: the controls of the rows told by their words that were new in the last update. */
  #outlineControls(): void {
    for (const r of this.#controlsLater) {
      const c = r.classification;
      if (this.#rows.get(r.row) !== r || c.state !== 'needs-reauth' || !c.control) continue;
      const control = laterControl(this.#options.detector, r, c.control);
      if (!control) continue;
      r.control = control;
      control.setAttribute(ATTR_CONTROL, c.control);
      this.#style(r.shadow ? control : null);
    }
    this.#controlsLater.clear();
  }

  /** Our page style where el is (null: in the document itself). */
  #style(el: Element | null): void {
    const root = el ? (el.getRootNode() as Document | ShadowRoot) : this.#options.doc;
    if (root.nodeType !== 9 && root.nodeType !== 11) return;
    // Once per root and update: the check is a query, and a list may have thousands of controls.
    if (this.#styledNow.has(root)) return;
    this.#styledNow.add(root);
    ensurePageStyle(root);
    this.#styledRoots.add(root);
  }

  #clearRow(row: Element): void {
    const r = this.#rows.get(row);
    removeAttr(row, ATTR_STATE);
    removeAttr(row, ATTR_SCENARIO);
    removeAttr(row, ATTR_PRIMARY);
    removeAttr(row, ATTR_FLASH);
    if (r?.control) removeAttr(r.control, ATTR_CONTROL);
    this.#marks.remove(row);
    this.#rows.delete(row);
    this.#shadowRows.delete(row);
  }

  #clearAll(): void {
    for (const row of [...this.#rows.keys()]) this.#clearRow(row);
    this.#applyBanner(null);
  }

  #applyBanner(banner: Element | null): void {
    if (this.#banner && this.#banner !== banner) {
      removeAttr(this.#banner, OUR_ATTR);
      this.#summary?.remove();
      this.#summary = null;
      this.#summarySig = '';
    }
    this.#banner = banner;
    if (banner) setAttr(banner, OUR_ATTR, 'banner');
  }

  #renderSummary(): void {
    const banner = this.#banner;
    if (!banner) return;
    const doc = this.#options.doc;
    const content = this.#summaryContent(doc);
    // The summary names the first addresses only; the rest count.
    const sig =
      `${content.broken.length}|${content.connected}|${content.settingsUrl}|` +
      `${content.broken.slice(0, 50).join(' ')}`;
    if (!this.#summary) this.#summary = createSummary(doc, (address) => void this.reveal(address));
    if (sig !== this.#summarySig) {
      renderSummary(this.#summary, content);
      this.#summarySig = sig;
    }
    if (this.#summary.parentNode !== banner) banner.append(this.#summary);
  }

  #summaryContent(doc: Document): SummaryContent {
    const broken = new Set<string>();
    const connected = new Set<string>();
    for (const r of this.#rows.values()) {
      if (r.classification.state === 'needs-reauth') broken.add(r.address);
      else connected.add(r.address);
    }
    for (const a of broken) connected.delete(a);
    const origin = doc.location?.origin ?? '';
    return {
      broken: [...broken],
      connected: connected.size,
      settingsUrl: `${origin}${this.#options.detector.emailSettingsPath}`,
    };
  }

  /** Rows a large scan read from glued words get their address spelled from their texts (after the marks). */
  #spell(): void {
    let changed = false;
    for (const r of this.#rows.values()) {
      if (r.spelled) continue;
      r.spelled = true;
      const exact = r.row.isConnected ? exactAddress(this.#options.detector, r.row) : null;
      if (!exact || exact === r.address) continue;
      r.address = exact;
      changed = true;
    }
    if (changed) this.#renderSummary();
  }

  #report(agent: boolean): void {
    this.#spell();
    const start = performance.now();
    const byAddress = new Map<string, MailboxReport>();
    for (const r of this.#rows.values()) {
      const c = r.classification;
      const known = byAddress.get(r.address);
      // A mailbox in several rows (an incoming and an outgoing list): a row that needs reauthorization wins.
      if (known && (known.state !== 'connected' || c.state === 'connected')) continue;
      byAddress.set(r.address, {
        address: r.address,
        state: c.state,
        ...(c.state === 'needs-reauth' ? { scenario: c.scenario } : {}),
        primary: r.primary || !!known?.primary,
        ...(c.provider ? { provider: c.provider } : {}),
        statusText: c.statusText.slice(0, MAX_STATUS_TEXT),
      });
    }
    const mailboxes = [...byAddress.values()];
    const report: PageReport = {
      kind: 'page-report',
      helpdesk: this.#options.detector.helpdesk,
      url: this.#pictureUrl,
      bannerPresent: this.#banner !== null,
      mailboxes,
    };
    const key = JSON.stringify(report);
    if (key === this.#lastReport) return;
    // Pages outside the agent app send nothing, unless an earlier report from this tab must be cleared.
    if (!agent && this.#lastReport === '') return;
    this.#lastReport = key;
    this.#options.send(report);
    this.#reportMs = performance.now() - start;
  }

  /** Scroll to a mailbox's row and flash it. False when the page shows no such row. */
  reveal(address: string): boolean {
    this.#spell();
    const wanted = address.trim().toLowerCase();
    const row = [...this.#rows.values()].find((r) => r.address === wanted)?.row;
    if (!row?.isConnected) return false;
    row.scrollIntoView({ block: 'center', behavior: 'smooth' });
    this.#styledNow.clear();
    this.#style(row);
    // Restart the animation if it is already running.
    removeAttr(row, ATTR_FLASH);
    void (row as HTMLElement).offsetWidth;
    row.setAttribute(ATTR_FLASH, 'true');
    clearTimeout(this.#flashTimers.get(row));
    this.#flashTimers.set(
      row,
      setTimeout(() => {
        removeAttr(row, ATTR_FLASH);
        this.#flashTimers.delete(row);
      }, FLASH_MS),
    );
    return true;
  }

  /** Take everything we added back out of the page (extension reloaded or disabled). */
  dispose(): void {
    clearTimeout(this.#reportTimer);
    this.#reportTimer = undefined;
    this.#controlsLater.clear();
    this.#clearAll();
    this.#marks.dispose();
    for (const t of this.#flashTimers.values()) clearTimeout(t);
    removePageStyles(this.#styledRoots);
    this.#styledRoots.clear();
  }
}
