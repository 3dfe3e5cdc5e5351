/**
 * Companion state pushed by the worker over one runtime port per page, shared by every panel of the page:
 * on connect, on every verification step, handoff and poll. A stopped worker drops the port; the page
 * reconnects, which wakes it (and makes it poll the companion).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { COMPANION_STATE_PORT, type CompanionPopupState } from '../../lib/companion-ui';

/** A hook for state a worker pushes as `{ kind, state }` over the named port (one port per page, shared). */
export function livePortState<T>(portName: string, kind: string): () => T | null {
  let latest: T | null = null;
  const listeners = new Set<(state: T) => void>();
  let port: Runtime.Port | null = null;

  const connect = (): void => {
    port = browser.runtime.connect({ name: portName });
    port.onMessage.addListener((message: unknown) => {
      const pushed = message as { kind?: string; state?: T };
      if (pushed.kind !== kind || pushed.state === undefined) return;
      latest = pushed.state;
      for (const listener of listeners) listener(pushed.state);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      if (listeners.size > 0) setTimeout(() => listeners.size > 0 && port === null && connect(), 250);
    });
  };

  return function useLiveState(): T | null {
    const [state, setState] = useState<T | null>(latest);
    useEffect(() => {
      listeners.add(setState);
      if (port === null) connect();
      else if (latest !== null) setState(latest);
      return () => {
        listeners.delete(setState);
        if (listeners.size === 0) {
          port?.disconnect();
          port = null;
        }
      };
    }, []);
    return state;
  };
}

export const useCompanionState = livePortState<CompanionPopupState>(COMPANION_STATE_PORT, 'companion-state');

/** The current time, ticking every `everyMs` while mounted: countdowns count down without a new push. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
