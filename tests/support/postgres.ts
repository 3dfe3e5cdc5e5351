/**
 * A throw-away PostgreSQL cluster for tests: Debian's server binaries, `initdb` in a temp folder, started
 * and stopped by the test (shared/notes/postgres-in-tests.md). As root (CI) the server runs as the
 * `postgres` system user (initdb refuses root); otherwise as the current user. A missing PostgreSQL throws
 * with the install command: the tests that need it fail, they are never skipped.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePorts } from '../stack/ports';

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

function binDir(): string {
  const found = (process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : BIN_DIRS).find((d) =>
    existsSync(join(d, 'initdb')),
  );
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) are missing. Install them: apt-get install -y ' +
        '--no-install-recommends postgresql (scripts/ensure-system.sh does this when run as root).',
    );
  }
  return found;
}

export interface TestPostgres {
  port: number;
  /** Connection URL of `database` (created by createDatabase, or the default `postgres`). */
  url(database?: string): string;
  createDatabase(name: string): Promise<void>;
  /** Runs SQL against `database` with a short-lived connection of its own. */
  query<T>(database: string, text: string, params?: unknown[]): Promise<T[]>;
  /** pg_ctl stop -m fast: clients are disconnected, the server is down until start(). */
  stopServer(): void;
  startServer(): void;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'reauth-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const run = (program: string, args: string[]) => {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]]
      : [join(bin, program), args];
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  const port = (await freePorts(1))[0]!;
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'app', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const startServer = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stopServer = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  startServer();
  const url = (database = 'postgres') => `postgresql://app@127.0.0.1:${port}/${database}`;
  const query = async <T>(database: string, text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  let alive = true;
  return {
    port,
    url,
    query,
    async createDatabase(name) {
      await query('postgres', `CREATE DATABASE "${name.replace(/"/g, '')}"`);
    },
    stopServer: () => {
      stopServer();
    },
    startServer: () => {
      startServer();
    },
    destroy() {
      if (!alive) return;
      alive = false;
      try {
        stopServer();
      } catch {
        // already stopped by the test
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
