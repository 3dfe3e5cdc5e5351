/**
 * State a worker pushes as `{ kind, state }` over a named runtime port (one port per page, shared by every
 * component that reads it), on connect and on every change. A stopped worker drops the port; the page
 * reconnects, which wakes it. `first()` lets the page wait for the first picture before it renders anything,
 * so nothing is drawn from a half-known state (the popup's "no wrong state while loading").
 */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import type { EarlyPort, PagePort } from './popup-early';

export interface LivePortState<T> {
  (): T | null;
  /** Resolves with the first state pushed (connecting if nothing is connected yet). */
  first(): Promise<T>;
  /** Takes over a port the page opened before this code loaded, with what it received meanwhile. */
  adopt(early: EarlyPort): void;
}

export function livePortState<T>(portName: string, kind: string, accept?: (state: unknown) => T | null) {
  let latest: T | null = null;
  const listeners = new Set<(state: T) => void>();
  const waiting: Array<(state: T) => void> = [];
  let port: PagePort | null = null;

  const receive = (message: unknown): void => {
    const pushed = message as { kind?: string; state?: unknown };
    if (pushed.kind !== kind || pushed.state === undefined) return;
    const state = accept ? accept(pushed.state) : (pushed.state as T);
    if (state === null) return;
    latest = state;
    for (const listener of listeners) listener(state);
    for (const resolve of waiting.splice(0)) resolve(state);
  };
  const listen = (opened: PagePort): void => {
    port = opened;
    opened.onMessage.addListener(receive);
    opened.onDisconnect.addListener(() => {
      port = null;
      const wanted = () => listeners.size > 0 || waiting.length > 0;
      if (wanted()) setTimeout(() => wanted() && port === null && connect(), 250);
    });
  };
  const connect = (): void => listen(browser.runtime.connect({ name: portName }));
  const adopt = (early: EarlyPort): void => {
    early.stopKeeping();
    if (port !== null || early.dropped) {
      early.port.disconnect();
      return;
    }
    listen(early.port);
    for (const message of early.received) receive(message);
  };

  const useLiveState = (): T | null => {
    const [state, setState] = useState<T | null>(latest);
    useEffect(() => {
      listeners.add(setState);
      if (port === null) connect();
      else if (latest !== null) setState(latest);
      return () => {
        listeners.delete(setState);
        if (listeners.size === 0 && waiting.length === 0) {
          port?.disconnect();
          port = null;
        }
      };
    }, []);
    return state;
  };
  const first = (): Promise<T> => {
    if (latest !== null) return Promise.resolve(latest);
    const promise = new Promise<T>((resolve) => waiting.push(resolve));
    if (port === null) connect();
    return promise;
  };
  return Object.assign(useLiveState, { first, adopt }) as LivePortState<T>;
}
