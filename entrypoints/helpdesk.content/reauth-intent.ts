/**
 * Notices the admin starting a reauthorization from a marked row, so the worker can force the account picker
 * on the helpdesk's own sign-in request (entrypoints/background/signin/helpdesk-flow). It only listens: passive
 * capture listeners that never call preventDefault or stopPropagation, so the page sees every event exactly
 * as before. The worker is told at pointerdown (or a key press), ahead of the click's navigation, and again at
 * the click for a pointer that moved. Synthetic events (isTrusted false: page scripts) are ignored.
 *
 * Also answers the worker's notices for a row's mark and the mark's own buttons.
 */
import { browser } from 'wxt/browser';
import { HELPDESK_FLOW_GUIDE, intentArmed, REAUTH_INTENT } from '../../lib/content-messages';
import type { helpdeskGuideStart, reauthIntent } from '../../lib/helpdesk-picker-messages';
import type { MessageOf } from '../../lib/message-contract';
import {
  MARK_ACTION_ATTR,
  MARK_ACTIONS,
  MARK_NOTICE_KIND,
  PRESS_ROW_CONTROL_KIND,
  type MarkNoticeRequest,
  type PressRowControlRequest,
} from '../../lib/helpdesk-picker';
import { addressesIn } from './addresses';
import { MARK_TAG, setMarkNotice } from './mark';
import { ADDRESS_ATTRIBUTE_NAMES, ADDRESS_ATTRIBUTES } from './scan';
import { above } from './tree';

/** Set by detection on a row that needs reauthorization (detection.ts ATTR_STATE), and on its control. */
const MARKED_ROW = '[data-reauth-state="needs-reauth"]';
const ROW_CONTROL = '[data-reauth-control]';
const CONTROL = 'a[href], button, [role="button"], [role="link"], input[type="button"], input[type="submit"]';
const KEYS = new Set(['Enter', ' ']);

/** The marked row an element is in, across shadow roots up to the document. */
function markedRowAround(el: Element): Element | null {
  return above(el, (a) => a.matches(MARKED_ROW));
}

function elementsOf(event: Event): Element[] {
  return event.composedPath().filter((n): n is Element => n instanceof Element);
}

/** The row a mark belongs to: its ancestor row, or the web-component row just before it. */
function rowOfMark(mark: Element): Element | null {
  return (
    markedRowAround(mark) ?? (mark.previousElementSibling?.matches(MARKED_ROW) ? mark.previousElementSibling : null)
  );
}

/** A row's words, and where it may write its mailbox outside them (mailto: links, tooltips), as the scan reads it. */
function rowText(row: Element): string {
  let text = `${row.textContent ?? ''} ${row.shadowRoot?.textContent ?? ''}`;
  for (const el of row.querySelectorAll(ADDRESS_ATTRIBUTES))
    for (const name of ADDRESS_ATTRIBUTE_NAMES) text += ` ${el.getAttribute(name) ?? ''}`;
  return text;
}

async function tell(row: Element, via: 'row-control' | 'mark-button'): Promise<boolean> {
  const candidates = addressesIn(rowText(row));
  if (candidates.length === 0) return false;
  try {
    const intent: MessageOf<typeof reauthIntent> = { kind: REAUTH_INTENT, candidates, via };
    return intentArmed(await browser.runtime.sendMessage(intent));
  } catch {
    return false;
  }
}

/** Every mark in the document (and in open shadow roots of rows) with the row it marks. */
function marksFor(doc: Document, address: string): HTMLElement[] {
  const found: HTMLElement[] = [];
  const visit = (root: Document | ShadowRoot) => {
    for (const mark of root.querySelectorAll<HTMLElement>(MARK_TAG)) {
      const row = rowOfMark(mark);
      if (row && addressesIn(rowText(row)).includes(address)) found.push(mark);
    }
    for (const row of root.querySelectorAll(MARKED_ROW)) if (row.shadowRoot) visit(row.shadowRoot);
  };
  visit(doc);
  return found;
}

/** The marked row listing `address` (in the document or an open shadow root of a row) and its own control. */
function rowControlFor(doc: Document, address: string): HTMLElement | null {
  const visit = (root: Document | ShadowRoot): HTMLElement | null => {
    for (const row of root.querySelectorAll(MARKED_ROW)) {
      if (!addressesIn(rowText(row)).includes(address)) continue;
      const control = row.querySelector(ROW_CONTROL) ?? row.shadowRoot?.querySelector(ROW_CONTROL);
      if (control instanceof HTMLElement) return control;
      const inner = row.shadowRoot ? visit(row.shadowRoot) : null;
      if (inner) return inner;
    }
    return null;
  };
  return visit(doc);
}

export function noticeReauthIntent(doc: Document): () => void {
  let lastTold: { row: Element; at: number } | null = null;

  const fromRow = (event: Event): void => {
    if (!event.isTrusted) return;
    const path = elementsOf(event);
    const mark = path.find((el) => el.localName === MARK_TAG);
    if (mark) return void fromMark(event, path, mark);
    const control = path.find((el) => el.matches(CONTROL));
    const row = control && markedRowAround(control);
    if (!row) return;
    // pointerdown and the click that follows it are one press: told once.
    if (lastTold?.row === row && event.timeStamp - lastTold.at < 1000) return;
    lastTold = { row, at: event.timeStamp };
    void tell(row, 'row-control');
  };

  const fromMark = async (event: Event, path: Element[], mark: Element): Promise<void> => {
    if (event.type !== 'click') return;
    const action = path.find((el) => el.hasAttribute(MARK_ACTION_ATTR))?.getAttribute(MARK_ACTION_ATTR);
    const row = rowOfMark(mark);
    if (!action || !row) return;
    if (action === MARK_ACTIONS.guide) {
      const [address] = addressesIn(rowText(row));
      const guide: MessageOf<typeof helpdeskGuideStart> | null = address
        ? { kind: HELPDESK_FLOW_GUIDE, address }
        : null;
      if (guide) void browser.runtime.sendMessage(guide).catch(() => undefined);
      return;
    }
    if (action === MARK_ACTIONS.reauthorize) {
      // The admin asked us to: the picker is forced first (if it can be), then the row's own control is pressed.
      await tell(row, 'mark-button');
      (row.querySelector(ROW_CONTROL) as HTMLElement | null)?.click();
    }
  };

  const onKey = (event: KeyboardEvent) => {
    if (KEYS.has(event.key)) fromRow(event);
  };
  const listening = new AbortController();
  const options = { capture: true, passive: true, signal: listening.signal } as const;
  for (const type of ['pointerdown', 'click', 'auxclick']) doc.addEventListener(type, fromRow, options);
  doc.addEventListener('keydown', onKey, options);

  const onMessage = (message: unknown, _sender: unknown, answer: (reply: { ok: boolean }) => void): undefined => {
    const press = message as Partial<PressRowControlRequest> | null;
    if (press?.kind === PRESS_ROW_CONTROL_KIND && typeof press.address === 'string') {
      // The worker forced the picker already (the popup's Reauthorize button): only the row's own control is pressed.
      const control = rowControlFor(doc, press.address);
      control?.scrollIntoView({ block: 'center' });
      control?.focus();
      control?.click();
      answer({ ok: control !== null });
      return;
    }
    const m = message as Partial<MarkNoticeRequest> | null;
    if (!m || m.kind !== MARK_NOTICE_KIND || typeof m.address !== 'string') return;
    const marks = marksFor(doc, m.address);
    const notice = m.notice && typeof m.text === 'string' ? { kind: m.notice, text: m.text } : null;
    for (const mark of marks) setMarkNotice(mark, notice);
    answer({ ok: marks.length > 0 });
  };
  browser.runtime.onMessage.addListener(onMessage);

  return () => {
    listening.abort();
    browser.runtime.onMessage.removeListener(onMessage);
  };
}
