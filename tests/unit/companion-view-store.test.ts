/** What the popup sees about the companion survives a worker restart, and nothing stays "running" forever. */
import { describe, expect, it } from 'vitest';
import { MemorySession } from '../support/memory-session';
import { CompanionViewStore } from '../../entrypoints/background/companion/view-store';

describe('CompanionViewStore', () => {
  it('restores finished runs as they were and turns interrupted ones into a clear error', async () => {
    const session = new MemorySession();
    const before = new CompanionViewStore(session, () => undefined);
    await before.whenReady();
    before.runs.set('a@contoso.test', {
      mailbox: 'a@contoso.test',
      status: 'running',
      roundTrip: false,
      steps: [],
      startedAt: 1,
    });
    before.runs.set('b@contoso.test', {
      mailbox: 'b@contoso.test',
      status: 'done',
      roundTrip: true,
      steps: [],
      startedAt: 2,
    });
    before.handoffs.set('a@contoso.test', { mailbox: 'a@contoso.test', status: 'handing-over', at: 1 });
    before.monitored = { fetchedAt: 5, clockOffsetMs: 10, mailboxes: [], error: null };
    await before.save();

    const after = new CompanionViewStore(session, () => undefined);
    await after.whenReady();
    expect(after.runs.get('a@contoso.test')).toMatchObject({
      status: 'error',
      error: expect.stringContaining('Verify again'),
    });
    expect(after.runs.get('b@contoso.test')).toMatchObject({ status: 'done', roundTrip: true });
    expect(after.handoffs.get('a@contoso.test')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('Hand it over again'),
    });
    expect(after.monitored).toMatchObject({ fetchedAt: 5, clockOffsetMs: 10 });
  });

  it('tells the popup on every save, and writes in order', async () => {
    const session = new MemorySession();
    let told = 0;
    const store = new CompanionViewStore(session, () => told++);
    await store.whenReady();
    for (let i = 0; i < 5; i++) {
      store.runs.set('a@contoso.test', {
        mailbox: 'a@contoso.test',
        status: 'running',
        roundTrip: false,
        steps: [],
        startedAt: i,
      });
      void store.save();
    }
    await store.save();
    expect(told).toBe(6);
    expect(JSON.parse(session.data.companionView!).runs[0].startedAt).toBe(4);
  });
});
