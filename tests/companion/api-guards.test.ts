/**
 * Every request the companion must refuse gets a clear JSON error and changes nothing in the store;
 * the same request done right is accepted (so the refusals are not an accident of a broken endpoint).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, handoffResponseSchema, mailboxPath } from '../../lib/companion-api';
import { api, rowCounts, startChildCompanion, tempDataDir, type ChildCompanion } from './companion-support';

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

function rawRequest(port: number, headers: Record<string, string>, path = '/v1/mailboxes'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('companion API guards (child process)', () => {
  let dir: string;
  let companion: ChildCompanion;
  let call: ReturnType<typeof api>;
  let baseline: Record<string, number>;

  beforeAll(async () => {
    dir = tempDataDir();
    companion = await startChildCompanion(dir, ['--check-interval', '3600', '--allow-origin', 'moz-extension://4d1f0c8e-9a55-4c3b-8e2a-0f6b7c9d1e2f']);
    expect(companion.secret, 'first start prints the pairing secret').toMatch(/^[A-Za-z0-9_-]{43}$/);
    call = api(companion.url, companion.secret);
    baseline = rowCounts(dir);
  });
  afterAll(async () => {
    await companion?.kill();
  });

  const expectRefused = async (res: { status: number; json: unknown }, status: number, code: string) => {
    expect(res.status).toBe(status);
    const body = apiErrorSchema.parse(res.json);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(rowCounts(dir)).toEqual(baseline);
  };

  it('health answers without the secret and says nothing else', async () => {
    const res = await api(companion.url, undefined)('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['api', 'ok', 'version']);
  });

  it('refuses a handoff without a pairing secret', async () => {
    await expectRefused(await api(companion.url, undefined)('POST', mailboxPath(ADDRESS, '/tokens'), handoff), 401, 'unauthorized');
  });

  it('refuses a handoff with a wrong pairing secret', async () => {
    const wrong = `${companion.secret!.slice(0, -1)}${companion.secret!.endsWith('A') ? 'B' : 'A'}`;
    await expectRefused(await api(companion.url, wrong)('POST', mailboxPath(ADDRESS, '/tokens'), handoff), 401, 'unauthorized');
  });

  it('refuses a foreign Origin even with the right secret, and gives it no CORS header', async () => {
    const res = await call('POST', mailboxPath(ADDRESS, '/tokens'), handoff, { origin: 'https://attacker.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await expectRefused(res, 403, 'origin_not_allowed');
    await expectRefused(await call('POST', mailboxPath(ADDRESS, '/tokens'), handoff, { origin: 'moz-extension://00000000-0000-0000-0000-000000000000' }), 403, 'origin_not_allowed');
  });

  it('refuses a DNS-rebinding Host', async () => {
    const res = await rawRequest(companion.port, { host: `attacker.example:${companion.port}`, authorization: `Bearer ${companion.secret}` });
    expect(res.status).toBe(421);
    expect(apiErrorSchema.parse(JSON.parse(res.body)).error.code).toBe('host_not_allowed');
    expect(rowCounts(dir)).toEqual(baseline);
  });

  it('refuses an oversized body', async () => {
    await expectRefused(await call('POST', mailboxPath(ADDRESS, '/tokens'), { ...handoff, scope: 'x'.repeat(70 * 1024) }), 413, 'body_too_large');
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
    await expectRefused(await call('POST', mailboxPath(ADDRESS, '/tokens'), 'mode=tokens', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    await expectRefused(await call('POST', mailboxPath('not-an-address', '/tokens'), handoff), 400, 'invalid_request');
  });

  it('refuses tokens of another account (wrong-account guard) and stores nothing', async () => {
    const res = await call('POST', mailboxPath(ADDRESS, '/tokens'), { ...handoff, account: 'wrong.user@contoso.test' });
    await expectRefused(res, 409, 'wrong_account');
    expect(res.json.error.message).toContain('wrong.user@contoso.test');
  });

  it('answers a CORS preflight only for the extension origin', async () => {
    const ok = await fetch(`${companion.url}/v1/mailboxes`, { method: 'OPTIONS', headers: { origin: 'moz-extension://4d1f0c8e-9a55-4c3b-8e2a-0f6b7c9d1e2f' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('moz-extension://4d1f0c8e-9a55-4c3b-8e2a-0f6b7c9d1e2f');
    const bad = await fetch(`${companion.url}/v1/mailboxes`, { method: 'OPTIONS', headers: { origin: 'https://attacker.example' } });
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
    expect(rowCounts(dir)).toMatchObject({ mailboxes: 1, tokens: 1, schedule: 1 });
    expect(JSON.stringify(res.json)).not.toContain(handoff.accessToken);
  });

  it('forgets a mailbox on DELETE', async () => {
    expect((await call('DELETE', mailboxPath(ADDRESS))).status).toBe(204);
    expect(rowCounts(dir)).toMatchObject({ mailboxes: 0, tokens: 0, schedule: 0 });
    expect((await call('DELETE', mailboxPath(ADDRESS))).status).toBe(404);
  });
});

describe('rate limit', () => {
  it('answers 429 with the JSON error once the limit is spent', async () => {
    const dir = tempDataDir();
    const companion = await startChildCompanion(dir, ['--rate-limit', '3']);
    try {
      const call = api(companion.url, companion.secret);
      const statuses: number[] = [];
      let last;
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
