import { describe, expect, it } from 'vitest';
import { MemorySession } from '../support/memory-session';
import { affectedCount, TAB_STATE_KEY, TabStateStore } from '../../entrypoints/background/tab-state';
import { badgeFor } from '../../entrypoints/background/badge';
import type { MailboxReport, PageReport, TabState } from '../../lib/messages';

const ADMIN = 'https://acme.freshdesk.com/a/admin/email';
const broken = (address: string, primary = false): MailboxReport => ({
  address,
  state: 'needs-reauth',
  scenario: 'microsoft-oauth-expired',
  primary,
  statusText: 'Your Microsoft Office 365 credentials have expired. Please sign in again',
});
const fine = (address: string): MailboxReport => ({
  address,
  state: 'connected',
  primary: false,
  statusText: 'Active',
});
const reportOf = (mailboxes: MailboxReport[], url = ADMIN): PageReport => ({
  kind: 'page-report',
  helpdesk: 'freshdesk',
  url,
  bannerPresent: mailboxes.some((m) => m.state === 'needs-reauth'),
  mailboxes,
});

describe('tab state', () => {
  it("replaces a tab's picture with each report and tells listeners", async () => {
    const store = new TabStateStore(new MemorySession());
    const seen: Array<[number, number]> = [];
    store.subscribe((tabId, state) => seen.push([tabId, affectedCount(state)]));
    await store.applyReport(
      7,
      { title: 'Email | Acme', url: ADMIN },
      reportOf([broken('a@acme.com'), broken('b@acme.com'), fine('c@acme.com')]),
      1,
    );
    await store.applyReport(
      7,
      { title: 'Email | Acme', url: ADMIN },
      reportOf([fine('a@acme.com'), broken('b@acme.com'), fine('c@acme.com')]),
      2,
    );
    expect(seen).toEqual([
      [7, 2],
      [7, 1],
    ]);
    expect((await store.get(7))?.updatedAt).toBe(2);
  });

  it('forgets a tab when it closes or loads a new document, once', async () => {
    const store = new TabStateStore(new MemorySession());
    const seen: Array<number> = [];
    store.subscribe((tabId, state) => state === undefined && seen.push(tabId));
    await store.applyReport(3, { title: 't', url: ADMIN }, reportOf([broken('a@acme.com')]), 1);
    expect(await store.forget(3)).toBe(true);
    expect(await store.forget(3)).toBe(false);
    expect(seen).toEqual([3]);
    expect(await store.all()).toEqual([]);
  });

  it('survives a worker restart through storage.session, dropping tabs closed meanwhile', async () => {
    const session = new MemorySession();
    const first = new TabStateStore(session);
    await first.applyReport(1, { title: 'one', url: ADMIN }, reportOf([broken('a@acme.com', true)]), 5);
    await first.applyReport(2, { title: 'two', url: ADMIN }, reportOf([fine('b@acme.com')]), 6);
    const restarted = new TabStateStore(session);
    expect((await restarted.all()).map((t: TabState) => t.tabId)).toEqual([1, 2]);
    expect((await restarted.get(1))?.mailboxes[0]).toEqual(broken('a@acme.com', true));
    await restarted.keepOnly(new Set([2]));
    expect((await new TabStateStore(session).all()).map((t) => t.tabId)).toEqual([2]);
  });

  it('ignores a stored picture it cannot read instead of failing', async () => {
    const session = new MemorySession();
    session.data[TAB_STATE_KEY] = JSON.stringify({ version: 1, tabs: [{ tabId: 'x' }] });
    expect(await new TabStateStore(session).all()).toEqual([]);
  });

  it('stores page facts only', async () => {
    const session = new MemorySession();
    const store = new TabStateStore(session);
    await store.applyReport(1, { title: 'Email', url: ADMIN }, reportOf([broken('a@acme.com')]), 1);
    expect(Object.keys(JSON.parse(session.data[TAB_STATE_KEY]!).tabs[0]).sort()).toEqual([
      'bannerPresent',
      'helpdesk',
      'mailboxes',
      'tabId',
      'title',
      'updatedAt',
      'url',
    ]);
  });

  it('retitles a tracked tab only', async () => {
    const store = new TabStateStore(new MemorySession());
    await store.retitle(5, 'nobody');
    expect(await store.all()).toEqual([]);
    await store.applyReport(5, { title: 'old', url: ADMIN }, reportOf([]), 1);
    await store.retitle(5, 'new');
    expect((await store.get(5))?.title).toBe('new');
  });
});

describe('badge', () => {
  it('shows the number of affected mailboxes, nothing when none', () => {
    const state = (mailboxes: MailboxReport[]): TabState => ({
      tabId: 1,
      title: '',
      url: ADMIN,
      helpdesk: 'freshdesk',
      bannerPresent: true,
      mailboxes,
      updatedAt: 0,
    });
    expect(badgeFor(undefined)).toEqual({ text: '', title: 'Reauth Assist' });
    expect(badgeFor(state([fine('a@acme.com')])).text).toBe('');
    expect(badgeFor(state([broken('a@acme.com'), fine('b@acme.com')]))).toEqual({
      text: '1',
      title: 'Reauth Assist: 1 support mailbox needs reauthorization',
    });
    expect(badgeFor(state([broken('a@acme.com'), broken('b@acme.com')])).title).toMatch(/2 support mailboxes need/);
  });
});
