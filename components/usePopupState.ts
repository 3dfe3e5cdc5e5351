/**
 * Live popup state: the worker pushes the whole state over a runtime port on connect and on every change.
 * An MV3 worker that is stopped drops the port; the page then reconnects, which wakes the worker again.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { POPUP_STATE_PORT, popupStateSchema, type PopupState } from '../lib/messages';

/** What the worker pushes over POPUP_STATE_PORT (entrypoints/background/view.ts). */
const pushedSchema = z.strictObject({ kind: z.literal('state'), state: popupStateSchema });

export function usePopupState(): PopupState | null {
  const [state, setState] = useState<PopupState | null>(null);
  useEffect(() => {
    let port: Runtime.Port | null = null;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      port = browser.runtime.connect({ name: POPUP_STATE_PORT });
      port.onMessage.addListener((message: unknown) => {
        const pushed = z.safeParse(pushedSchema, message);
        if (pushed.success) setState(pushed.data.state);
      });
      port.onDisconnect.addListener(() => {
        if (!closed) retry = setTimeout(connect, 250);
      });
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      port?.disconnect();
    };
  }, []);
  return state;
}
