/**
 * The popup's early questions (components/popup-early.ts) and their adoption by the page's live state
 * (components/live-port-state.ts): what the worker pushed before the UI loaded reaches the UI once, validated;
 * a port the worker dropped meanwhile is replaced by a new connection, never adopted.
 */
import { describe, expect, it, vi } from 'vitest';

type Listener = (message: unknown) => void;

/** A runtime port as the page sees it, whose messages the test delivers. */
function fakePort(name: string) {
  const onMessage = new Set<Listener>();
  const onDisconnect = new Set<() => void>();
  return {
    name,
    disconnected: false,
    onMessage: { addListener: (listener: Listener) => void onMessage.add(listener) },
    onDisconnect: { addListener: (listener: () => void) => void onDisconnect.add(listener) },
    disconnect() {
      this.disconnected = true;
    },
    push(message: unknown) {
      for (const listener of onMessage) listener(message);
    },
    drop() {
      for (const listener of onDisconnect) listener();
    },
  };
}

const connected: Array<ReturnType<typeof fakePort>> = [];
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      connect: ({ name }: { name: string }) => {
        const port = fakePort(name);
        connected.push(port);
        return port;
      },
    },
  },
}));

const { livePortState } = await import('../../components/live-port-state');
const { openEarly } = await import('../../components/popup-early');

/** Accepts only `{ count: number }`, as a page's schema would. */
const accept = (state: unknown) =>
  typeof state === 'object' && state !== null && typeof (state as { count?: unknown }).count === 'number'
    ? (state as { count: number })
    : null;

describe('a port opened early', () => {
  it('hands what it received before the UI listened to the UI, validated, and then what follows', async () => {
    const port = fakePort('counts');
    const early = openEarly(port);
    port.push({ kind: 'other', state: { count: 9 } });
    port.push({ kind: 'counts', state: { count: 'not a number' } });
    port.push({ kind: 'counts', state: { count: 1 } });
    const counts = livePortState('counts', 'counts', accept);
    counts.adopt(early);
    expect(await counts.first()).toEqual({ count: 1 });
    expect(connected).toHaveLength(0); // the early port is used, no second connection
    port.push({ kind: 'counts', state: { count: 2 } });
    expect(await counts.first()).toEqual({ count: 2 });
    expect(early.received).toHaveLength(3); // kept no more once adopted
  });

  it('is not adopted when the worker dropped it: the UI connects anew', async () => {
    const port = fakePort('dropped');
    const early = openEarly(port);
    port.drop();
    const state = livePortState('dropped', 'dropped', accept);
    state.adopt(early);
    const first = state.first();
    expect(connected.map((p) => p.name)).toContain('dropped');
    connected.find((p) => p.name === 'dropped')!.push({ kind: 'dropped', state: { count: 3 } });
    expect(await first).toEqual({ count: 3 });
  });
});
