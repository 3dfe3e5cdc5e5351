/**
 * What the companion leaves on disk, checked on the files of a companion run as a child process: the data
 * folder and database files are the owner's alone whatever mode they were found with, an outage report an
 * earlier version stored in clear is sealed at start, and the event history is pruned.
 */
import { chmodSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mailboxPath, outageReportResponseSchema } from '../../lib/companion-api';
import { api, handOverSynthetic, startChildCompanion, tempDataDir, waitFor } from './companion-support';

const mode = (path: string) => statSync(path).mode & 0o777;
const storeFiles = (dir: string) =>
  readdirSync(dir).filter((f) => f.startsWith('companion.sqlite')).map((f) => join(dir, f));

function eventAddresses(dir: string): string[] {
  const db = new Database(join(dir, 'companion.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT address FROM events ORDER BY id').all() as Array<{ address: string }>;
    return rows.map((r) => r.address);
  } finally {
    db.close();
  }
}

describe('files at rest', () => {
  it('narrows a 0755 data folder and a 0644 database (with its WAL and SHM) to the owner at start', async () => {
    const dir = tempDataDir();
    const first = await startChildCompanion(dir, ['--check-interval', '3600']);
    await handOverSynthetic(first, 'a@contoso.test');
    await first.kill('SIGKILL');
    // As a restore from backup, a copy or a permissive umask leaves them.
    chmodSync(dir, 0o755);
    for (const file of storeFiles(dir)) chmodSync(file, 0o644);
    expect(storeFiles(dir).length).toBeGreaterThanOrEqual(2);

    const second = await startChildCompanion(dir, ['--check-interval', '3600']);
    try {
      expect(mode(dir)).toBe(0o700);
      for (const file of storeFiles(dir)) expect({ file, mode: mode(file).toString(8) }).toEqual({ file, mode: '600' });
      expect(existsSync(join(dir, 'companion.sqlite-wal'))).toBe(true);
      expect(second.output()).toContain('narrowed them');
      expect((await api(second.url, first.secret)('GET', '/v1/mailboxes')).json.mailboxes).toHaveLength(1);
    } finally {
      await second.kill();
    }
  }, 90_000);

  it('seals an outage report an earlier version stored in clear, and still serves it', async () => {
    const dir = tempDataDir();
    const address = 'b@contoso.test';
    const first = await startChildCompanion(dir, ['--check-interval', '3600']);
    await handOverSynthetic(first, address);
    await first.kill();
    const subject = `Invoice 4711 from a customer ${Date.now()}`;
    const report = {
      from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T09:00:00.000Z',
      received: [{ date: '2026-11-30T08:30:00.000Z', from: 'Customer <customer.legacy@example.test>', subject }],
      sent: [], truncated: false,
    };
    const db = new Database(join(dir, 'companion.sqlite'));
    db.prepare('INSERT INTO outage_reports (address, created_at, report) VALUES (?, ?, ?)')
      .run(address, Date.now(), JSON.stringify(report));
    db.close();
    expect(Buffer.concat(storeFiles(dir).map((f) => readFileSync(f))).includes(Buffer.from(subject))).toBe(true);

    const second = await startChildCompanion(dir, ['--check-interval', '3600']);
    try {
      const raw = Buffer.concat(storeFiles(dir).map((f) => readFileSync(f)));
      expect(raw.includes(Buffer.from(subject))).toBe(false);
      expect(raw.includes(Buffer.from('customer.legacy@example.test'))).toBe(false);
      const res = await api(second.url, first.secret)('GET', mailboxPath(address, '/outage-report'));
      expect(res.status, res.text).toBe(200);
      expect(outageReportResponseSchema.parse(res.json).report.received[0]!.subject).toBe(subject);
    } finally {
      await second.kill();
    }
  }, 90_000);
});

describe('event history', () => {
  it('prunes events older than --events-retention-days', async () => {
    const dir = tempDataDir();
    // 0.00005 days: about 4.3 s.
    const args = ['--check-interval', '3600', '--events-retention-days', '0.00005'];
    const companion = await startChildCompanion(dir, args);
    try {
      const call = api(companion.url, companion.secret);
      await handOverSynthetic(companion, 'old@contoso.test');
      expect(eventAddresses(dir)).toContain('old@contoso.test');
      await new Promise((r) => setTimeout(r, 5000));
      await handOverSynthetic(companion, 'new@contoso.test');
      const left = await waitFor('the old events pruned', () => {
        const addresses = eventAddresses(dir);
        return addresses.includes('old@contoso.test') ? undefined : addresses;
      });
      expect(left).toContain('new@contoso.test');
      // Pruning forgets history, never a mailbox.
      expect((await call('GET', '/v1/mailboxes')).json.mailboxes).toHaveLength(2);
    } finally {
      await companion.kill();
    }
  }, 90_000);
});
