/**
 * Running the companion in tests the way users run it: as a child process (`tsx companion/src/main.ts`),
 * reading its pairing secret and port from what it prints. Also a small API client and raw table reads.
 *
 * REAUTH_TEST_STORE=postgres runs every companion these suites start on PostgreSQL instead of the SQLite
 * file: one throw-away cluster per test file (tests/support/postgres.ts), one database per data directory
 * (so a restart with the same data directory finds its data again). Table reads go to whichever store runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  CHROME_EXTENSION_ORIGIN,
  mailboxListResponseSchema,
  mailboxPath,
  type MailboxState,
  type TokensHandoff,
} from '../../lib/companion-api';
import { CLIENTS, type MailStack, type TokenSet } from '../stack';
import { ensureTestCerts } from '../support/certs';
import { startTestPostgres, type TestPostgres } from '../support/postgres';

const ROOT = join(import.meta.dirname, '..', '..');

/** Which store the companions of this run use: REAUTH_TEST_STORE=postgres, else the SQLite default. */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.REAUTH_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

let cluster: Promise<TestPostgres> | undefined;
const databases = new Map<string, Promise<string>>();
let started: TestPostgres | undefined;
if (TEST_STORE === 'postgres') {
  // Only vitest sets REAUTH_TEST_STORE (the browser specs and demos that import this file never do).
  const { afterAll, beforeAll } = await import('vitest');
  // Started before the tests (hook timeout), so the first test's own time limit does not pay for initdb.
  beforeAll(() => testPostgres().then(() => undefined));
  afterAll(() => started?.destroy());
  process.once('exit', () => started?.destroy());
}

/** This file's PostgreSQL cluster, started on first use (its failure fails the test that needed it). */
export function testPostgres(): Promise<TestPostgres> {
  cluster ??= startTestPostgres().then((pg) => (started = pg));
  return cluster;
}

function databaseName(dataDir: string): string {
  return `c_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
}

/** The --store URL for the companion of `dataDir` on PostgreSQL (its database made on first use). */
export function postgresStoreFor(dataDir: string): Promise<string> {
  let made = databases.get(dataDir);
  if (!made) {
    made = testPostgres().then(async (pg) => {
      await pg.createDatabase(databaseName(dataDir));
      return pg.url(databaseName(dataDir));
    });
    databases.set(dataDir, made);
  }
  return made;
}

/**
 * Rows of a query against the store of the companion of `dataDir`, whichever it is (SQL with `?` placeholders,
 * read as another process would: a connection of its own).
 */
export async function storeQuery<T>(dataDir: string, text: string, params: Array<string | number> = []): Promise<T[]> {
  if (TEST_STORE === 'postgres') {
    const pg = await testPostgres();
    let n = 0;
    return pg.query<T>(
      databaseName(dataDir),
      text.replace(/\?/g, () => `$${++n}`),
      params,
    );
  }
  const db = new Database(join(dataDir, 'companion.sqlite'), { readonly: true });
  try {
    return db.prepare(text).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * Everything the store holds, as bytes to search for secrets: the SQLite files (with their free pages and
 * WAL), or every row of every PostgreSQL table as text.
 */
export async function storedBytes(dataDir: string): Promise<Buffer> {
  if (TEST_STORE === 'postgres') {
    const tables = await storeQuery<{ tablename: string }>(
      dataDir,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const parts: string[] = [];
    for (const { tablename } of tables) {
      const rows = await storeQuery<{ row: string }>(dataDir, `SELECT t::text AS row FROM "${tablename}" t`);
      parts.push(...rows.map((r) => r.row));
    }
    return Buffer.from(parts.join('\n'));
  }
  return Buffer.concat(
    readdirSync(dataDir)
      .filter((f) => f.startsWith('companion.sqlite'))
      .map((f) => readFileSync(join(dataDir, f))),
  );
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'reauth-companion-'));
}

/** The companion's clients.json (confidential clients' secrets, mode 0600), as an admin writes it. */
export function writeConfidentialClients(
  dataDir: string,
  clients: Array<{ clientId: string; clientSecret: string }>,
  mode = 0o600,
): void {
  writeFileSync(join(dataDir, 'clients.json'), JSON.stringify({ clients }), { mode });
}

/** A loopback port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface ChildCompanion {
  dataDir: string;
  url: string;
  port: number;
  /** Printed only when this start created it. */
  secret?: string;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  process: ChildProcess;
}

/** Rules and CA so the companion's token requests reach the test identity provider under production names. */
export function idpArgs(idpPort: number): string[] {
  return [
    '--resolve',
    `login.microsoftonline.com:443:127.0.0.1:${idpPort}`,
    '--resolve',
    `oauth2.googleapis.com:443:127.0.0.1:${idpPort}`,
    '--resolve',
    `idp.reauth.test:443:127.0.0.1:${idpPort}`,
    '--extra-ca',
    ensureTestCerts().caCertPath,
  ];
}

/**
 * How the companion is run: its TypeScript through tsx (default), or a built bundle with plain Node, as
 * `npm start` does.
 */
const FROM_SOURCE = ['--import', 'tsx', join(ROOT, 'companion/src/main.ts')];

export async function startChildCompanion(
  dataDir: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  program: string[] = FROM_SOURCE,
): Promise<ChildCompanion> {
  const store = TEST_STORE === 'postgres' ? { REAUTH_ASSIST_STORE: await postgresStoreFor(dataDir) } : {};
  const child = spawn(process.execPath, [...program, '--data-dir', dataDir, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: ensureTestCerts().caCertPath, ...store, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      // The address it bound (127.0.0.1, or 0.0.0.0 in team mode); tests reach it on loopback either way.
      const m = /listening on http:\/\/(?:\[[^\]]+\]|[^:\s]+):(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`companion exited with ${code} before listening:\n${out}`));
    });
  });
  const secret = /^ {3}([A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
  return {
    dataDir,
    url: `http://127.0.0.1:${port}`,
    port,
    secret,
    output: () => out,
    process: child,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export function api(url: string, secret: string | undefined) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        origin: CHROME_EXTENSION_ORIGIN,
        ...(secret ? { authorization: `Bearer ${secret}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // The tests read the companion's answers as they come (`res.json.mailboxes`, `res.json.error.code`) or parse them
    // with the API's zod schemas; a type here would need a cast at each of those call sites, in files of every suite.
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON read freely by the tests, see above
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
}

/** A raw HTTP request with headers fetch would not send as given (Host, X-Forwarded-For), to any local address. */
export function rawRequest(
  port: number,
  headers: Record<string, string>,
  options: { path?: string; method?: string; address?: string } = {},
): Promise<{ status: number; body: string }> {
  const { path = '/v1/mailboxes', method = 'GET', address = '127.0.0.1' } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: address, port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A public-client handoff with made-up tokens, for tests that never sign in to a real server: Microsoft's
 * servers by default; `generic` with the given IMAP and SMTP servers.
 */
type Server = { host: string; port: number; security: string };

export function syntheticHandoff(address: string, servers?: { imap: Server; smtp?: Server }) {
  const common = {
    mode: 'tokens',
    accessToken: `AT-${address}-0123456789`,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    account: address,
  };
  if (!servers) {
    const scope = 'https://outlook.office.com/IMAP.AccessAsUser.All';
    return { ...common, provider: 'microsoft', clientId: 'a3c5e1f0-7b2d-4c8e-9f10-2d3b4c5d6e7f', scope };
  }
  return {
    ...common,
    provider: 'generic',
    clientId: 'reauth-test-client',
    tokenEndpoint: 'https://idp.example.org/token',
    scope: 'imap smtp',
    imap: servers.imap,
    smtp: servers.smtp ?? servers.imap,
  };
}

/** Hands over a synthetic mailbox (see syntheticHandoff); anything but 201 throws with the answer. */
export async function handOverSynthetic(
  companion: Pick<ChildCompanion, 'url' | 'secret'>,
  address: string,
  servers?: { imap: Server; smtp?: Server },
): Promise<void> {
  const call = api(companion.url, companion.secret);
  const res = await call('POST', mailboxPath(address, '/tokens'), syntheticHandoff(address, servers));
  if (res.status !== 201) throw new Error(`The handoff of ${address} answered ${res.status}: ${res.text}`);
}

/** Rows per table, read straight from the store (a second connection, as another process would). */
export async function rowCounts(dataDir: string): Promise<Record<string, number>> {
  const tables = ['mailboxes', 'tokens', 'schedule', 'events', 'outage_reports', 'settings'];
  const counts: Record<string, number> = {};
  for (const t of tables) {
    counts[t] = Number((await storeQuery<{ n: number }>(dataDir, `SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
  }
  return counts;
}

export async function scheduleRow(dataDir: string, address: string) {
  const rows = await storeQuery<{
    status: string;
    attempt: number;
    next_run_at: number | null;
    outage_since: number | null;
  }>(dataDir, 'SELECT * FROM schedule WHERE address = ?', [address]);
  const row = rows[0];
  // PostgreSQL hands BIGINT back as text.
  return (
    row && {
      ...row,
      next_run_at: row.next_run_at === null ? null : Number(row.next_run_at),
      outage_since: row.outage_since === null ? null : Number(row.outage_since),
    }
  );
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The body the extension's worker sends after a public-client Microsoft sign-in. */
export function tokensHandoffBody(tokens: TokenSet, account: string): TokensHandoff {
  return {
    mode: 'tokens',
    provider: 'microsoft',
    clientId: CLIENTS.public.clientId,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(Date.now() + tokens.expires_in * 1000).toISOString(),
    scope: tokens.scope,
    account,
  };
}

/** Hands the companion freshly issued tokens of `account` (as the worker does after a public-client sign-in). */
export async function handOverTokens(stack: MailStack, companion: ChildCompanion, account: string): Promise<TokenSet> {
  const tokens = await stack.idp.issueTokens({ account });
  const res = await api(companion.url, companion.secret)(
    'POST',
    mailboxPath(account, '/tokens'),
    tokensHandoffBody(tokens, account),
  );
  if (res.status !== 201) throw new Error(`The handoff of ${account} answered ${res.status}: ${res.text}`);
  return tokens;
}

/** What the companion stores, read through its own API with its pairing secret. */
export async function listMailboxes(companion: ChildCompanion): Promise<MailboxState[]> {
  const listed = await api(companion.url, companion.secret)('GET', '/v1/mailboxes');
  if (listed.status !== 200) throw new Error(`GET /v1/mailboxes answered ${listed.status}: ${listed.text}`);
  return mailboxListResponseSchema.parse(listed.json).mailboxes;
}
