/**
 * One page's detector, its detection and, for helpdesks with settings-form help, its assistant. On an
 * admin-added origin the page's structure picks the detector, and a single-page app may render its
 * settings screen late: until a structural detector recognises the page, each scan looks again.
 * Form edits change no DOM, so the assistant also follows the page's input and change events.
 */
import type { PageReport, WorkerResponse } from '../../lib/messages';
import { Detection } from './detection';
import { pickDetector } from './detectors/pick';
import type { AssistContext, Detector, PageAssistant } from './detectors/types';
import { isOurs } from './ours';
import type { PageScan } from './scan';

export class PageSession {
  private detector: Detector;
  private detection: Detection;
  private assistant: PageAssistant | null = null;
  private editTimer: ReturnType<typeof setTimeout> | undefined;
  /** The detection's latest report, before the assistant's mailboxes are added. */
  private detected: PageReport | null = null;
  private lastSent = '';

  constructor(
    private readonly doc: Document,
    private readonly send: (report: PageReport) => void,
    private readonly ask: AssistContext['ask'],
    private readonly detectors: readonly Detector[],
  ) {
    this.detector = pickDetector(detectors, doc.location, doc);
    this.detection = new Detection({ detector: this.detector, doc, send: this.fromDetection });
    this.startAssistant();
    doc.addEventListener('input', this.onEdit, true);
    doc.addEventListener('change', this.onEdit, true);
  }

  get helpdesk(): Detector['helpdesk'] {
    return this.detector.helpdesk;
  }

  update(): PageScan {
    if (!this.detector.recognise) {
      const next = pickDetector(this.detectors, this.doc.location, this.doc);
      if (next !== this.detector) this.switchTo(next);
    }
    const scan = this.detection.update();
    this.assistant?.update();
    this.sendReport();
    return scan;
  }

  reveal(address: string): boolean {
    return this.detection.reveal(address) || (this.assistant?.reveal?.(address) ?? false);
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    this.doc.removeEventListener('input', this.onEdit, true);
    this.doc.removeEventListener('change', this.onEdit, true);
    this.assistant?.dispose();
    this.assistant = null;
    this.detection.dispose();
  }

  private switchTo(detector: Detector): void {
    this.assistant?.dispose();
    this.detection.dispose();
    this.detector = detector;
    this.detection = new Detection({ detector, doc: this.doc, send: this.fromDetection });
    this.startAssistant();
  }

  private startAssistant(): void {
    this.assistant = this.detector.assist?.({ doc: this.doc, ask: this.ask, changed: () => this.sendReport() }) ?? null;
  }

  // Every report the detection sends goes out (the worker may have asked for it again).
  private readonly fromDetection = (report: PageReport): void => {
    this.detected = report;
    this.lastSent = '';
    this.sendReport();
  };

  /** The detection's picture with the assistant's mailboxes (its own words, the count it shows), when it changed. */
  private sendReport(): void {
    const base = this.detected;
    if (!base) return;
    const extra = this.assistant?.mailboxes?.() ?? [];
    const seen = new Set(base.mailboxes.map((m) => m.address));
    const report: PageReport = extra.length ? { ...base, mailboxes: [...base.mailboxes, ...extra.filter((m) => !seen.has(m.address))] } : base;
    const key = JSON.stringify(report);
    if (key === this.lastSent) return;
    this.lastSent = key;
    this.send(report);
  }

  // After the page's own listeners (they may fill a port or show fields), hence the task, not now.
  private readonly onEdit = (event: Event): void => {
    if (!this.assistant || (event.target instanceof Node && isOurs(event.target))) return;
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      this.assistant?.update();
      this.sendReport();
    }, 0);
  };
}

/** The worker's answer, or an admin-readable failure when the worker cannot be reached. */
export function askWorker(send: (message: unknown) => Promise<unknown>): AssistContext['ask'] {
  return (message) =>
    send(message).then(
      (answer) => (answer as WorkerResponse | undefined) ?? { ok: false, error: 'Reauth Assist did not answer. Reload this page and try again.' },
      () => ({ ok: false, error: 'Reauth Assist is not reachable (was it updated or reloaded?). Reload this page and try again.' }),
    );
}
