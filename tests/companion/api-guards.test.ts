/**
 * Every request the companion must refuse gets a clear JSON error and changes nothing in the store;
 * the same request done right is accepted (so the refusals are not an accident of a broken endpoint).
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, handoffResponseSchema, mailboxPath } from '../../lib/companion-api';
import { api, rawRequest, rowCounts, startChildCompanion, tempDataDir, type ChildCompanion } from './companion-support';

const ADDRESS = 'support@contoso.test';
const handoff = {
  mode: 'tokens',
  provider: 'microsoft',
  clientId: 'a3c5e1f0-7b2d-4c8e-9f10-2d3b4c5d6e7f',
  accessToken: 'AT-guard-test-0123456789',
  refreshToken: 'RT-guard-test-0123456789',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
  account: ADDRESS,
};

describe('companion API guards (child process)', () => {
  let dir: string;
  let companion: ChildCompanion;
  let call: ReturnType<typeof api>;
  let baseline: Record<string, number>;

  beforeAll(async () => {
    dir = tempDataDir();
    companion = await startChildCompanion(dir, [
      '--check-interval',
      '3600',
      '--allow-origin',
      'moz-extension://4d1f0c8e-9a55-4c3b-8e2a-0f6b7c9d1e2f',
    ]);
    expect(companion.secret, 'first start prints the pairing secret').toMatch(/^[A-Za-z0-9_-]{43}$/);
    call = api(companion.url, companion.secret);
    baseline = await rowCounts(dir);
  });
  afterAll(async () => {
    await companion?.kill();
  });

  const expectRefused = async (res: { status: number; json: unknown }, status: number, code: string) => {
    expect(res.status).toBe(status);
    const body = apiErrorSchema.parse(res.json);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(await rowCounts(dir)).toEqual(baseline);
  };

  it('health answers without the secret and says nothing else', async () => {
    const res = await api(companion.url, undefined)('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['api', 'ok', 'version']);
  });

  it('refuses a handoff without a pairing secret', async () => {
    await expectRefused(
      await api(companion.url, undefined)('POST', mailboxPath(ADDRESS, '/tokens'), handoff),
      401,
      'unauthorized',
    );
  });

  it('refuses a handoff with a wrong pairing secret', async () => {
    const wrong = `${companion.secret!.slice(0, -1)}${companion.secret!.endsWith('A') ? 'B' : 'A'}`;
    await expectRefused(
      await api(companion.url, wrong)('POST', mailboxPath(ADDRESS, '/tokens'), handoff),
      401,
      'unauthorized',
    );
  });

  it('refuses a foreign Origin even with the right secret, and gives it no CORS header', async () => {
    const res = await call('POST', mailboxPath(ADDRESS, '/tokens'), handoff, { origin: 'https://attacker.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await expectRefused(res, 403, 'origin_not_allowed');
    await expectRefused(
      await call('POST', mailboxPath(ADDRESS, '/tokens'), handoff, {
        origin: 'moz-extension://00000000-0000-0000-0000-000000000000',
      }),
      403,
      'origin_not_allowed',
    );
  });

  it('refuses a DNS-rebinding Host', async () => {
    const res = await rawRequest(companion.port, {
      host: `attacker.example:${companion.port}`,
      authorization: `Bearer ${companion.secret}`,
    });
    expect(res.status).toBe(421);
    expect(apiErrorSchema.parse(JSON.parse(res.body)).error.code).toBe('host_not_allowed');
    expect(await rowCounts(dir)).toEqual(baseline);
  });

  it('refuses an oversized body', async () => {
    await expectRefused(
      await call('POST', mailboxPath(ADDRESS, '/tokens'), { ...handoff, scope: 'x'.repeat(70 * 1024) }),
      413,
      'body_too_large',
    );
  });

  it('refuses malformed JSON', async () => {
    await expectRefused(await call('POST', mailboxPath(ADDRESS, '/tokens'), '{"mode":"tokens",'), 400, 'invalid_json');
  });

  it('refuses unknown fields and names them', async () => {
    const res = await call('POST', mailboxPath(ADDRESS, '/tokens'), { ...handoff, password: 'hunter2' });
    await expectRefused(res, 400, 'invalid_request');
    expect(JSON.stringify(res.json)).toContain('password');
  });

  it('refuses a body that is not JSON, and a bad address in the URL', async () => {
    await expectRefused(
      await call('POST', mailboxPath(ADDRESS, '/tokens'), 'mode=tokens', { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    );
    await expectRefused(await call('POST', mailboxPath('not-an-address', '/tokens'), handoff), 400, 'invalid_request');
  });

  it('refuses tokens of another account (wrong-account guard) and stores nothing', async () => {
    const res = await call('POST', mailboxPath(ADDRESS, '/tokens'), { ...handoff, account: 'wrong.user@contoso.test' });
    await expectRefused(res, 409, 'wrong_account');
    expect(res.json.error.message).toContain('wrong.user@contoso.test');
  });

  it('answers a CORS preflight only for the extension origin', async () => {
    const ok = await fetch(`${companion.url}/v1/mailboxes`, {
      method: 'OPTIONS',
      headers: { origin: 'moz-extension://4d1f0c8e-9a55-4c3b-8e2a-0f6b7c9d1e2f' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('moz-extension://4d1f0c8e-9a55-4c3b-8e2a-0f6b7c9d1e2f');
    const bad = await fetch(`${companion.url}/v1/mailboxes`, {
      method: 'OPTIONS',
      headers: { origin: 'https://attacker.example' },
    });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts the same handoff done right, with the CORS header for the extension', async () => {
    const res = await call('POST', mailboxPath(ADDRESS, '/tokens'), handoff);
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('chrome-extension://bjbknmdlnppncpgpkampigklkbmnehfg');
    const { mailbox } = handoffResponseSchema.parse(res.json);
    expect(mailbox).toMatchObject({ address: ADDRESS, status: 'pending', clientKind: 'public', hasRefreshToken: true });
    expect(mailbox.imap).toEqual({ host: 'outlook.office365.com', port: 993, security: 'tls' });
    expect(await rowCounts(dir)).toMatchObject({ mailboxes: 1, tokens: 1, schedule: 1 });
    expect(JSON.stringify(res.json)).not.toContain(handoff.accessToken);
  });

  it('forgets a mailbox on DELETE', async () => {
    expect((await call('DELETE', mailboxPath(ADDRESS))).status).toBe(204);
    expect(await rowCounts(dir)).toMatchObject({ mailboxes: 0, tokens: 0, schedule: 0 });
    expect((await call('DELETE', mailboxPath(ADDRESS))).status).toBe(404);
  });
});

interface Uploaded {
  status: number;
  /** Body bytes the companion took before it closed the connection. */
  sent: number;
  body: string;
}

/**
 * Sends the request head, waits for the answer, then streams up to `totalBytes` of body as fast as the
 * companion takes it: a companion that drains refused bodies (to keep the connection alive) takes it all, one
 * that closes the connection takes next to nothing.
 */
async function upload(port: number, head: string, totalBytes: number): Promise<Uploaded> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  let closed = false;
  // EPIPE / ECONNRESET: the companion closed the connection while the body was still coming, as it should.
  socket.on('error', () => (closed = true));
  const done = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  const answered = new Promise<void>((resolve) =>
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      resolve();
    }),
  );
  socket.write(head);
  await Promise.race([answered, done, new Promise((r) => setTimeout(r, 10_000))]);
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  const chunked = /transfer-encoding: chunked/i.test(head);
  let sent = 0;
  while (!closed && sent < totalBytes) {
    const framed = () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const piece = chunked ? framed() : chunk;
    sent += chunk.length;
    if (!socket.write(piece)) await Promise.race([once(socket, 'drain').catch(() => {}), done]);
  }
  socket.destroy();
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
  return { status, sent, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) };
}

describe('what the router and the body parser refuse (child process)', () => {
  let dir: string;
  let companion: ChildCompanion;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    dir = tempDataDir();
    companion = await startChildCompanion(dir, ['--check-interval', '3600']);
    call = api(companion.url, companion.secret);
  });
  afterAll(async () => {
    await companion?.kill();
  });

  it('hands over a mailbox with a 200-character address (RFC 5321 allows 254)', async () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.example`;
    expect(long.length).toBeGreaterThanOrEqual(200);
    const res = await call('POST', mailboxPath(long, '/tokens'), { ...handoff, account: long });
    expect(res.status, res.text).toBe(201);
    expect(handoffResponseSchema.parse(res.json).mailbox.address).toBe(long);
    expect((await call('DELETE', mailboxPath(long))).status).toBe(204);
  });

  it('answers router errors in the API shape, and only after the Host check', async () => {
    const longPath = mailboxPath(`${'a'.repeat(120)}@contoso.test`, '/tokens');
    const foreign = await rawRequest(companion.port, { host: 'attacker.example' }, { path: longPath, method: 'POST' });
    expect(foreign.status).toBe(421);
    expect(apiErrorSchema.parse(JSON.parse(foreign.body)).error.code).toBe('host_not_allowed');

    const local = { host: `127.0.0.1:${companion.port}` };
    const badUrl = { path: '/v1/mailboxes/%zz/tokens', method: 'POST' };
    const badEscape = await rawRequest(companion.port, local, badUrl);
    expect(badEscape.status).toBe(400);
    expect(apiErrorSchema.parse(JSON.parse(badEscape.body)).error.code).toBe('invalid_request');
    const badEscapeForeign = await rawRequest(companion.port, { host: 'attacker.example' }, badUrl);
    expect(badEscapeForeign.status).toBe(421);
    expect(apiErrorSchema.parse(JSON.parse(badEscapeForeign.body)).error.code).toBe('host_not_allowed');

    const notHttp = await upload(companion.port, 'NOT HTTP AT ALL\r\n\r\n', 0);
    expect(notHttp.status).toBe(400);
    expect(apiErrorSchema.parse(JSON.parse(notHttp.body)).error.code).toBe('invalid_request');

    const tooLong = await rawRequest(companion.port, local, {
      path: `/v1/mailboxes/${'a'.repeat(2000)}`,
      method: 'DELETE',
    });
    expect(apiErrorSchema.parse(JSON.parse(tooLong.body)).error.code).toBe('invalid_request');
  });

  it('refuses a JSON null as the verify request instead of running a verification', async () => {
    expect((await call('POST', mailboxPath(ADDRESS, '/tokens'), handoff)).status).toBe(201);
    const res = await call('POST', mailboxPath(ADDRESS, '/verify'), 'null');
    // A verification that ran would answer 200 with its NDJSON stream of steps.
    expect(res.status).toBe(400);
    expect(apiErrorSchema.parse(res.json).error.code).toBe('invalid_request');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('refuses a big body without the secret before reading it, and closes the connection', async () => {
    const total = 512 * 1024 * 1024;
    const head =
      `POST ${mailboxPath(ADDRESS, '/tokens')} HTTP/1.1\r\nHost: 127.0.0.1:${companion.port}\r\n` +
      'content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n';
    const res = await upload(companion.port, head, total);
    expect(res.status).toBe(401);
    // Socket buffers take a few MB; a companion that drained the body would have taken all 512.
    expect(res.sent).toBeLessThan(total / 8);
  });

  it('refuses a declared 4 GB body with the secret without reading it', async () => {
    const total = 512 * 1024 * 1024;
    const head =
      `POST ${mailboxPath(ADDRESS, '/tokens')} HTTP/1.1\r\nHost: 127.0.0.1:${companion.port}\r\n` +
      `authorization: Bearer ${companion.secret}\r\ncontent-type: application/json\r\n` +
      `content-length: ${4 * 1024 ** 3}\r\n\r\n`;
    const res = await upload(companion.port, head, total);
    expect(res.status).toBe(413);
    expect(res.sent).toBeLessThan(total / 8);
  });
});

describe('rate limit budgets', () => {
  it(
    'requests without the secret (any web page can send them) spend their own budget, not the ' + "extension's",
    async () => {
      const companion = await startChildCompanion(tempDataDir(), ['--rate-limit', '4']);
      try {
        const local = { host: `127.0.0.1:${companion.port}` };
        const anonymous = await Promise.all(Array.from({ length: 6 }, () => rawRequest(companion.port, local)));
        expect(anonymous.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 429, 429]);
        const paired = api(companion.url, companion.secret);
        expect((await paired('GET', '/v1/mailboxes')).status).toBe(200);
      } finally {
        await companion.kill();
      }
    },
  );

  it("behind a trusted proxy each client has its own budgets; anyone else's X-Forwarded-For is ignored", async () => {
    const trusting = await startChildCompanion(tempDataDir(), ['--rate-limit', '3', '--trusted-proxy', '127.0.0.1']);
    try {
      const from = (client: string, secret?: string) =>
        rawRequest(trusting.port, {
          host: `127.0.0.1:${trusting.port}`,
          'x-forwarded-for': client,
          ...(secret ? { authorization: `Bearer ${secret}` } : {}),
        });
      const wrong = 'w'.repeat(43);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await from('203.0.113.7', wrong)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      // A teammate behind the same proxy is not locked out by that, and neither is the first client's own extension.
      expect((await from('203.0.113.8', wrong)).status).toBe(401);
      expect((await from('203.0.113.8', trusting.secret)).status).toBe(200);
      expect((await from('203.0.113.7', trusting.secret)).status).toBe(200);
    } finally {
      await trusting.kill();
    }

    const untrusting = await startChildCompanion(tempDataDir(), ['--rate-limit', '3']);
    try {
      const spoofed = [];
      for (let i = 0; i < 4; i++) {
        const headers = { host: `127.0.0.1:${untrusting.port}`, 'x-forwarded-for': `198.51.100.${i}` };
        spoofed.push((await rawRequest(untrusting.port, headers)).status);
      }
      expect(spoofed).toEqual([401, 401, 401, 429]);
    } finally {
      await untrusting.kill();
    }
  }, 90_000);
});

describe('rate limit', () => {
  it('answers 429 with the JSON error once the limit is spent', async () => {
    const dir = tempDataDir();
    const companion = await startChildCompanion(dir, ['--rate-limit', '3']);
    try {
      const call = api(companion.url, companion.secret);
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof call>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await call('GET', '/v1/mailboxes');
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(apiErrorSchema.parse(last!.json).error.code).toBe('rate_limited');
    } finally {
      await companion.kill();
    }
  });
});
