/**
 * The mark next to a mailbox row that needs reauthorization: the scenario in plain words and its exact
 * steps, inside our own shadow root.
 */
import {
  PRIMARY_MAILBOX_STEPS,
  SCENARIOS,
  SHARED_BANNER_NOTE,
  type FixControl,
  type ScenarioId,
} from '../../lib/scenarios';
import { SCENARIO_4_OFFER, SCENARIO_EXTRA_NOTES } from '../../lib/advice';
import { MARK_ACTION_ATTR, MARK_ACTIONS, MARK_NOTICE_TEXT, type MarkNotice } from '../../lib/helpdesk-picker';
import { h, shadowHost } from './dom';

export const MARK_TAG = 'reauth-assist-mark';

export interface MarkContent {
  scenario: ScenarioId;
  /** The row is the primary mailbox of an account with several support emails (the seeds' Scenario 4). */
  primaryOfMany: boolean;
  /** More than one mailbox on the page: one broken mailbox raises the banner for everyone. */
  manyMailboxes: boolean;
  /** The control we highlighted in the row, if any. */
  control: FixControl | null;
}

const CONTROL_WORDS: Record<FixControl, string> = {
  'reauthorize-link': 'the Re-authorize link',
  'sign-in-with-microsoft': 'the Sign in with Microsoft button',
  'edit-icon': 'the edit (pencil) icon',
};

// Out of flow: drawn where the cell's content ends (its static position) or, anchored to a row, in the top
// layer; either way no cell, item or row of the page moves or grows.
const CSS = `
:host { all: initial; position: absolute; z-index: 2147483000; margin: 0 6px; width: max-content; max-width: 34em;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #3b1d00; }
:host([data-reauth-anchored]) { position: fixed; inset: auto; margin: 0; padding: 0; border: 0; background: none;
  overflow: visible; transform: translateX(-100%); }
details { background: #fff4e6; border: 1px solid #e8590c; border-radius: 6px; padding: 2px 8px; }
summary { cursor: pointer; font-weight: 600; color: #a33a00; }
ol, ul { margin: 4px 0 4px 1.2em; padding: 0; }
li { margin: 2px 0; }
p { margin: 4px 0; }
.label { font-weight: 600; }
.notice { font-weight: 600; }
button { font: inherit; margin: 2px 0; }
`;

export function signature(content: MarkContent): string {
  return `${content.scenario}|${content.primaryOfMany}|${content.manyMailboxes}|${content.control ?? ''}`;
}

/** The steps, built when the admin opens the mark: a page with thousands of rows pays only for the pill. */
function renderDetails(details: HTMLElement, doc: Document, content: MarkContent): void {
  const scenario = SCENARIOS[content.scenario];
  const notes = [
    ...scenario.notes,
    ...SCENARIO_EXTRA_NOTES[content.scenario],
    ...(content.manyMailboxes ? [SHARED_BANNER_NOTE] : []),
    ...(content.primaryOfMany ? [] : [SCENARIO_4_OFFER]),
  ];
  const parts = [
    h(doc, 'p', null, scenario.cause),
    content.control ? h(doc, 'p', null, `Press ${CONTROL_WORDS[content.control]} (outlined in the row).`) : null,
    // Reauth-intent (reauth-intent.ts) answers it: the account picker forced, then the row's own control pressed.
    content.control
      ? h(
          doc,
          'button',
          { type: 'button', [MARK_ACTION_ATTR]: MARK_ACTIONS.reauthorize },
          'Re-authorize with the account picker',
        )
      : null,
    h(doc, 'p', { class: 'label' }, `Steps (Scenario ${scenario.number}):`),
    h(doc, 'ol', { class: 'steps' }, ...scenario.steps.map((s) => h(doc, 'li', null, s))),
    content.primaryOfMany
      ? h(doc, 'p', { class: 'label' }, 'This is the primary address: reauthorize it this way (Scenario 4):')
      : null,
    content.primaryOfMany
      ? h(doc, 'ol', { class: 'primary-steps' }, ...PRIMARY_MAILBOX_STEPS.map((s) => h(doc, 'li', null, s)))
      : null,
    h(doc, 'ul', { class: 'notes' }, ...notes.map((n) => h(doc, 'li', null, n))),
  ];
  details.append(...parts.filter((p): p is HTMLElement => p !== null));
}

const contents = new WeakMap<ShadowRoot, MarkContent>();
const notices = new WeakMap<ShadowRoot, MarkNotice>();

function noticeElement(doc: Document, notice: MarkNotice): HTMLElement {
  const offerGuide = notice !== 'reauthorized';
  return h(
    doc,
    'p',
    { class: 'notice', 'data-reauth-notice': notice, role: 'status' },
    MARK_NOTICE_TEXT[notice],
    offerGuide ? ' ' : null,
    offerGuide ? h(doc, 'button', { type: 'button', [MARK_ACTION_ATTR]: MARK_ACTIONS.guide }, 'Guided sign-out') : null,
  );
}

function renderInto(root: ShadowRoot, doc: Document, content: MarkContent): void {
  contents.set(root, content);
  const notice = notices.get(root);
  const details = h(
    doc,
    'details',
    { part: 'mark', ...(notice ? { open: '' } : {}) },
    h(doc, 'summary', null, `Needs reauthorization: ${SCENARIOS[content.scenario].title}`),
    notice ? noticeElement(doc, notice) : null,
  );
  // Keep the style element (first child); replace the rest.
  while (root.childNodes.length > 1) root.lastChild!.remove();
  root.append(details);
}

/** What the helpdesk's own sign-in left the row with (the sign-in feature says); null takes it away. */
export function setMarkNotice(host: HTMLElement, notice: MarkNotice | null): void {
  const root = host.shadowRoot;
  const content = root && contents.get(root);
  if (!root || !content) return;
  if (notice) notices.set(root, notice);
  else notices.delete(root);
  renderInto(root, host.ownerDocument, content);
}

function onToggle(this: ShadowRoot, event: Event): void {
  const details = event.target as HTMLElement;
  const content = contents.get(this);
  if (!content || details.querySelector('.steps')) return;
  renderDetails(details, details.ownerDocument, content);
}

export function createMark(doc: Document, content: MarkContent): HTMLElement {
  const { host, root } = shadowHost(doc, MARK_TAG, 'mark', CSS);
  host.setAttribute('data-reauth-mark-scenario', content.scenario);
  // 'toggle' does not bubble; capture it at the root.
  root.addEventListener('toggle', onToggle, true);
  renderInto(root, doc, content);
  return host;
}

export function updateMark(host: HTMLElement, content: MarkContent): void {
  host.setAttribute('data-reauth-mark-scenario', content.scenario);
  const root = host.shadowRoot!;
  const wasOpen = root.querySelector('details')?.hasAttribute('open') ?? false;
  renderInto(root, host.ownerDocument, content);
  if (wasOpen) root.querySelector('details')!.setAttribute('open', '');
}
