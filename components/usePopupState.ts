/**
 * Live popup state: the worker pushes the whole state over a runtime port on connect and on every change.
 * An MV3 worker that is stopped drops the port; the page then reconnects, which wakes the worker again.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { POPUP_STATE_PORT, type PopupState } from '../lib/messages';

export function usePopupState(): PopupState | null {
  const [state, setState] = useState<PopupState | null>(null);
  useEffect(() => {
    let port: Runtime.Port | null = null;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      port = browser.runtime.connect({ name: POPUP_STATE_PORT });
      port.onMessage.addListener((message: unknown) => {
        const pushed = message as { kind?: string; state?: PopupState };
        if (pushed.kind === 'state' && pushed.state !== undefined) setState(pushed.state);
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
