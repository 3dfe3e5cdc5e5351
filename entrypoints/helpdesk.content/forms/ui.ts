/**
 * What the form assistants draw on a helpdesk's settings screens, each in its own shadow root: a mark next
 * to a field that is wrong (the problem and the fix), and one panel of actions per screen. Only what
 * changed is touched, so the page's observers (and ours) see no churn.
 */
import { startVerifyFor, type StartVerifyFor } from '../../../lib/assist-messages';
import { h, shadowHost, type Child } from '../dom';
import type { AssistContext } from '../detectors/types';
import { putAt, spotAfter, type Spot } from '../mark-spot';
import { SHADOW_BASE_CSS } from '../shadow-theme';
import panelCss from '../styles/panel.css?inline';
import fieldMarkCss from '../styles/field-mark.css?inline';

export const FIELD_MARK_TAG = 'reauth-assist-field-mark';
export const PANEL_TAG = 'reauth-assist-panel';

// Beside a field in ordinary flow, a mark is a block under it. Inside a table or grid cell it is out of the
// flow (the cell's box never changes): a pill right after the field that opens over the page when clicked.
const MARK_CSS = SHADOW_BASE_CSS + fieldMarkCss;

export const PANEL_CSS = SHADOW_BASE_CSS + panelCss;

const CELL = 'td, th, [role="cell"], [role="gridcell"], [role="rowheader"], [role="columnheader"]';

/** Is a spot inside a table or grid cell (or a web component's row), where anything in the flow grows the cell? */
function inCell(spot: Spot): boolean {
  if ('overlay' in spot) return true;
  const parent = spot.parent;
  if (parent.nodeType !== 1) return true;
  const el = parent as Element;
  return el.closest(CELL) !== null || (el.parentElement?.matches('tr, [role="row"]') ?? false);
}

export interface FieldProblem {
  /** Which field (stable across scans). */
  key: string;
  control: Element;
  rule: string;
  problem: string;
  fix: string;
  /** The few words on the closed mark (default: "Reauth Assist: fix this field"). */
  title?: string;
}

interface PlacedMark {
  host: HTMLElement;
  sig: string;
}

/** The marks next to fields, kept equal to the latest findings. */
export class FieldMarks {
  private marks = new Map<string, PlacedMark>();

  constructor(private readonly doc: Document) {}

  sync(problems: readonly FieldProblem[]): void {
    const wanted = new Set(problems.map((p) => p.key));
    for (const [key, mark] of this.marks) {
      if (!wanted.has(key)) {
        mark.host.remove();
        this.marks.delete(key);
      }
    }
    for (const p of problems) {
      const sig = `${p.rule}|${p.problem}|${p.fix}|${p.title ?? ''}`;
      let mark = this.marks.get(p.key);
      if (!mark) {
        mark = { host: shadowHost(this.doc, FIELD_MARK_TAG, 'field-mark', MARK_CSS).host, sig: '' };
        this.marks.set(p.key, mark);
      }
      // Right after the control, never where it would take a cell's place (mark-spot.ts), back in place if
      // the page re-rendered around it. Inside a cell it stays out of the flow, so the cell's box never changes.
      const spot = spotAfter(p.control);
      if (!putAt(mark.host, spot)) continue;
      const flow = inCell(spot) ? 'overlay' : 'block';
      if (mark.host.getAttribute('data-flow') !== flow) {
        mark.host.setAttribute('data-flow', flow);
        mark.sig = '';
      }
      if (mark.sig !== sig) {
        const root = mark.host.shadowRoot!;
        while (root.childNodes.length > 1) root.lastChild!.remove();
        root.append(
          h(
            this.doc,
            'details',
            flow === 'block' ? { open: '' } : null,
            h(this.doc, 'summary', { title: p.problem }, `\u26a0 ${p.title ?? 'Reauth Assist: fix this field'}`),
            h(this.doc, 'p', { role: 'note' }, h(this.doc, 'b', null, 'Reauth Assist: '), p.problem),
            h(this.doc, 'p', null, h(this.doc, 'b', null, 'Fix: '), p.fix),
          ),
        );
        mark.host.setAttribute('data-reauth-field', p.key);
        mark.host.setAttribute('data-reauth-rule', p.rule);
        mark.sig = sig;
      }
    }
  }

  dispose(): void {
    for (const mark of this.marks.values()) mark.host.remove();
    this.marks.clear();
  }
}

/** One panel of actions, in a shadow root, placed after `anchor` (the screen's form or list). */
export class Panel {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  private body: HTMLElement;

  constructor(
    private readonly doc: Document,
    kind: string,
    title: string,
  ) {
    const { host, root } = shadowHost(doc, PANEL_TAG, kind, PANEL_CSS);
    this.host = host;
    this.root = root;
    this.body = h(doc, 'section', { 'aria-label': title }, h(doc, 'h2', null, title));
    root.append(this.body);
  }

  el(tag: string, attrs: Record<string, string> | null, ...children: Child[]): HTMLElement {
    return h(this.doc, tag, attrs, ...children);
  }

  /** Adds a part of the panel (built once; parts update their own content). */
  add(...parts: HTMLElement[]): void {
    this.body.append(...parts);
  }

  /**
   * After the screen's form or list (never inside a row or grid, and nothing above it moves): the page's
   * own content keeps its place while we run.
   */
  place(anchor: Element): void {
    putAt(this.host, spotAfter(anchor));
  }

  dispose(): void {
    this.host.remove();
  }
}

/** Replaces an element's content with new children (text is always text, never HTML). */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** Asks the worker to open the verify page for a mailbox; `out` says what happened and what to do there. */
export function requestVerify(
  panel: Panel,
  out: HTMLElement,
  ask: AssistContext['ask'],
  message: StartVerifyFor,
  then: string,
): void {
  fill(out, 'Opening the verify page…');
  void ask(startVerifyFor, message).then((answer) =>
    fill(
      out,
      answer.ok
        ? panel.el(
            'span',
            { class: 'ok' },
            `The verify page for ${message.mailbox} is open in a new tab: sign in there as ${message.mailbox}, ` +
              `then ${then}`,
          )
        : panel.el('span', { class: 'error' }, answer.error),
    ),
  );
}
