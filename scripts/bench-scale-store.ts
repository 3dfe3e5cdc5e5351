/**
 * What the scale benchmark reads from the companion's store, from outside the companions: every finished
 * health check (the schedule table's last_checked_at and last_ready, as they change) and, on PostgreSQL, the
 * connections open to it. A second reader, as another process would be: measuring never goes through the
 * companions' API or code.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const run = promisify(execFile);

export interface CheckRow {
  address: string;
  checkedAt: number;
  ready: boolean;
}

export interface CheckReader {
  /** Rows whose last check finished after `since` (epoch ms). */
  checkedSince(since: number): Promise<CheckRow[]>;
  close(): void;
}

const CHECKED_SINCE = 'SELECT address, last_checked_at, last_ready FROM schedule WHERE last_checked_at > ';

/** The embedded store of one companion: its SQLite file, opened read-only (WAL lets it read while the other writes). */
export function sqliteChecks(dataDir: string): CheckReader {
  const db = new Database(join(dataDir, 'companion.sqlite'), { readonly: true });
  const query = db.prepare<[number], { address: string; last_checked_at: number; last_ready: number | null }>(
    `${CHECKED_SINCE}?`,
  );
  return {
    async checkedSince(since) {
      return query
        .all(since)
        .map((r) => ({ address: r.address, checkedAt: r.last_checked_at, ready: r.last_ready === 1 }));
    },
    close: () => db.close(),
  };
}

/** psql with tab-separated, unaligned output: no driver in the measuring process, one short process per poll. */
export async function psql(url: string, sql: string): Promise<string[][]> {
  const { stdout } = await run('psql', ['-X', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

export function postgresChecks(url: string): CheckReader {
  return {
    async checkedSince(since) {
      const rows = await psql(url, `${CHECKED_SINCE}${Math.floor(since)}`);
      return rows.map(([address, at, ready]) => ({
        address: address!,
        checkedAt: Number(at),
        ready: ready === '1' || ready === 't' || ready === 'true',
      }));
    },
    close() {},
  };
}

/** Connections to the database `database`, by state (pg_stat_activity), e.g. { active: 3, idle: 9 }. */
export async function postgresConnections(url: string, database: string): Promise<Record<string, number>> {
  const rows = await psql(
    url,
    `SELECT coalesce(state, 'none'), count(*) FROM pg_stat_activity WHERE datname = '${database}' ` +
      `AND pid <> pg_backend_pid() GROUP BY 1`,
  );
  return Object.fromEntries(rows.map(([state, n]) => [state!, Number(n)]));
}
