import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffResponseSchema, mailboxListResponseSchema, mailboxPath } from '../../lib/companion-api';
import { createSealedBox } from '../../companion/src/crypto/sealed-box';
import { loadTokenKey } from '../../companion/src/crypto/token-key';
import { ACCOUNTS, CLIENTS, startIdentityProvider, type IdentityProvider } from '../stack';
import {
  api,
  idpArgs,
  startChildCompanion,
  storedBytes,
  storeQuery,
  tokensHandoffBody,
  tempDataDir,
  waitFor,
  writeConfidentialClients,
  type ChildCompanion,
} from './companion-support';

const ADDRESS = ACCOUNTS.support.email;

async function storedTokens(dir: string, address: string) {
  const [row] = await storeQuery<{ access_token: string; refresh_token: string }>(
    dir,
    'SELECT access_token, refresh_token FROM tokens WHERE address = ?',
    [address],
  );
  if (!row) return undefined;
  const box = createSealedBox(loadTokenKey(dir, {}));
  return {
    accessToken: box.open(row.access_token, `${address}|access_token`),
    refreshToken: box.open(row.refresh_token, `${address}|refresh_token`),
  };
}

describe('token handoff, refresh and revocation (real identity provider, companion as a child process)', () => {
  let idp: IdentityProvider;
  let dir: string;
  let companion: ChildCompanion;
  let call: ReturnType<typeof api>;
  const seen: string[] = [];

  beforeAll(async () => {
    idp = await startIdentityProvider();
    dir = tempDataDir();
    companion = await startChildCompanion(dir, [
      ...idpArgs(idp.port),
      '--check-interval',
      '3600',
      '--log-level',
      'debug',
    ]);
    call = api(companion.url, companion.secret);
  });
  afterAll(async () => {
    await companion?.kill();
    await idp?.stop();
  });

  async function handOver(ttlSeconds: number) {
    const tokens = await idp.issueTokens({ account: ADDRESS, accessTokenTtl: ttlSeconds });
    expect(tokens.refresh_token).toBeTruthy();
    seen.push(tokens.access_token, tokens.refresh_token!, tokens.id_token ?? '');
    const res = await call('POST', mailboxPath(ADDRESS, '/tokens'), tokensHandoffBody(tokens, ADDRESS));
    expect(res.status, res.text).toBe(201);
    return { tokens, mailbox: handoffResponseSchema.parse(res.json).mailbox };
  }

  const state = async () =>
    mailboxListResponseSchema
      .parse((await call('GET', '/v1/mailboxes')).json)
      .mailboxes.find((m) => m.address === ADDRESS);

  it('stores access and refresh tokens encrypted: the database files never hold them in clear', async () => {
    const { tokens } = await handOver(3600);
    const raw = await storedBytes(dir);
    expect(raw.includes(Buffer.from(tokens.access_token))).toBe(false);
    expect(raw.includes(Buffer.from(tokens.refresh_token!))).toBe(false);
    // ...and they are there: the key opens them.
    expect(await storedTokens(dir, ADDRESS)).toEqual({
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
    });
  });

  it('refreshes a token ahead of its expiry with the refresh token grant', async () => {
    const { tokens, mailbox } = await handOver(6);
    const refreshed = await waitFor('a refreshed access token', async () => {
      const now = await storedTokens(dir, ADDRESS);
      return now && now.accessToken !== tokens.access_token ? now : undefined;
    });
    seen.push(refreshed.accessToken, refreshed.refreshToken);
    expect((await idp.introspect(refreshed.accessToken)).active).toBe(true);
    const after = await state();
    expect(Date.parse(after!.accessTokenExpiresAt)).toBeGreaterThan(Date.parse(mailbox.accessTokenExpiresAt));
    expect(after!.status).not.toBe('needs-reauth');
  });

  it('marks the mailbox needs-reauth when the provider answers invalid_grant', async () => {
    await handOver(6);
    await idp.revokeAll(ADDRESS);
    const after = await waitFor('needs-reauth', async () => {
      const s = await state();
      return s?.status === 'needs-reauth' ? s : undefined;
    });
    expect(after.reason).toMatch(/invalid_grant/);
    expect(after.nextRunAt).toBeNull();
    // Verifying now says so plainly instead of trying with a dead token.
    const verify = await call('POST', mailboxPath(ADDRESS, '/verify'), {});
    expect(verify.status).toBe(409);
    expect(verify.json.error.code).toBe('needs_reauth');
  });

  it('never logs a token or the pairing secret (beyond the one-time banner)', () => {
    const log = companion.output();
    expect(log).toContain('access token refreshed');
    for (const secret of seen.filter((s) => s.length > 8)) expect(log).not.toContain(secret);
    expect(log.split(companion.secret!).length - 1).toBe(1);
    expect(log).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
  });
});

describe('code-redemption handoff (confidential client)', () => {
  /** A provider and a companion that holds the confidential client's secret (clients.json, mode 0600). */
  async function withConfidentialClient(
    run: (env: { idp: IdentityProvider; dir: string; call: ReturnType<typeof api> }) => Promise<void>,
  ): Promise<void> {
    const idp = await startIdentityProvider();
    const dir = tempDataDir();
    writeConfidentialClients(dir, [CLIENTS.confidential]);
    const companion = await startChildCompanion(dir, [...idpArgs(idp.port), '--check-interval', '3600']);
    try {
      await run({ idp, dir, call: api(companion.url, companion.secret) });
    } finally {
      await companion.kill();
      await idp.stop();
    }
  }

  it('redeems at the real token endpoint with the configured secret, and refuses a client it has no secret for', () =>
    withConfidentialClient(async ({ call, dir }) => {
      const body = {
        mode: 'code',
        provider: 'microsoft',
        clientId: CLIENTS.confidential.clientId,
        code: 'not-a-code-the-provider-issued',
        codeVerifier: 'v'.repeat(43),
        redirectUri: 'https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/',
      };
      const redeemed = await call('POST', mailboxPath(ADDRESS, '/tokens'), body);
      expect(redeemed.status).toBe(502);
      expect(redeemed.json.error.code).toBe('token_endpoint_error');
      expect(redeemed.json.error.message).toContain('invalid_grant');
      expect(redeemed.json.error.providerError).toBe('invalid_grant');
      const unknown = await call('POST', mailboxPath(ADDRESS, '/tokens'), {
        ...body,
        clientId: 'someone-elses-client',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error.code).toBe('confidential_client_unknown');
      expect(mailboxListResponseSchema.parse((await call('GET', '/v1/mailboxes')).json).mailboxes).toEqual([]);
      // The secret is in the store for every instance, sealed: not in clear in any table or file.
      const rows = await storeQuery<{ client_id: string }>(dir, 'SELECT client_id FROM client_secrets');
      expect(rows.map((r) => r.client_id)).toEqual([CLIENTS.confidential.clientId]);
      expect((await storedBytes(dir)).includes(Buffer.from(CLIENTS.confidential.clientSecret))).toBe(false);
    }));

  it(
    'redeems a code the provider really issued: the mailbox is stored with its tokens sealed, a wrong account is ' +
      'refused',
    () =>
      withConfidentialClient(async ({ idp, dir, call }) => {
        const codeBody = async (account: string) => {
          const issued = await idp.issueCode({ account, clientId: CLIENTS.confidential.clientId });
          return {
            mode: 'code',
            provider: 'microsoft',
            clientId: issued.clientId,
            tenant: issued.tenant,
            code: issued.code,
            codeVerifier: issued.codeVerifier,
            nonce: issued.nonce,
            redirectUri: issued.redirectUri,
          };
        };

        const wrong = await call('POST', mailboxPath(ADDRESS, '/tokens'), await codeBody(ACCOUNTS.wrongUser.email));
        expect(wrong.json.error.code).toBe('wrong_account');
        expect(wrong.json.error.account).toBe(ACCOUNTS.wrongUser.email);
        expect(wrong.status).toBe(409);
        expect(await storedTokens(dir, ADDRESS)).toBeUndefined();

        // A delegate passes only when the worker names it as one the admin confirmed for this mailbox.
        const otherDelegate = await call('POST', mailboxPath(ADDRESS, '/tokens'), {
          ...(await codeBody(ACCOUNTS.wrongUser.email)),
          delegates: [ACCOUNTS.delegate.email],
        });
        expect(otherDelegate.status).toBe(409);
        const delegate = await call('POST', mailboxPath(ACCOUNTS.shared.email, '/tokens'), {
          ...(await codeBody(ACCOUNTS.delegate.email)),
          delegates: [ACCOUNTS.delegate.email],
        });
        expect(delegate.status).toBe(201);
        expect(handoffResponseSchema.parse(delegate.json).mailbox).toMatchObject({
          address: ACCOUNTS.shared.email,
          account: ACCOUNTS.delegate.email,
          clientKind: 'confidential',
        });

        const redeemed = await call('POST', mailboxPath(ADDRESS, '/tokens'), await codeBody(ADDRESS));
        expect(redeemed.status).toBe(201);
        handoffResponseSchema.parse(redeemed.json);
        const stored = await storedTokens(dir, ADDRESS);
        expect(stored?.refreshToken).toBeTruthy();
        expect((await idp.introspect(stored!.accessToken)).active).toBe(true);
        expect((await storedBytes(dir)).includes(Buffer.from(stored!.accessToken))).toBe(false);
        const listed = mailboxListResponseSchema.parse((await call('GET', '/v1/mailboxes')).json).mailboxes;
        expect(listed.map((m) => m.address).sort()).toEqual([ACCOUNTS.shared.email, ADDRESS].sort());
      }),
    90_000,
  );

  it('refuses to start with a clients file others can read', async () => {
    const dir = tempDataDir();
    writeConfidentialClients(dir, [CLIENTS.confidential], 0o644);
    await expect(startChildCompanion(dir)).rejects.toThrow(/chmod 600/);
  }, 60_000);
});
