/**
 * The popup draws once it knows the whole picture: the helpdesk tabs, the sign-in settings and flows, the
 * companion's state and the helpdesk picker's status. Until then the page stays a skeleton, so an admin
 * never sees "No Client ID", an empty list or a wrong count that the next push would correct.
 */
import { useLayoutEffect } from 'preact/hooks';
import { COMPANION_STATE_PORT, HELPDESK_PICKER_STATUS, POPUP_STATE_PORT, SIGNIN_STATE_PORT } from '../lib/page-ports';
import type { LivePortState } from './live-port-state';
import type { EarlyQuestions } from './popup-early';
import { loadHelpdeskPickerStatus } from './signin/useHelpdeskPicker';
import { useSigninState } from './signin/useSigninState';
import { usePopupState } from './usePopupState';
import { useCompanionState } from './verify/useCompanionState';

/** A worker that does not answer in this time gets the skeleton, then whatever arrives, rather than nothing. */
const PATIENCE_MS = 1500;

/** Set on <html> once the first complete picture is on screen (tests and `npm run bench` wait for it). */
export const READY_ATTR = 'data-popup-ready';
export const READY_MARK = 'reauth-popup-ready';

/** The ports the popup's picture comes over, by name (the popup's entry opens them first). */
const PICTURE_PORTS: ReadonlyArray<readonly [string, LivePortState<unknown>]> = [
  [POPUP_STATE_PORT, usePopupState],
  [SIGNIN_STATE_PORT, useSigninState],
  [COMPANION_STATE_PORT, useCompanionState],
];

/** `early`: the ports and question the popup's entry opened and sent before this code loaded. */
export function loadPopupPicture(early?: EarlyQuestions): Promise<unknown> {
  for (const [name, state] of PICTURE_PORTS) {
    const opened = early?.ports.get(name);
    if (opened) state.adopt(opened);
  }
  const all = Promise.all([
    ...PICTURE_PORTS.map(([, state]) => state.first()),
    loadHelpdeskPickerStatus(early?.answers.get(HELPDESK_PICKER_STATUS)),
  ]);
  return Promise.race([all, new Promise((resolve) => setTimeout(resolve, PATIENCE_MS))]);
}

/** Whether every part of the picture is known; marks the page ready the first time it is. */
export function usePopupReady(): boolean {
  const ready = usePopupState() !== null && useSigninState() !== null && useCompanionState() !== null;
  // A layout effect: the mark lands when the whole first picture is in the DOM (the next frame paints it), not
  // a frame later, when preact runs plain effects.
  useLayoutEffect(() => {
    if (!ready || document.documentElement.hasAttribute(READY_ATTR)) return;
    document.documentElement.setAttribute(READY_ATTR, 'true');
    performance.mark(READY_MARK);
  }, [ready]);
  return ready;
}
