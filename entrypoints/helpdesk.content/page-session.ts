/**
 * One page's detector, its detection and, for helpdesks with settings-form help, its assistant. On an
 * admin-added origin the page's structure picks the detector, and a single-page app may render its
 * settings screen late: until a structural detector recognises the page, each scan looks again.
 * Form edits change no DOM, so the assistant also follows the page's input and change events.
 */
import { messageFor, readReply } from '../../lib/message-contract';
import type { PageReport } from '../../lib/messages';
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

  constructor(
    private readonly doc: Document,
    private readonly send: (report: PageReport) => void,
    private readonly ask: AssistContext['ask'],
    private readonly detectors: readonly Detector[],
  ) {
    this.detector = pickDetector(detectors, doc.location, doc);
    this.detection = new Detection({ detector: this.detector, doc, send });
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
    return scan;
  }

  reveal(address: string): boolean {
    return this.detection.reveal(address);
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
    this.detection = new Detection({ detector, doc: this.doc, send: this.send });
    this.startAssistant();
  }

  private startAssistant(): void {
    this.assistant = this.detector.assist?.({ doc: this.doc, ask: this.ask }) ?? null;
  }

  // After the page's own listeners (they may fill a port or show fields), hence the task, not now.
  private readonly onEdit = (event: Event): void => {
    if (!this.assistant || (event.target instanceof Node && isOurs(event.target))) return;
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => this.assistant?.update(), 0);
  };
}

const SILENT = 'Reauth Assist did not answer. Reload this page and try again.';
const UNREACHABLE = 'Reauth Assist is not reachable (was it updated or reloaded?). Reload this page and try again.';

/** The worker's answer checked against the message's reply schema, or an admin-readable failure. */
export function askWorker(send: (message: unknown) => Promise<unknown>): AssistContext['ask'] {
  return (definition, fields) =>
    send(messageFor(definition, fields)).then(
      (answer) => readReply(definition, answer, SILENT),
      () => ({ ok: false, error: UNREACHABLE }),
    );
}
