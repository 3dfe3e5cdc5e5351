/**
 * Keeps the page's marks equal to what is on the page now: scans, applies the difference (attributes, marks,
 * highlights, banner summary) and reports the picture to the worker. Only what changed is touched, so an
 * unchanged row never loses and regains an attribute (no flicker) and no row is marked twice.
 */
import type { MailboxReport, PageReport } from '../../lib/messages';
import type { Detector } from './detectors/types';
import { removeAttr, setAttr } from './dom';
import { createMark, markParent, signature, updateMark, type MarkContent } from './mark';
import { OUR_ATTR } from './ours';
import { ensurePageStyle, removePageStyles } from './page-style';
import { scanPage, type MailboxRow, type PageScan } from './scan';
import { createSummary, renderSummary, type SummaryContent } from './summary';

export const ATTR_STATE = 'data-reauth-state';
export const ATTR_SCENARIO = 'data-reauth-scenario';
export const ATTR_PRIMARY = 'data-reauth-primary';
export const ATTR_CONTROL = 'data-reauth-control';
export const ATTR_FLASH = 'data-reauth-flash';

const FLASH_MS = 2000;
const MAX_STATUS_TEXT = 500;

interface Mark {
  host: HTMLElement;
  sig: string;
}

export interface DetectionOptions {
  detector: Detector;
  doc: Document;
  /** Called with the whole picture whenever it changes (never twice in a row with the same content). */
  send: (report: PageReport) => void;
}

export class Detection {
  private rows = new Map<Element, MailboxRow>();
  private marks = new Map<Element, Mark>();
  private controls = new Map<Element, string>();
  private banner: Element | null = null;
  private summary: HTMLElement | null = null;
  private summarySig = '';
  private styledRoots = new Set<Document | ShadowRoot>();
  private lastReport = '';
  private flashTimers = new Map<Element, ReturnType<typeof setTimeout>>();

  constructor(private readonly options: DetectionOptions) {}

  get currentRows(): readonly MailboxRow[] {
    return [...this.rows.values()];
  }

  /** Scan the page and bring marks and report up to date. Returns the scan (for observing new shadow roots). */
  update(): PageScan {
    const { detector, doc } = this.options;
    const agent = detector.isAgentScreen(doc.location ?? { pathname: '/', hostname: '' });
    const scan: PageScan = agent ? scanPage(detector, doc) : { banner: null, rows: [], shadowRoots: [] };
    this.apply(scan);
    this.report(agent, scan);
    return scan;
  }

  private apply(scan: PageScan): void {
    const doc = this.options.doc;
    const next = new Map<Element, MailboxRow>();
    for (const r of scan.rows) if (!next.has(r.row)) next.set(r.row, r);

    for (const [row] of this.rows) if (!next.has(row)) this.clearRow(row);

    const addresses = new Set(scan.rows.map((r) => r.address));
    const many = addresses.size > 1;
    const nextControls = new Map<Element, string>();
    for (const r of next.values()) {
      const c = r.classification;
      setAttr(r.row, ATTR_STATE, c.state);
      if (c.state === 'needs-reauth') setAttr(r.row, ATTR_SCENARIO, c.scenario);
      else removeAttr(r.row, ATTR_SCENARIO);
      if (r.primary) setAttr(r.row, ATTR_PRIMARY, 'true');
      else removeAttr(r.row, ATTR_PRIMARY);

      if (c.state === 'needs-reauth') {
        this.placeMark(r.row, { scenario: c.scenario, primaryOfMany: r.primary && many, manyMailboxes: many, control: c.control });
        if (r.control && c.control) nextControls.set(r.control, c.control);
      } else {
        this.removeMark(r.row);
      }
    }
    for (const [el] of this.controls) if (!nextControls.has(el)) removeAttr(el, ATTR_CONTROL);
    for (const [el, kind] of nextControls) {
      setAttr(el, ATTR_CONTROL, kind);
      this.style(el);
    }
    for (const r of next.values()) this.style(r.row);
    this.controls = nextControls;
    this.rows = next;

    this.applyBanner(scan.banner, doc);
  }

  private style(el: Element): void {
    const root = el.getRootNode() as Document | ShadowRoot;
    if (root.nodeType !== 9 && root.nodeType !== 11) return;
    ensurePageStyle(root);
    this.styledRoots.add(root);
  }

  private placeMark(row: Element, content: MarkContent): void {
    const sig = signature(content);
    const { parent, before } = markParent(row);
    let mark = this.marks.get(row);
    if (!mark) {
      mark = { host: createMark(this.options.doc, content), sig };
      this.marks.set(row, mark);
    } else if (mark.sig !== sig) {
      updateMark(mark.host, content);
      mark.sig = sig;
    }
    // The page may have re-rendered the cell and dropped our mark: put it back, once.
    if (mark.host.parentNode !== parent) parent.insertBefore(mark.host, before);
  }

  private removeMark(row: Element): void {
    const mark = this.marks.get(row);
    if (!mark) return;
    mark.host.remove();
    this.marks.delete(row);
  }

  private clearRow(row: Element): void {
    removeAttr(row, ATTR_STATE);
    removeAttr(row, ATTR_SCENARIO);
    removeAttr(row, ATTR_PRIMARY);
    removeAttr(row, ATTR_FLASH);
    this.removeMark(row);
  }

  private applyBanner(banner: Element | null, doc: Document): void {
    if (this.banner && this.banner !== banner) {
      removeAttr(this.banner, OUR_ATTR);
      this.summary?.remove();
      this.summary = null;
      this.summarySig = '';
    }
    this.banner = banner;
    if (!banner) return;
    setAttr(banner, OUR_ATTR, 'banner');
    const content = this.summaryContent(doc);
    const sig = JSON.stringify(content);
    if (!this.summary) this.summary = createSummary(doc, (address) => void this.reveal(address));
    if (sig !== this.summarySig) {
      renderSummary(this.summary, content);
      this.summarySig = sig;
    }
    if (this.summary.parentNode !== banner) banner.append(this.summary);
  }

  private summaryContent(doc: Document): SummaryContent {
    const broken: string[] = [];
    const connected = new Set<string>();
    for (const r of this.rows.values()) {
      if (r.classification.state === 'needs-reauth') {
        if (!broken.includes(r.address)) broken.push(r.address);
      } else connected.add(r.address);
    }
    for (const a of broken) connected.delete(a);
    const origin = doc.location?.origin ?? '';
    return { broken, connected: connected.size, settingsUrl: `${origin}${this.options.detector.emailSettingsPath}` };
  }

  private report(agent: boolean, scan: PageScan): void {
    const mailboxes: MailboxReport[] = [];
    const seen = new Set<string>();
    for (const r of this.rows.values()) {
      if (seen.has(r.address)) continue;
      seen.add(r.address);
      const c = r.classification;
      mailboxes.push({
        address: r.address,
        state: c.state,
        ...(c.state === 'needs-reauth' ? { scenario: c.scenario } : {}),
        primary: r.primary,
        ...(c.provider ? { provider: c.provider } : {}),
        statusText: c.statusText.slice(0, MAX_STATUS_TEXT),
      });
    }
    const report: PageReport = {
      kind: 'page-report',
      helpdesk: this.options.detector.helpdesk,
      url: this.options.doc.location?.href ?? '',
      bannerPresent: scan.banner !== null,
      mailboxes,
    };
    const key = JSON.stringify(report);
    if (key === this.lastReport) return;
    // Pages outside the agent app send nothing, unless an earlier report from this tab must be cleared.
    if (!agent && this.lastReport === '') return;
    this.lastReport = key;
    this.options.send(report);
  }

  /** Scroll to a mailbox's row and flash it. False when the page shows no such row. */
  reveal(address: string): boolean {
    const wanted = address.trim().toLowerCase();
    const row = [...this.rows.values()].find((r) => r.address === wanted)?.row;
    if (!row || !row.isConnected) return false;
    row.scrollIntoView({ block: 'center', behavior: 'smooth' });
    this.style(row);
    // Restart the animation if it is already running.
    removeAttr(row, ATTR_FLASH);
    void (row as HTMLElement).offsetWidth;
    row.setAttribute(ATTR_FLASH, 'true');
    clearTimeout(this.flashTimers.get(row));
    this.flashTimers.set(
      row,
      setTimeout(() => {
        removeAttr(row, ATTR_FLASH);
        this.flashTimers.delete(row);
      }, FLASH_MS),
    );
    return true;
  }

  /** Take everything we added back out of the page (extension reloaded or disabled). */
  dispose(): void {
    for (const row of [...this.rows.keys()]) this.clearRow(row);
    for (const [el] of this.controls) removeAttr(el, ATTR_CONTROL);
    for (const t of this.flashTimers.values()) clearTimeout(t);
    this.rows.clear();
    this.controls.clear();
    this.applyBanner(null, this.options.doc);
    removePageStyles(this.styledRoots);
    this.styledRoots.clear();
  }
}
