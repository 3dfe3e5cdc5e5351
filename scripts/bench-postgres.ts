/**
 * A throw-away PostgreSQL cluster for the scale benchmark: Debian's server binaries, initdb in a temporary folder,
 * listening on 127.0.0.1 only, removed at stop. As root the server runs as the `postgres` user (it refuses root);
 * see shared notes "postgres-in-tests".
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface BenchPostgres {
  /** postgresql://app@127.0.0.1:PORT/<database> */
  urlFor(database: string): string;
  /** The postmaster's pid: the root of the server's process tree. */
  pid(): number;
  stop(): void;
}

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('PostgreSQL is not installed: run bash scripts/ensure-system.sh');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function startBenchPostgres(maxConnections = 200): Promise<BenchPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'reauth-bench-pg-'));
  const asRoot = userInfo().uid === 0;
  const as = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  const data = join(dir, 'data');
  as(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'app']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${maxConnections}`;
  as(`${bin}/pg_ctl`, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    urlFor: (database) => `postgresql://app@127.0.0.1:${port}/${database}`,
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop() {
      try {
        as(`${bin}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
