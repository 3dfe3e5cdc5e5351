import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  HistoryDatabase,
  LAST_SEEN_RESOLUTION_MS,
  MailboxHistory,
  nextHistoryEntry,
} from '../../entrypoints/background/history';
import type { MailboxReport } from '../../lib/messages';

const ORIGIN = 'https://acme.freshdesk.com';
const SECOND = 1_000;
const broken = (address: string, scenario: MailboxReport['scenario'] = 'password-expired'): MailboxReport => ({
  address,
  state: 'needs-reauth',
  scenario,
  primary: false,
  statusText: 'Reauthorization required',
});
const fine = (address: string): MailboxReport => ({
  address,
  state: 'connected',
  primary: false,
  statusText: 'Active',
});

function freshHistory() {
  const db = new HistoryDatabase(`test-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  return { db, history: new MailboxHistory(db) };
}

describe('mailbox history transitions', () => {
  it('opens an episode when a mailbox is first seen broken', () => {
    expect(nextHistoryEntry(undefined, ORIGIN, broken('a@acme.com'), 100)).toEqual({
      key: `${ORIGIN}|a@acme.com`,
      origin: ORIGIN,
      address: 'a@acme.com',
      firstSeenBroken: 100,
      lastScenario: 'password-expired',
      seenFixed: null,
      lastSeen: 100,
    });
  });

  it('records a mailbox first seen connected without an episode', () => {
    const entry = nextHistoryEntry(undefined, ORIGIN, fine('a@acme.com'), 100);
    expect(entry).toMatchObject({ firstSeenBroken: null, lastScenario: null, seenFixed: null });
  });

  it('keeps the first-seen date while broken, follows the scenario, closes the episode when fixed', () => {
    const opened = nextHistoryEntry(undefined, ORIGIN, broken('a@acme.com', 'microsoft-basic-auth'), 100)!;
    expect(nextHistoryEntry(opened, ORIGIN, broken('a@acme.com', 'microsoft-basic-auth'), 200)).toBeNull();
    const rescoped = nextHistoryEntry(opened, ORIGIN, broken('a@acme.com', 'microsoft-oauth-expired'), 200)!;
    expect(rescoped).toMatchObject({ firstSeenBroken: 100, lastScenario: 'microsoft-oauth-expired', seenFixed: null });
    const fixed = nextHistoryEntry(rescoped, ORIGIN, fine('a@acme.com'), 300)!;
    expect(fixed).toMatchObject({
      firstSeenBroken: 100,
      lastScenario: 'microsoft-oauth-expired',
      seenFixed: 300,
      lastSeen: 300,
    });
    expect(nextHistoryEntry(fixed, ORIGIN, fine('a@acme.com'), 400)).toBeNull();
    const again = nextHistoryEntry(fixed, ORIGIN, broken('a@acme.com'), 500)!;
    expect(again).toMatchObject({ firstSeenBroken: 500, lastScenario: 'password-expired', seenFixed: null });
  });

  it('keeps the last known scenario when a later report cannot name one', () => {
    const opened = nextHistoryEntry(undefined, ORIGIN, broken('a@acme.com', 'microsoft-basic-auth'), 100)!;
    const unnamed = nextHistoryEntry(
      opened,
      ORIGIN,
      { ...broken('a@acme.com'), scenario: undefined },
      100 + LAST_SEEN_RESOLUTION_MS,
    )!;
    expect(unnamed.lastScenario).toBe('microsoft-basic-auth');
  });

  it('refreshes lastSeen alone only after a while', () => {
    const seen = nextHistoryEntry(undefined, ORIGIN, fine('a@acme.com'), 0)!;
    expect(nextHistoryEntry(seen, ORIGIN, fine('a@acme.com'), LAST_SEEN_RESOLUTION_MS - 1)).toBeNull();
    expect(nextHistoryEntry(seen, ORIGIN, fine('a@acme.com'), LAST_SEEN_RESOLUTION_MS)?.lastSeen).toBe(
      LAST_SEEN_RESOLUTION_MS,
    );
  });
});

describe('mailbox history in IndexedDB (dexie)', () => {
  it(
    'records reports per origin and address (lastSeen alone not rewritten within a minute) and lists episodes ' +
      'newest first',
    async () => {
      const { history } = freshHistory();
      expect(await history.record(ORIGIN, [broken('a@acme.com'), fine('b@acme.com')], 1 * SECOND)).toBe(2);
      expect(
        await history.record(
          'https://support.acme-helpdesk.test',
          [broken('a@acme.com', 'microsoft-basic-auth')],
          2 * SECOND,
        ),
      ).toBe(1);
      expect(await history.record(ORIGIN, [fine('a@acme.com'), fine('b@acme.com')], 3 * SECOND)).toBe(1);
      const episodes = await history.episodes();
      expect(episodes.map((e) => [e.origin, e.address, e.firstSeenBroken, e.seenFixed])).toEqual([
        [ORIGIN, 'a@acme.com', 1 * SECOND, 3 * SECOND],
        ['https://support.acme-helpdesk.test', 'a@acme.com', 2 * SECOND, null],
      ]);
      expect((await history.forOrigin(ORIGIN)).map((e) => e.address).sort()).toEqual(['a@acme.com', 'b@acme.com']);
    },
  );

  it('treats an address listed twice on one page as broken if either row is', async () => {
    const { history } = freshHistory();
    await history.record(ORIGIN, [fine('a@acme.com'), broken('a@acme.com')], SECOND);
    expect((await history.episodes())[0]).toMatchObject({
      address: 'a@acme.com',
      seenFixed: null,
      firstSeenBroken: SECOND,
    });
  });

  it('survives reopening the database', async () => {
    const indexedDB = new IDBFactory();
    const first = new HistoryDatabase('reopen', { indexedDB, IDBKeyRange });
    await new MailboxHistory(first).record(ORIGIN, [broken('a@acme.com')], SECOND);
    first.close();
    const reopened = new MailboxHistory(new HistoryDatabase('reopen', { indexedDB, IDBKeyRange }));
    expect((await reopened.episodes()).map((e) => e.address)).toEqual(['a@acme.com']);
  });

  it('writes nothing for a repeat report', async () => {
    const { history } = freshHistory();
    await history.record(ORIGIN, [broken('a@acme.com')], SECOND);
    expect(await history.record(ORIGIN, [broken('a@acme.com')], SECOND + 1)).toBe(0);
    expect(await history.record(ORIGIN, [], SECOND + 2)).toBe(0);
  });
});
