/**
 * Live popup state: the worker pushes the whole state over a runtime port on connect and on every change
 * (entrypoints/background/view.ts), validated here: a page never draws what the schema does not allow.
 */
import * as z from 'zod/mini';
import { popupStateSchema, type PopupState } from '../lib/messages';
import { POPUP_STATE_PORT } from '../lib/page-ports';
import { livePortState } from './live-port-state';

export const usePopupState = livePortState<PopupState>(POPUP_STATE_PORT, 'state', (state) => {
  const parsed = z.safeParse(popupStateSchema, state);
  return parsed.success ? parsed.data : null;
});
