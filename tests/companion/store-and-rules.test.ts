/** Logic without servers: the retry rules, token sealing, the key file's permissions, migrations. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RETRY_ATTEMPTS, RETRY_DELAYS_SECONDS, refreshDueAt } from '../../companion/src/monitor/retry-schedule';
import { RETRY_POLICY } from '../../lib/scenarios';
import { createSealedBox } from '../../companion/src/crypto/sealed-box';
import { KeyError, loadTokenKey } from '../../companion/src/crypto/token-key';
import { afterCheck } from '../../companion/src/monitor/schedule-rules';
import { MigrationError, MIGRATIONS, migrate } from '../../companion/src/store/migrations';
import { sqliteDatabase } from '../../companion/src/store/sqlite-database';
import { CheckRateLimit } from '../../companion/src/monitor/check-rate-limit';
import { MailboxStore, type ScheduleState } from '../../companion/src/store/mailbox-store';

const dir = () => mkdtempSync(join(tmpdir(), 'reauth-unit-'));
const timing = { checkIntervalSeconds: 300, timeScale: 1 };

describe('retry schedule', () => {
  it('is 8 retries over about 12 minutes, growing', () => {
    expect(RETRY_DELAYS_SECONDS).toHaveLength(RETRY_POLICY.attempts);
    expect(RETRY_DELAYS_SECONDS.reduce((sum, s) => sum + s, 0) / 60).toBeCloseTo(RETRY_POLICY.windowMinutes, 0);
    expect([...RETRY_DELAYS_SECONDS].sort((a, b) => a - b)).toEqual(RETRY_DELAYS_SECONDS);
  });

  it('retries 1..8 after failures, then disconnects, and reconnecting closes the outage', () => {
    let state: ScheduleState = { status: 'connected', reason: null, attempt: 0, nextRunAt: 0, outageSince: null };
    const seen: Array<[string, number]> = [];
    let now = 1_000_000;
    for (let i = 0; i < RETRY_ATTEMPTS + 2; i++) {
      state = afterCheck(state, false, now, timing).next;
      seen.push([state.status, state.attempt]);
      if (state.status === 'retrying')
        expect(state.nextRunAt! - now).toBe(RETRY_DELAYS_SECONDS[state.attempt - 1]! * 1000);
      now = state.nextRunAt!;
    }
    expect(seen).toEqual([
      ...Array.from({ length: RETRY_ATTEMPTS }, (_, i) => ['retrying', i + 1]),
      ['disconnected', RETRY_ATTEMPTS],
      ['disconnected', RETRY_ATTEMPTS],
    ]);
    expect(state.outageSince).toBe(1_000_000);
    const back = afterCheck(state, true, now, timing);
    expect(back.next).toMatchObject({ status: 'connected', attempt: 0, outageSince: null });
    expect(back.reconnectedAfter).toBe(1_000_000);
    expect(afterCheck(back.next, true, now, timing).reconnectedAfter).toBeUndefined();
  });

  it('scales every delay with the time scale', () => {
    const next = afterCheck(
      { status: 'pending', reason: null, attempt: 0, nextRunAt: 0, outageSince: null },
      false,
      0,
      { ...timing, timeScale: 0.01 },
    ).next;
    expect(next.nextRunAt).toBe(RETRY_DELAYS_SECONDS[0]! * 10);
  });

  it('refreshes 5 minutes ahead, or at half the lifetime of a short token', () => {
    expect(refreshDueAt(0, 3600_000)).toBe(3300_000);
    expect(refreshDueAt(0, 60_000)).toBe(30_000);
  });
});

describe('token sealing', () => {
  const d = dir();
  const key = loadTokenKey(d, {});
  const box = createSealedBox(key);

  it('round-trips, with a fresh IV every time', () => {
    const a = box.seal('secret-token', 'a@b.test|access_token');
    const b = box.seal('secret-token', 'a@b.test|access_token');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-token');
    expect(box.open(a, 'a@b.test|access_token')).toBe('secret-token');
  });

  it('refuses a value moved to another mailbox or tampered with', () => {
    const sealed = box.seal('secret-token', 'a@b.test|access_token');
    expect(() => box.open(sealed, 'c@d.test|access_token')).toThrow(/integrity/);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x'.repeat(12)).toString('base64url');
    expect(() => box.open(parts.join('.'), 'a@b.test|access_token')).toThrow(/integrity/);
  });

  it('says so when the key is another one', () => {
    const other = createSealedBox(loadTokenKey(d, { REAUTH_ASSIST_KEY: Buffer.alloc(32, 7).toString('base64') }));
    expect(() => other.open(box.seal('t', 'x'), 'x')).toThrow(/another key/);
  });
});

describe('key file', () => {
  it('is created 0600 and reused', () => {
    const d = dir();
    const first = loadTokenKey(d, {});
    expect(loadTokenKey(d, {}).id).toBe(first.id);
  });

  it('refuses a key file others can read, with the fix', () => {
    const d = dir();
    loadTokenKey(d, {});
    chmodSync(join(d, 'token-key'), 0o644);
    expect(() => loadTokenKey(d, {})).toThrow(KeyError);
    expect(() => loadTokenKey(d, {})).toThrow(/chmod 600/);
  });

  it('refuses an environment key that is not 32 bytes', () => {
    expect(() => loadTokenKey(dir(), { REAUTH_ASSIST_KEY: 'c2hvcnQ=' })).toThrow(/32 random bytes/);
  });

  it('refuses a malformed key file', () => {
    const d = dir();
    writeFileSync(join(d, 'token-key'), 'abc', { mode: 0o600 });
    expect(() => loadTokenKey(d, {})).toThrow(/32 random bytes/);
  });
});

describe('migrations', () => {
  it('run once each, in a transaction, and refuse a newer database', async () => {
    const raw = new Database(':memory:');
    const db = sqliteDatabase(raw);
    expect(await migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(await migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect((raw.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
    raw.prepare('INSERT INTO schema_version VALUES (999, 0)').run();
    await expect(migrate(db)).rejects.toThrow(MigrationError);
  });

  it('leave nothing behind when a migration fails halfway', async () => {
    const raw = new Database(':memory:');
    const broken = [
      ...MIGRATIONS,
      { version: 99, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM missing_table;' },
    ];
    await expect(migrate(sqliteDatabase(raw), broken)).rejects.toThrow();
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect((raw.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number }).v).toBe(
      MIGRATIONS.at(-1)!.version,
    );
  });
});

describe('claiming due checks', () => {
  it('leaves out the mailboxes this instance is still checking, so free slots take new work', async () => {
    const db = sqliteDatabase(new Database(':memory:'));
    await migrate(db);
    let now = 1_000_000;
    const store = new MailboxStore(db, createSealedBox(loadTokenKey(dir(), {})), () => now);
    const server = { host: 'mail.example.test', port: 993, security: 'tls' } as const;
    for (const address of ['a@x.test', 'b@x.test', 'c@x.test']) {
      const record = {
        address,
        provider: 'generic',
        account: address,
        clientId: 'client',
        clientKind: 'public',
        tokenEndpoint: 'https://idp.example.test/token',
        imap: server,
        smtp: { ...server, port: 465 },
      } as const;
      await store.saveHandoff(record, { accessToken: `t-${address}`, expiresAt: now + 3_600_000, scope: 'imap' });
      now += 1; // due one after the other
    }
    const first = await store.claimDueChecks('me', now, now + 60_000, 2);
    expect(first.map((j) => j.address)).toEqual(['a@x.test', 'b@x.test']);
    // Two running here, two slots free: only the third is new work. Without the list, the claim hands back the
    // two running ones first (their lease is this instance's and they are still due).
    const running = first.map((j) => j.address);
    expect((await store.claimDueChecks('me', now, now + 60_000, 2, running)).map((j) => j.address)).toEqual([
      'c@x.test',
    ]);
    expect((await store.claimDueChecks('me', now, now + 60_000, 2)).map((j) => j.address)).toEqual([
      'a@x.test',
      'b@x.test',
    ]);
  });
});

describe('check rate limit', () => {
  it('starts at most one second of checks at once, then refills at the rate', () => {
    let now = 0;
    const rate = new CheckRateLimit(5, () => now);
    expect(rate.take(100)).toBe(5);
    expect(rate.take(100)).toBe(0);
    now = 400;
    expect(rate.take(100)).toBe(2);
    rate.giveBack(2);
    now = 10_000;
    expect(rate.take(100)).toBe(5);
  });

  it('paces a rate below one a second', () => {
    let now = 0;
    const rate = new CheckRateLimit(0.5, () => now);
    expect(rate.take(3)).toBe(1);
    now = 1000;
    expect(rate.take(3)).toBe(0);
    now = 2000;
    expect(rate.take(3)).toBe(1);
  });
});
