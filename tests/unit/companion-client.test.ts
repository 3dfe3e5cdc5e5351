/**
 * The worker's companion client against a real HTTP server on loopback: every answer validated, every
 * failure an admin-readable sentence (not running, not the companion, wrong secret, stalled stream), and
 * NDJSON lines handed on one by one as they arrive.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NDJSON_CONTENT_TYPE, type VerifyStreamLine } from '../../lib/companion-api';
import { CompanionClient, CompanionError } from '../../entrypoints/background/companion/client';
import { MAX_LINE_CHARS, NdjsonSplitter, parseVerifyLine } from '../../entrypoints/background/companion/ndjson';
import { testConnection } from '../../entrypoints/background/companion/pairing';
import { storeUnavailable } from '../../companion/src/http/error-replies';
import { StoreUnavailableError } from '../../companion/src/store/sql';

const SECRET = 'A'.repeat(43);
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let url: string;
let handler: Handler = (_req, res) => res.writeHead(500).end();
const seen: Array<{ method: string; path: string; authorization?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization, body });
      // One connection a request: a test that leaves a request hanging cannot poison the next one's socket.
      res.setHeader('connection', 'close');
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
});

const json =
  (status: number, body: unknown): Handler =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const MAILBOX = {
  address: 'support@contoso.test',
  provider: 'microsoft',
  account: 'support@contoso.test',
  clientKind: 'public',
  status: 'retrying',
  attempt: 2,
  maxAttempts: 8,
  nextRunAt: '2026-11-26T08:00:30.000Z',
  lastCheckedAt: '2026-11-26T08:00:00.000Z',
  lastVerdict: {
    ready: false,
    headline: 'SMTP AUTH is turned off for the organisation',
    at: '2026-11-26T08:00:00.000Z',
  },
  accessTokenExpiresAt: '2026-11-26T09:00:00.000Z',
  hasRefreshToken: true,
  outageSince: '2026-11-26T07:59:00.000Z',
  outageReportAt: null,
  imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
};
const step = (id: string, status: string) => ({
  type: 'step',
  step: { id, status, title: id, summary: '', details: '' },
});
const verdict = {
  type: 'verdict',
  verdict: { ready: true, headline: 'Ready: press Re-authorize in the helpdesk', steps: [] },
};

describe('CompanionClient', () => {
  it('sends the pairing secret and validates the mailbox list', async () => {
    handler = json(200, { serverTime: '2026-11-26T08:00:00.000Z', mailboxes: [MAILBOX] });
    const list = await new CompanionClient({ url, secret: SECRET }).mailboxes();
    expect(list.mailboxes[0]!.status).toBe('retrying');
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/mailboxes', authorization: `Bearer ${SECRET}` });
  });

  it('refuses an answer that does not match the API (an unknown field), naming the field', async () => {
    handler = json(200, { serverTime: 'x', mailboxes: [{ ...MAILBOX, accessToken: 'leak' }] });
    const error = await new CompanionClient({ url, secret: SECRET }).mailboxes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompanionError);
    expect((error as CompanionError).kind).toBe('bad-response');
    expect((error as CompanionError).message).toMatch(/does not understand .*mailboxes\.0/);
  });

  it("passes on the companion's own error words and next step (wrong secret)", async () => {
    handler = json(401, {
      error: {
        code: 'unauthorized',
        message: 'The pairing secret is wrong.',
        hint: 'Paste the secret the companion printed.',
      },
    });
    const error = (await new CompanionClient({ url, secret: SECRET })
      .mailboxes()
      .catch((e: unknown) => e)) as CompanionError;
    expect(error.kind).toBe('api');
    expect(error.code).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.message).toBe('The pairing secret is wrong. Paste the secret the companion printed.');
  });

  it('says "not the companion" when something else answers on the port', async () => {
    handler = (_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
    const a = (await new CompanionClient({ url }).health().catch((e: unknown) => e)) as CompanionError;
    expect(a.kind).toBe('not-companion');
    expect(a.message).toContain('not the Reauth Assist companion');
    handler = json(200, { status: 'ok' });
    const b = (await new CompanionClient({ url }).health().catch((e: unknown) => e)) as CompanionError;
    expect(b.kind).toBe('not-companion');
  });

  it('says the companion is not running, and how to start it, when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = (await new CompanionClient({ url: `http://127.0.0.1:${port}` })
      .health()
      .catch((e: unknown) => e)) as CompanionError;
    expect(error.kind).toBe('not-running');
    expect(error.message).toContain('npm start');
  });

  it('gives up on a companion that never answers, with a timeout error', async () => {
    handler = () => undefined;
    const error = (await new CompanionClient({ url, timeoutMs: 300 })
      .health()
      .catch((e: unknown) => e)) as CompanionError;
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('did not answer');
  });

  it('returns null for an outage report the companion does not have', async () => {
    handler = json(404, { error: { code: 'not_found', message: 'No outage report.' } });
    expect(await new CompanionClient({ url, secret: SECRET }).outageReport('support@contoso.test')).toBeNull();
    expect(seen[0]!.path).toBe('/v1/mailboxes/support%40contoso.test/outage-report');
  });

  it('hands each verify line on as it arrives, before the stream ends', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE });
      res.write(`${JSON.stringify(step('dns', 'running'))}\n${JSON.stringify(step('dns', 'ok')).slice(0, 10)}`);
      void held.then(() => res.end(`${JSON.stringify(step('dns', 'ok')).slice(10)}\n${JSON.stringify(verdict)}\n`));
    };
    const lines: VerifyStreamLine[] = [];
    const done = new CompanionClient({ url, secret: SECRET }).verify(
      'support@contoso.test',
      { roundTrip: true },
      (line) => {
        lines.push(line);
        if (lines.length === 1) release();
      },
    );
    await done;
    expect(lines.map((l) => (l.type === 'step' ? `${l.step.id}:${l.step.status}` : l.type))).toEqual([
      'dns:running',
      'dns:ok',
      'verdict',
    ]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ roundTrip: true });
  });

  it('treats a stream that ends without a verdict as an error, and a bad line as a mismatch', async () => {
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE }).end(`${JSON.stringify(step('dns', 'running'))}\n`);
    const cut = (await new CompanionClient({ url, secret: SECRET })
      .verify('a@b.test', {}, () => undefined)
      .catch((e: unknown) => e)) as CompanionError;
    expect(cut.message).toContain('before its verdict');
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE }).end('{"type":"step","step":{"id":"nope"}}\n');
    const bad = (await new CompanionClient({ url, secret: SECRET })
      .verify('a@b.test', {}, () => undefined)
      .catch((e: unknown) => e)) as CompanionError;
    expect(bad.kind).toBe('bad-response');
  });

  it('stops waiting for a stream that stalls', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE });
      res.write(`${JSON.stringify(step('dns', 'running'))}\n`);
    };
    const error = (await new CompanionClient({ url, secret: SECRET, streamIdleMs: 300 })
      .verify('a@b.test', {}, () => undefined)
      .catch((e: unknown) => e)) as CompanionError;
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('stopped sending verification steps');
  });

  it("reports a verify refused before the stream starts in the companion's words", async () => {
    handler = json(409, { error: { code: 'needs_reauth', message: 'support@contoso.test needs reauthorization.' } });
    const error = (await new CompanionClient({ url, secret: SECRET })
      .verify('support@contoso.test', {}, () => undefined)
      .catch((e: unknown) => e)) as CompanionError;
    expect(error.code).toBe('needs_reauth');
  });
});

describe('testConnection', () => {
  const health = { ok: true, version: '0.1.0', api: 1 };

  it('passes both checks with a running companion and the right secret', async () => {
    handler = (req, res) =>
      req.url === '/v1/health'
        ? json(200, health)(req, res)
        : json(200, { serverTime: '2026-11-26T08:00:00.000Z', mailboxes: [MAILBOX] })(req, res);
    const result = await testConnection(url, SECRET, { hostAccess: true });
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.message)).toEqual([
      `The Reauth Assist companion 0.1.0 answers at ${url}.`,
      'The pairing secret is right. The companion monitors 1 mailbox.',
    ]);
  });

  it('says the secret is wrong when health passes and the secret does not', async () => {
    handler = (req, res) =>
      req.url === '/v1/health'
        ? json(200, health)(req, res)
        : json(401, { error: { code: 'unauthorized', message: 'The pairing secret is wrong.' } })(req, res);
    const result = await testConnection(url, SECRET, { hostAccess: true });
    expect(result.ok).toBe(false);
    expect(result.checks[0]!.ok).toBe(true);
    expect(result.checks[1]).toMatchObject({ ok: false, message: 'The pairing secret is wrong.' });
  });

  it('says the companion answers but its database is unreachable (its own 503 on /v1/health)', async () => {
    // The very body the companion sends while PostgreSQL is down (team-postgres.test.ts: every endpoint, health too).
    const down = storeUnavailable(
      new StoreUnavailableError('The companion cannot reach its PostgreSQL database (ECONNREFUSED).'),
    );
    handler = json(down.statusCode, down.body());
    const result = await testConnection(url, SECRET, { hostAccess: true });
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([
      { what: 'Reach the companion', ok: true, message: `The Reauth Assist companion answers at ${url}.` },
      {
        what: "Reach the companion's database",
        ok: false,
        message: expect.stringMatching(/answers, but its database is unreachable: .*PostgreSQL.*Nothing was changed/),
      },
    ]);
    expect(result.checks[1]!.message).not.toMatch(/not the Reauth Assist companion/);
    // Any other call says the same, not "not the companion" nor a bare 503.
    const error = await new CompanionClient({ url, secret: SECRET }).mailboxes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompanionError);
    expect(error).toMatchObject({ kind: 'api', code: 'store_unavailable', status: 503 });
    expect((error as CompanionError).message).toContain(
      `The companion at ${url} answers, but its database is unreachable`,
    );
  });

  it('still says "not the companion" for a foreign 503 on /v1/health', async () => {
    handler = (_req, res) =>
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
    const result = await testConnection(url, SECRET, { hostAccess: true });
    expect(result.checks).toEqual([
      { what: 'Reach the companion', ok: false, message: expect.stringContaining('not the Reauth Assist companion') },
    ]);
  });

  it('asks for the secret when none is given, and for host access when it is missing', async () => {
    handler = json(200, health);
    const noSecret = await testConnection(url, undefined, { hostAccess: true });
    expect(noSecret.checks[1]!.message).toContain('No pairing secret yet');
    const noAccess = await testConnection(url, SECRET, { hostAccess: false });
    expect(noAccess.checks).toHaveLength(1);
    expect(noAccess.checks[0]!.message).toContain('Press Save and allow access');
    expect(seen).toHaveLength(1);
  });
});

describe('NdjsonSplitter', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('joins lines split across chunks, even inside a multi-byte character', () => {
    const splitter = new NdjsonSplitter();
    const whole = bytes('{"a":"é"}\r\n\n{"b":2}');
    expect(splitter.push(whole.slice(0, 7))).toEqual([]);
    expect(splitter.push(whole.slice(7, 13))).toEqual(['{"a":"é"}']);
    expect(splitter.push(whole.slice(13))).toEqual([]);
    expect(splitter.end()).toEqual(['{"b":2}']);
  });

  it('refuses a line that never ends', () => {
    const splitter = new NdjsonSplitter();
    expect(() => splitter.push(bytes('x'.repeat(MAX_LINE_CHARS + 1)))).toThrow(/longer than/);
  });

  it('checks each line against the API schema', () => {
    expect(parseVerifyLine(JSON.stringify(step('tls', 'ok')))).toMatchObject({ ok: true });
    expect(parseVerifyLine('{oops')).toEqual({ ok: false, problem: 'a line of the stream is not JSON' });
    const unknown = parseVerifyLine(JSON.stringify({ ...step('tls', 'ok'), extra: 1 }));
    expect(unknown.ok).toBe(false);
  });
});

describe('checkOrigin (Firefox sends no Origin on GET, so only a request that carries one can tell)', () => {
  it("asks with OPTIONS and throws the companion's origin_not_allowed, in its words", async () => {
    handler = json(403, {
      error: {
        code: 'origin_not_allowed',
        message: 'Requests from moz-extension://x are not allowed.',
        hint: 'Start the companion with --allow-origin moz-extension://x.',
      },
    });
    const error = await new CompanionClient({ url, secret: SECRET }).checkOrigin().catch((e: unknown) => e);
    expect(seen[0]?.method).toBe('OPTIONS');
    expect(error).toBeInstanceOf(CompanionError);
    expect((error as CompanionError).code).toBe('origin_not_allowed');
    expect((error as CompanionError).message).toContain('--allow-origin moz-extension://x');
  });

  it('passes an allowed origin and any other answer (the GET that follows says the rest)', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    await expect(new CompanionClient({ url, secret: SECRET }).checkOrigin()).resolves.toBeUndefined();
    handler = json(403, { error: { code: 'unauthorized', message: 'The pairing secret is wrong.' } });
    await expect(new CompanionClient({ url, secret: SECRET }).checkOrigin()).resolves.toBeUndefined();
  });
});
