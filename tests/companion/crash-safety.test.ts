/**
 * The companion is killed with SIGKILL (no shutdown code runs) right after it acknowledged a write, and in
 * the middle of a retry schedule; the restarted process has the data and carries on with the schedule.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RETRY_ATTEMPTS } from '../../companion/src/monitor/retry-schedule';
import { mailboxListResponseSchema, mailboxPath } from '../../lib/companion-api';
import {
  api,
  closedPort,
  scheduleRow,
  startChildCompanion,
  storeQuery,
  TEST_STORE,
  tempDataDir,
  waitFor,
} from './companion-support';

function handoff(address: string, imapPort: number) {
  return {
    mode: 'tokens',
    provider: 'microsoft',
    clientId: 'a3c5e1f0-7b2d-4c8e-9f10-2d3b4c5d6e7f',
    accessToken: `AT-${address}`,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All',
    account: address,
    imap: { host: '127.0.0.1', port: imapPort, security: 'tls' },
    smtp: { host: '127.0.0.1', port: imapPort, security: 'starttls' },
  };
}

/** A port nothing listens on: connections are refused at once, so every check fails fast. */

async function scheduleEvents(dir: string, address: string, sinceId = 0) {
  const rows = await storeQuery<{ id: number; detail: string }>(
    dir,
    "SELECT id, detail FROM events WHERE address = ? AND kind = 'schedule' AND id > ? ORDER BY id",
    [address, sinceId],
  );
  return rows.map((e) => ({ id: Number(e.id), ...(JSON.parse(e.detail) as { status: string; attempt: number }) }));
}

describe('crash safety (SIGKILL)', () => {
  it('keeps a handoff acknowledged just before the kill', async () => {
    const dir = tempDataDir();
    const port = await closedPort();
    const first = await startChildCompanion(dir, ['--check-interval', '3600']);
    const addresses = Array.from({ length: 5 }, (_, i) => `box${i}@contoso.test`);
    for (const address of addresses) {
      const res = await api(first.url, first.secret)('POST', mailboxPath(address, '/tokens'), handoff(address, port));
      expect(res.status).toBe(201);
    }
    await first.kill('SIGKILL');
    expect(first.process.signalCode).toBe('SIGKILL');

    const second = await startChildCompanion(dir, ['--check-interval', '3600']);
    try {
      expect(second.secret, 'a restart does not make or print a new secret').toBeUndefined();
      const list = mailboxListResponseSchema.parse((await api(second.url, first.secret)('GET', '/v1/mailboxes')).json);
      expect(list.mailboxes.map((m) => m.address)).toEqual(addresses);
      if (TEST_STORE === 'sqlite') {
        // The SQLite file itself survived the kill intact (PostgreSQL guards its own files).
        const db = new Database(join(dir, 'companion.sqlite'), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
      }
    } finally {
      await second.kill();
    }
  }, 90_000);

  it('continues the retry schedule where the killed process stopped, then marks the mailbox disconnected', async () => {
    const dir = tempDataDir();
    const address = 'flaky@contoso.test';
    const port = await closedPort();
    // time scale 0.01: the 12-minute retry window takes about 7 s.
    const args = ['--time-scale', '0.01', '--check-interval', '3600'];
    const first = await startChildCompanion(dir, args);
    expect(
      (await api(first.url, first.secret)('POST', mailboxPath(address, '/tokens'), handoff(address, port))).status,
    ).toBe(201);
    const before = await waitFor('retry 3 scheduled', async () => {
      const row = await scheduleRow(dir, address);
      return row && row.status === 'retrying' && row.attempt >= 3 ? row : undefined;
    });
    await first.kill('SIGKILL');
    const atKill = (await scheduleRow(dir, address))!;
    expect(atKill.attempt).toBeGreaterThanOrEqual(before.attempt);
    expect(atKill.outage_since).not.toBeNull();
    const lastEventId = (await scheduleEvents(dir, address)).at(-1)!.id;

    const second = await startChildCompanion(dir, args);
    try {
      const call = api(second.url, first.secret);
      const listed = mailboxListResponseSchema.parse((await call('GET', '/v1/mailboxes')).json).mailboxes[0]!;
      // The restarted process may already have run the retry that fell due while it was down.
      expect(['retrying', 'disconnected']).toContain(listed.status);
      expect(listed.attempt).toBeGreaterThanOrEqual(atKill.attempt);

      const done = await waitFor(
        'disconnected',
        async () => {
          const m = mailboxListResponseSchema.parse((await call('GET', '/v1/mailboxes')).json).mailboxes[0]!;
          return m.status === 'disconnected' ? m : undefined;
        },
        30_000,
      );
      expect(done.attempt).toBe(RETRY_ATTEMPTS);
      expect(done.outageSince).toBe(new Date(atKill.outage_since!).toISOString());

      // After the restart the attempts went on from where they were, never back to 1.
      const after = await scheduleEvents(dir, address, lastEventId);
      const retries = after.filter((e) => e.status === 'retrying').map((e) => e.attempt);
      expect(retries).toEqual(
        Array.from({ length: RETRY_ATTEMPTS - atKill.attempt }, (_, i) => atKill.attempt + 1 + i),
      );
      expect(after.at(-1)).toMatchObject({ status: 'disconnected', attempt: RETRY_ATTEMPTS });
      expect(done.lastVerdict?.ready).toBe(false);
    } finally {
      await second.kill();
    }
  }, 90_000);
});
