/**
 * What the scale benchmark reads from the companion's store, from outside the companions: the check log (one row
 * per finished health check: mailbox, the due time it served, when it ended, which instance ran it) and, on
 * PostgreSQL, the connections open to it. A second reader, as another process would be: measuring never goes
 * through the companions' API or code.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { ObservedCheck } from './bench-scale-figures';

const run = promisify(execFile);

export interface CheckReader {
  /** Check log rows not read before, oldest first. */
  next(): Promise<ObservedCheck[]>;
  close(): void;
}

type LogRow = Record<string, string | number | null>;

const NEXT_ROWS = 'SELECT * FROM check_log WHERE id > ? ORDER BY id LIMIT 100000';

/** A row as the figures want it; started_at only where the store logs it (else lateness includes the check). */
function observed(row: LogRow): ObservedCheck {
  return {
    address: String(row.address),
    dueAt: Number(row.due_at),
    ...(row.started_at !== undefined && row.started_at !== null ? { startedAt: Number(row.started_at) } : {}),
    checkedAt: Number(row.checked_at),
    instance: String(row.instance),
    ready: row.ready === 1 || row.ready === '1' || row.ready === 't',
  };
}

function reader(fetch: (afterId: number) => Promise<LogRow[]>, close = () => {}): CheckReader {
  let lastId = 0;
  return {
    async next() {
      const rows = await fetch(lastId);
      if (rows.length) lastId = Number(rows.at(-1)!.id);
      return rows.map(observed);
    },
    close,
  };
}

/** The embedded store of one companion: its SQLite file, read-only (WAL lets it read while the companion writes). */
export function sqliteCheckLog(dataDir: string): CheckReader {
  const db = new Database(join(dataDir, 'companion.sqlite'), { readonly: true });
  const query = db.prepare<[number], LogRow>(NEXT_ROWS);
  return reader(
    async (afterId) => query.all(afterId),
    () => db.close(),
  );
}

/** psql, tab-separated with a header line: no driver in the measuring process, one short process per poll. */
export async function psql(url: string, sql: string): Promise<LogRow[]> {
  const args = ['-X', '-A', '-F', '\t', '-P', 'footer=off', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql];
  const { stdout } = await run('psql', args, { maxBuffer: 256 * 1024 * 1024 });
  const [header, ...lines] = stdout.split('\n').filter(Boolean);
  const names = header?.split('\t') ?? [];
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [names[i]!, v])));
}

export function postgresCheckLog(url: string): CheckReader {
  return reader((afterId) => psql(url, NEXT_ROWS.replace('?', String(afterId))));
}

/** Connections to `database` by state (pg_stat_activity), e.g. { active: 3, idle: 9 }. */
export async function postgresConnections(url: string, database: string): Promise<Record<string, number>> {
  const rows = await psql(
    url,
    `SELECT coalesce(state, 'none') AS state, count(*) AS n FROM pg_stat_activity WHERE datname = '${database}' ` +
      'AND pid <> pg_backend_pid() GROUP BY 1',
  );
  return Object.fromEntries(rows.map((r) => [String(r.state), Number(r.n)]));
}

/** The postmaster's pid (the root of the server's process tree), from its data directory's postmaster.pid. */
export async function postmasterPid(url: string): Promise<number> {
  const [row] = await psql(url, 'SHOW data_directory');
  return Number(readFileSync(join(String(row!.data_directory), 'postmaster.pid'), 'utf8').split('\n')[0]);
}
