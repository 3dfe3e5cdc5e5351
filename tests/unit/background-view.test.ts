import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { PopupView } from '../../entrypoints/background/view';
import type { PopupState } from '../../lib/messages';

function fakePort() {
  const sent: unknown[] = [];
  let onDisconnect: (() => void) | undefined;
  const port = {
    postMessage: (message: unknown) => void sent.push(message),
    onDisconnect: {
      addListener: (listener: () => void) => {
        onDisconnect = listener;
      },
    },
  } as unknown as Runtime.Port;
  return { port, sent, disconnect: () => onDisconnect?.() };
}

afterEach(() => vi.useRealTimers());

describe('popup view', () => {
  it('assembles the state from the parts features provide', async () => {
    const view = new PopupView();
    expect(await view.snapshot()).toEqual({ tabs: [], history: [] });
    view.provide('tabs', async () => [{ tabId: 1 } as PopupState['tabs'][number]]);
    expect((await view.snapshot()).tabs).toEqual([{ tabId: 1 }]);
    expect(() => view.provide('tabs', async () => [])).toThrow(/Two providers/);
  });

  it('sends the state on attach, once per burst of changes, and stops after disconnect', async () => {
    vi.useFakeTimers();
    const view = new PopupView();
    let version = 0;
    view.provide('history', async () => [{ key: `v${version}` } as PopupState['history'][number]]);
    const page = fakePort();
    view.attach(page.port);
    await vi.runAllTimersAsync();
    expect(page.sent).toEqual([{ kind: 'state', state: { tabs: [], history: [{ key: 'v0' }] } }]);

    version = 1;
    view.changed();
    view.changed();
    view.changed();
    await vi.runAllTimersAsync();
    expect(page.sent).toHaveLength(2);
    expect(page.sent[1]).toEqual({ kind: 'state', state: { tabs: [], history: [{ key: 'v1' }] } });

    page.disconnect();
    view.changed();
    await vi.runAllTimersAsync();
    expect(page.sent).toHaveLength(2);
  });
});
