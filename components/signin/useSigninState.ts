/**
 * Sign-in state pushed by the worker over one runtime port per page (shared by every mailbox's panel): the
 * worker pushes on connect and on every change, so a popup reopened after it closed mid-flow shows where the
 * flow is now. A stopped worker drops the port; the page reconnects, which wakes it.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { SIGNIN_STATE_PORT, type SigninPopupState } from '../../lib/signin';

let latest: SigninPopupState | null = null;
const listeners = new Set<(state: SigninPopupState) => void>();
let port: Runtime.Port | null = null;

function connect(): void {
  port = browser.runtime.connect({ name: SIGNIN_STATE_PORT });
  port.onMessage.addListener((message: unknown) => {
    const pushed = message as { kind?: string; state?: SigninPopupState };
    if (pushed.kind !== 'signin-state' || !pushed.state) return;
    latest = pushed.state;
    for (const listener of listeners) listener(pushed.state);
  });
  port.onDisconnect.addListener(() => {
    port = null;
    if (listeners.size > 0) setTimeout(() => listeners.size > 0 && port === null && connect(), 250);
  });
}

export function useSigninState(): SigninPopupState | null {
  const [state, setState] = useState<SigninPopupState | null>(latest);
  useEffect(() => {
    listeners.add(setState);
    if (port === null) connect();
    else if (latest) setState(latest);
    return () => {
      listeners.delete(setState);
      if (listeners.size === 0) {
        port?.disconnect();
        port = null;
      }
    };
  }, []);
  return state;
}
