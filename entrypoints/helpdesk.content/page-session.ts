/**
 * One page's detector, its detection and, for helpdesks with settings-form help, its assistant. On an
 * admin-added origin the page's structure picks the detector, once per navigation; a single-page app may
 * render its settings screen late, so until a structural detector recognises the page, a changing page is
 * asked again at most once a second.
 * Form edits change no DOM, so the assistant also follows the page's input and change events.
 */
import type { PageReport } from '../../lib/messages';
import type { PageChanges } from './changes';
import { Detection, type DetectionUpdate } from './detection';
import { pickDetector } from './detectors/pick';
import type { AssistContext, Detector, PageAssistant } from './detectors/types';
import { isOurs } from './ours';
import { warmUpWhenIdle } from './warm-up';

/** While no structural detector recognises the page, how often a changing page is asked again. */
const REPICK_MS = 1000;

export class PageSession {
  #detector: Detector;
  #pickedFor = '';
  #pickedAt = 0;
  #detection: Detection;
  #assistant: PageAssistant | null = null;
  #editTimer: ReturnType<typeof setTimeout> | undefined;
  /** The detection's latest report, before the assistant's mailboxes are added. */
  #detected: PageReport | null = null;
  /** The assistant's mailboxes in the report sent last (null: the detection's picture is not sent yet). */
  #extraSent: string | null = null;

  readonly #doc: Document;
  readonly #send: (report: PageReport) => void;
  readonly #ask: AssistContext['ask'];
  readonly #detectors: readonly Detector[];

  constructor(
    doc: Document,
    send: (report: PageReport) => void,
    ask: AssistContext['ask'],
    detectors: readonly Detector[],
  ) {
    this.#doc = doc;
    this.#send = send;
    this.#ask = ask;
    this.#detectors = detectors;
    this.#detector = this.#pick();
    this.#detection = new Detection({ detector: this.#detector, doc, send: this.#fromDetection });
    this.#startAssistant();
    doc.addEventListener('input', this.#onEdit, true);
    doc.addEventListener('change', this.#onEdit, true);
    warmUpWhenIdle(this.#detector, doc);
  }

  update(log?: PageChanges): DetectionUpdate {
    const href = this.#doc.location?.href ?? '';
    if (href !== this.#pickedFor || (!this.#detector.recognise && Date.now() - this.#pickedAt >= REPICK_MS)) {
      const next = this.#pick();
      if (next !== this.#detector) this.#switchTo(next);
    }
    const scan = this.#detection.update(log);
    // The detection's own reports arrive through fromDetection; the assistant's picture may change any time.
    if (this.#assistant) {
      this.#assistant.update();
      this.#sendReport();
    }
    return scan;
  }

  /** The watcher's records judged as they come (observe.ts Sift), by the detection and by a running assistant. */
  readonly sift = (records: MutationRecord[], log: PageChanges): boolean => {
    const matters = this.#detection.sift(records, log);
    return matters || (this.#assistant !== null && this.#detector.assistantSees?.(records) === true);
  };

  reveal(address: string): boolean {
    return this.#detection.reveal(address) || (this.#assistant?.reveal?.(address) ?? false);
  }

  dispose(): void {
    clearTimeout(this.#editTimer);
    this.#doc.removeEventListener('input', this.#onEdit, true);
    this.#doc.removeEventListener('change', this.#onEdit, true);
    this.#assistant?.dispose();
    this.#assistant = null;
    this.#detection.dispose();
  }

  #pick(): Detector {
    this.#pickedFor = this.#doc.location?.href ?? '';
    this.#pickedAt = Date.now();
    return pickDetector(this.#detectors, this.#doc.location, this.#doc);
  }

  #switchTo(detector: Detector): void {
    this.#assistant?.dispose();
    this.#detection.dispose();
    this.#detector = detector;
    this.#detection = new Detection({ detector, doc: this.#doc, send: this.#fromDetection });
    this.#startAssistant();
  }

  #startAssistant(): void {
    this.#assistant =
      this.#detector.assist?.({ doc: this.#doc, ask: this.#ask, changed: () => this.#sendReport() }) ?? null;
  }

  // Every report the detection sends goes out (the worker may have asked for it again).
  readonly #fromDetection = (report: PageReport): void => {
    this.#detected = report;
    this.#extraSent = null;
    this.#sendReport();
  };

  /**
   * The detection's picture with the assistant's mailboxes (its own words, the count it shows), when either
   * changed: the picture changes only through #fromDetection, so only the assistant's part is compared (a
   * picture of 1,500 mailboxes is not written out again to learn that it is new).
   */
  #sendReport(): void {
    const base = this.#detected;
    if (!base) return;
    const extra = this.#assistant?.mailboxes?.() ?? [];
    const key = JSON.stringify(extra);
    if (key === this.#extraSent) return;
    this.#extraSent = key;
    let report = base;
    if (extra.length) {
      const seen = new Set(base.mailboxes.map((m) => m.address));
      report = { ...base, mailboxes: [...base.mailboxes, ...extra.filter((m) => !seen.has(m.address))] };
    }
    this.#send(report);
  }

  // After the page's own listeners (they may fill a port or show fields), hence the task, not now.
  readonly #onEdit = (event: Event): void => {
    if (!this.#assistant || (event.target instanceof Node && isOurs(event.target))) return;
    clearTimeout(this.#editTimer);
    this.#editTimer = setTimeout(() => {
      this.#assistant?.update();
      this.#sendReport();
    }, 0);
  };
}
