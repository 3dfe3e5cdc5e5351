/**
 * The mark next to a mailbox row that needs reauthorization, inside our own shadow root: a status pill (a real
 * button) that opens a popover in the top layer, anchored to the pill, with the scenario in plain words and its
 * exact steps. The popover never takes room in the page, so no row grows and nothing scrolls when it opens or
 * closes. The steps come from the worker when the admin opens the mark (lib/mark-messages.ts): the content
 * script keeps only the titles.
 */
import type { MarkDetails, MarkFacts } from '../../lib/mark-details';
import { SCENARIO_TITLES } from '../../lib/scenario-titles';
import { MARK_ACTION_ATTR, MARK_ACTIONS, type MarkNotice } from '../../lib/helpdesk-picker';
import { h, shadowHost } from './dom';
import { helpSource, NOT_RUNNING } from './help-source';
import { SHADOW_BASE_CSS } from './shadow-theme';
import markCss from './styles/mark.css?inline';
import { followWhileOpen } from './popover-position';

export const MARK_TAG = 'reauth-assist-mark';

export type MarkContent = MarkFacts;

const POPOVER_ID = 'reauth-mark-popover';
const TITLE_ID = 'reauth-mark-title';

// The host sits out of flow where the cell's content ends (its static position) or, for a row with no cell
// for it, in the top layer (mark-placer.ts); the popover is always in the top layer.
const CSS = SHADOW_BASE_CSS + markCss;

export function signature(content: MarkContent): string {
  return `${content.scenario}|${content.primaryOfMany}|${content.manyMailboxes}|${content.control ?? ''}`;
}

/** Short on the page (a cell has little room); the scenario is in its name and tooltip, and in the popover. */
function pillContent(doc: Document, content: MarkContent): (Node | string)[] {
  return ['Needs reauthorization', h(doc, 'span', { class: 'sr-only' }, `: ${SCENARIO_TITLES[content.scenario]}`)];
}

/** What the helpdesk's own sign-in left the row with, in the worker's words. */
export interface MarkNoticeShown {
  kind: MarkNotice;
  text: string;
}

function noticeElement(doc: Document, { kind, text }: MarkNoticeShown): HTMLElement {
  const offerGuide = kind !== 'reauthorized';
  return h(
    doc,
    'p',
    {
      class: `notice ${kind === 'reauthorized' ? 'pill ok' : 'warn-box'}`,
      'data-reauth-notice': kind,
      role: 'status',
    },
    text,
    offerGuide ? ' ' : null,
    offerGuide ? h(doc, 'button', { type: 'button', [MARK_ACTION_ATTR]: MARK_ACTIONS.guide }, 'Guided sign-out') : null,
  );
}

function detailsParts(doc: Document, details: MarkDetails): HTMLElement[] {
  const list = (tag: string, cls: string, items: readonly string[]) =>
    h(doc, tag, { class: cls }, ...items.map((item) => h(doc, 'li', null, item)));
  const parts = [
    h(doc, 'p', null, details.cause),
    details.press ? h(doc, 'p', null, details.press) : null,
    h(doc, 'p', { class: 'label' }, details.stepsLabel),
    list('ol', 'steps', details.steps),
    details.primaryLabel ? h(doc, 'p', { class: 'label' }, details.primaryLabel) : null,
    details.primaryLabel ? list('ol', 'primary-steps', details.primarySteps) : null,
    list('ul', 'notes', details.notes),
  ];
  return parts.filter((p): p is HTMLElement => p !== null);
}

function isOpen(pop: HTMLElement): boolean {
  return pop.matches(':popover-open');
}

/**
 * One mark's pill and popover. Its state lives in private (#) fields and methods, whose names the minifier may
 * shorten (it must keep every plain property name: the page or the worker could read one).
 */
class Mark {
  #root: ShadowRoot;
  #content: MarkContent;
  #notice: MarkNoticeShown | null = null;
  /** The details shown are for this signature ('' = not loaded). */
  #loaded = '';
  #pill: HTMLElement;
  #pop: HTMLElement;
  /** Opened for a notice, not by the admin: focus stays where it is. */
  #quiet = false;
  /** Closed by Escape or the close button: focus returns to the pill. */
  #returnFocus = false;
  #stopFollowing: (() => void) | null = null;

  constructor(root: ShadowRoot, content: MarkContent) {
    const doc = root.ownerDocument;
    this.#root = root;
    this.#content = content;
    this.#pill = h(doc, 'button', {
      type: 'button',
      class: 'pill warn',
      part: 'mark',
      popovertarget: POPOVER_ID,
      'aria-controls': POPOVER_ID,
      'aria-haspopup': 'dialog',
      'aria-expanded': 'false',
    });
    const pop = h(doc, 'div', {
      id: POPOVER_ID,
      class: 'pop',
      popover: 'auto',
      role: 'dialog',
      'aria-labelledby': TITLE_ID,
      tabindex: '-1',
    });
    this.#pop = pop;
    this.#showPill();
    root.append(this.#pill, pop);
    pop.addEventListener('beforetoggle', (event) => this.#beforeToggle(event as ToggleEvent));
    pop.addEventListener('toggle', (event) => this.#toggled(event as ToggleEvent));
    pop.addEventListener('keydown', (event) => this.#keyOrClose(event));
    pop.addEventListener('click', (event) => this.#keyOrClose(event));
    // The popover's content is built when it first opens: a page with thousands of rows pays only for the pills.
  }

  update(content: MarkContent): void {
    this.#content = content;
    this.#showPill();
    if (!this.#pop.hasChildNodes()) return;
    this.#render();
    if (isOpen(this.#pop)) void this.#load();
  }

  setNotice(host: HTMLElement, notice: MarkNoticeShown | null): void {
    const changed = this.#notice?.kind !== notice?.kind;
    this.#notice = notice;
    const open = isOpen(this.#pop);
    this.#render();
    if (open) void this.#load();
    else if (notice && changed && host.isConnected) {
      this.#quiet = true;
      this.#pop.showPopover();
    }
  }

  #showPill(): void {
    this.#pill.replaceChildren(...pillContent(this.#root.ownerDocument, this.#content));
    this.#pill.title = SCENARIO_TITLES[this.#content.scenario];
  }

  /** The popover's content for the current facts; the steps only once asked for (#load). */
  #render(): void {
    const doc = this.#root.ownerDocument;
    const content = this.#content;
    const notice = this.#notice;
    this.#pop.replaceChildren(
      h(
        doc,
        'div',
        { class: 'head' },
        h(doc, 'p', { class: 'title', id: TITLE_ID }, SCENARIO_TITLES[content.scenario]),
        h(
          doc,
          'button',
          {
            type: 'button',
            class: 'close',
            popovertarget: POPOVER_ID,
            popovertargetaction: 'hide',
            'aria-label': 'Close',
          },
          '\u00d7',
        ),
      ),
      ...(notice ? [noticeElement(doc, notice)] : []),
      // Reauth-intent (reauth-intent.ts) answers it: the account picker forced, then the row's own control pressed.
      ...(content.control
        ? [
            h(
              doc,
              'div',
              { class: 'actions' },
              h(
                doc,
                'button',
                { type: 'button', class: 'primary', [MARK_ACTION_ATTR]: MARK_ACTIONS.reauthorize },
                'Re-authorize with the account picker',
              ),
            ),
          ]
        : []),
      h(doc, 'div', { class: 'details', 'aria-live': 'polite' }),
    );
    this.#loaded = '';
  }

  async #load(): Promise<void> {
    const sig = signature(this.#content);
    if (this.#loaded === sig) return;
    this.#loaded = sig;
    const box = this.#pop.querySelector('.details')!;
    const doc = this.#root.ownerDocument;
    const say = (cls: string, words: string) => box.replaceChildren(h(doc, 'p', { class: cls }, words));
    const source = helpSource();
    if (!source) return say('error', NOT_RUNNING);
    say('muted', 'Loading the steps\u2026');
    const answer = await source.markDetails(this.#content);
    // The row changed while the worker answered: the newer facts load their own words.
    if (this.#loaded !== sig) return;
    if (answer.ok) box.replaceChildren(...detailsParts(doc, answer.data));
    else {
      this.#loaded = '';
      say('error', `${answer.error} Close and open the mark to try again.`);
    }
  }

  #beforeToggle(event: ToggleEvent): void {
    const opening = event.newState === 'open';
    this.#pill.setAttribute('aria-expanded', String(opening));
    if (!opening) return;
    if (!this.#pop.hasChildNodes()) this.#render();
    this.#stopFollowing?.();
    this.#stopFollowing = followWhileOpen(this.#pill, this.#pop);
    void this.#load();
  }

  #toggled(event: ToggleEvent): void {
    if (event.newState === 'open') {
      if (!this.#quiet) this.#pop.focus({ preventScroll: true });
      this.#quiet = false;
      return;
    }
    this.#stopFollowing?.();
    this.#stopFollowing = null;
    // Closed by Escape or the close button: focus goes back to the pill (a click elsewhere keeps its own focus).
    if (this.#returnFocus) this.#pill.focus({ preventScroll: true });
    this.#returnFocus = false;
  }

  #keyOrClose(event: Event): void {
    const closing =
      event.type === 'keydown'
        ? (event as KeyboardEvent).key === 'Escape'
        : (event.target as Element | null)?.closest?.('.close') !== null;
    if (closing && isOpen(this.#pop)) this.#returnFocus = true;
  }
}

const marks = new WeakMap<ShadowRoot, Mark>();

export function createMark(doc: Document, content: MarkContent): HTMLElement {
  const { host, root } = shadowHost(doc, MARK_TAG, 'mark', CSS);
  host.setAttribute('data-reauth-mark-scenario', content.scenario);
  marks.set(root, new Mark(root, content));
  return host;
}

export function updateMark(host: HTMLElement, content: MarkContent): void {
  host.setAttribute('data-reauth-mark-scenario', content.scenario);
  const root = host.shadowRoot;
  if (root) marks.get(root)?.update(content);
}

/**
 * What the helpdesk's own sign-in left the row with (the sign-in feature says); null takes it away. A new notice
 * opens the mark (in the top layer: the page does not move) without taking the admin's focus.
 */
export function setMarkNotice(host: HTMLElement, notice: MarkNoticeShown | null): void {
  const root = host.shadowRoot;
  if (root) marks.get(root)?.setNotice(host, notice);
}
