/**
 * The mark next to a mailbox row that needs reauthorization, inside our own shadow root: a status pill (a real
 * button) that opens a popover in the top layer, anchored to the pill, with the scenario in plain words and its
 * exact steps. The popover never takes room in the page, so no row grows and nothing scrolls when it opens or
 * closes. The steps come from the worker when the admin opens the mark (lib/mark-messages.ts): the content
 * script keeps only the titles.
 */
import type { MarkDetails, MarkFacts } from '../../lib/mark-details';
import { SCENARIO_TITLES } from '../../lib/scenario-titles';
import { MARK_ACTION_ATTR, MARK_ACTIONS, MARK_NOTICE_TEXT, type MarkNotice } from '../../lib/helpdesk-picker';
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

interface MarkState {
  content: MarkContent;
  notice: MarkNotice | null;
  /** The details shown are for this signature ('' = not loaded). */
  loaded: string;
  pill: HTMLButtonElement;
  pop: HTMLElement;
  /** Opened for a notice, not by the admin: focus stays where it is. */
  quiet: boolean;
  /** Closed by Escape or the close button: focus returns to the pill. */
  returnFocus: boolean;
  stopFollowing: (() => void) | null;
}

const states = new WeakMap<ShadowRoot, MarkState>();

/** Short on the page (a cell has little room); the scenario is in its name and tooltip, and in the popover. */
function pillContent(doc: Document, content: MarkContent): (Node | string)[] {
  return ['Needs reauthorization', h(doc, 'span', { class: 'sr-only' }, `: ${SCENARIO_TITLES[content.scenario]}`)];
}

function noticeElement(doc: Document, notice: MarkNotice): HTMLElement {
  const offerGuide = notice !== 'reauthorized';
  return h(
    doc,
    'p',
    {
      class: `notice ${notice === 'reauthorized' ? 'pill ok' : 'warn-box'}`,
      'data-reauth-notice': notice,
      role: 'status',
    },
    MARK_NOTICE_TEXT[notice],
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

/** The popover's content for the current facts; the steps only once asked for (loadDetails). */
function renderPopover(root: ShadowRoot, state: MarkState): void {
  const doc = root.ownerDocument;
  const { content, notice } = state;
  const title = SCENARIO_TITLES[content.scenario];
  state.pop.replaceChildren(
    h(
      doc,
      'div',
      { class: 'head' },
      h(doc, 'p', { class: 'title', id: TITLE_ID }, title),
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
  state.loaded = '';
}

async function loadDetails(root: ShadowRoot, state: MarkState): Promise<void> {
  const sig = signature(state.content);
  if (state.loaded === sig) return;
  state.loaded = sig;
  const box = state.pop.querySelector('.details')!;
  const doc = root.ownerDocument;
  const source = helpSource();
  if (!source) {
    box.replaceChildren(h(doc, 'p', { class: 'error' }, NOT_RUNNING));
    return;
  }
  box.replaceChildren(h(doc, 'p', { class: 'muted' }, 'Loading the steps\u2026'));
  const answer = await source.markDetails(state.content);
  // The row changed while the worker answered: the newer facts load their own words.
  if (state.loaded !== sig) return;
  if (answer.ok) box.replaceChildren(...detailsParts(doc, answer.data));
  else {
    state.loaded = '';
    box.replaceChildren(h(doc, 'p', { class: 'error' }, `${answer.error} Close and open the mark to try again.`));
  }
}

function isOpen(pop: HTMLElement): boolean {
  return pop.matches(':popover-open');
}

function onBeforeToggle(root: ShadowRoot, state: MarkState, event: Event): void {
  const opening = (event as ToggleEvent).newState === 'open';
  state.pill.setAttribute('aria-expanded', String(opening));
  if (!opening) return;
  if (!state.pop.hasChildNodes()) renderPopover(root, state);
  state.stopFollowing?.();
  state.stopFollowing = followWhileOpen(state.pill, state.pop);
  void loadDetails(root, state);
}

function onToggle(state: MarkState, event: Event): void {
  if ((event as ToggleEvent).newState === 'open') {
    if (!state.quiet) state.pop.focus({ preventScroll: true });
    state.quiet = false;
    return;
  }
  state.stopFollowing?.();
  state.stopFollowing = null;
  // Closed by Escape or the close button: focus goes back to the pill (a click elsewhere keeps its own focus).
  if (state.returnFocus) state.pill.focus({ preventScroll: true });
  state.returnFocus = false;
}

function onKeyOrClose(state: MarkState, event: Event): void {
  const closing =
    event.type === 'keydown'
      ? (event as KeyboardEvent).key === 'Escape'
      : (event.target as Element | null)?.closest?.('.close') !== null;
  if (closing && isOpen(state.pop)) state.returnFocus = true;
}

export function createMark(doc: Document, content: MarkContent): HTMLElement {
  const { host, root } = shadowHost(doc, MARK_TAG, 'mark', CSS);
  host.setAttribute('data-reauth-mark-scenario', content.scenario);
  const pill = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'pill warn',
      part: 'mark',
      popovertarget: POPOVER_ID,
      'aria-controls': POPOVER_ID,
      'aria-haspopup': 'dialog',
      'aria-expanded': 'false',
    },
    ...pillContent(doc, content),
  ) as HTMLButtonElement;
  pill.title = SCENARIO_TITLES[content.scenario];
  const pop = h(doc, 'div', {
    id: POPOVER_ID,
    class: 'pop',
    popover: 'auto',
    role: 'dialog',
    'aria-labelledby': TITLE_ID,
    tabindex: '-1',
  });
  root.append(pill, pop);
  const state: MarkState = {
    content,
    notice: null,
    loaded: '',
    pill,
    pop,
    quiet: false,
    returnFocus: false,
    stopFollowing: null,
  };
  states.set(root, state);
  pop.addEventListener('beforetoggle', (event) => onBeforeToggle(root, state, event));
  pop.addEventListener('toggle', (event) => onToggle(state, event));
  pop.addEventListener('keydown', (event) => onKeyOrClose(state, event));
  pop.addEventListener('click', (event) => onKeyOrClose(state, event));
  // The popover's content is built when it first opens: a page with thousands of rows pays only for the pills.
  return host;
}

export function updateMark(host: HTMLElement, content: MarkContent): void {
  host.setAttribute('data-reauth-mark-scenario', content.scenario);
  const root = host.shadowRoot!;
  const state = states.get(root);
  if (!state) return;
  state.content = content;
  state.pill.replaceChildren(...pillContent(root.ownerDocument, content));
  state.pill.title = SCENARIO_TITLES[content.scenario];
  if (!state.pop.hasChildNodes()) return;
  renderPopover(root, state);
  if (isOpen(state.pop)) void loadDetails(root, state);
}

/**
 * What the helpdesk's own sign-in left the row with (the sign-in feature says); null takes it away. A new notice
 * opens the mark (in the top layer: the page does not move) without taking the admin's focus.
 */
export function setMarkNotice(host: HTMLElement, notice: MarkNotice | null): void {
  const root = host.shadowRoot;
  const state = root && states.get(root);
  if (!root || !state) return;
  const changed = state.notice !== notice;
  state.notice = notice;
  const open = isOpen(state.pop);
  renderPopover(root, state);
  if (open) void loadDetails(root, state);
  else if (notice && changed && host.isConnected) {
    state.quiet = true;
    state.pop.showPopover();
  }
}
