/**
 * The id token checks the worker runs on every sign-in (lib: oauth4webapi): each defect a forged or stale
 * token can have is refused, and the refusal lands on the right catalogue entry.
 */
import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { validateIdToken } from '../../entrypoints/background/signin/id-token';
import { toSigninFailure } from '../../entrypoints/background/signin/failure';

const issuer = 'https://login.microsoftonline.com/c5a1f3e0-7b2d-4c8e-9f10-2d3b4c5d6e01/v2.0';
const jwksUri = 'https://login.microsoftonline.com/organizations/discovery/v2.0/keys';
const clientId = 'a3c5e1f0-7b2d-4c8e-9f10-2d3b4c5d6e7f';
const nonce = 'nonce-123';

const provider = await generateKeyPair('RS256');
const stranger = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(provider.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
const jwksFetch = (async () =>
  new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } })) as typeof fetch;

async function token(overrides: Record<string, unknown> = {}, key = provider.privateKey, exp = '10m') {
  return new SignJWT({ nonce, preferred_username: 'support@contoso.test', ...overrides })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer((overrides.iss as string) ?? issuer)
    .setAudience((overrides.aud as string) ?? clientId)
    .setSubject('ms-sub-1')
    .setIssuedAt(Math.floor(Date.now() / 1000) - (exp === '-1h' ? 7200 : 0))
    .setExpirationTime(exp === '-1h' ? Math.floor(Date.now() / 1000) - 3600 : exp)
    .sign(key);
}

const check = (jwt: string, expectNonce = nonce) =>
  validateIdToken(jwt, { issuer, jwksUri, clientId, nonce: expectNonce }, { fetch: jwksFetch });

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return toSigninFailure(error).errorId;
  }
  return 'accepted';
}

describe('id token validation', () => {
  it('accepts a token from the provider, for this client, with this nonce', async () => {
    const claims = await check(await token());
    expect(claims.preferred_username).toBe('support@contoso.test');
  });

  it('refuses another nonce (a replayed or swapped token)', async () => {
    expect(await failureOf(check(await token(), 'another-nonce'))).toBe('nonce-mismatch');
  });

  it('refuses another issuer', async () => {
    expect(
      await failureOf(
        check(await token({ iss: 'https://login.microsoftonline.com/f4b2c8d1-3e5a-4b6c-8d7e-9f0a1b2c3d02/v2.0' })),
      ),
    ).toBe('id-token-invalid');
  });

  it('refuses a token for another client', async () => {
    expect(await failureOf(check(await token({ aud: 'someone-else' })))).toBe('id-token-invalid');
  });

  it('refuses an expired token', async () => {
    expect(await failureOf(check(await token({}, provider.privateKey, '-1h')))).toBe('id-token-invalid');
  });

  it('refuses a token signed with a key the provider does not publish', async () => {
    expect(await failureOf(check(await token({}, stranger.privateKey)))).toBe('id-token-invalid');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await token()).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        iss: issuer,
        aud: clientId,
        sub: 'x',
        nonce,
        iat: 1,
        exp: 9999999999,
        preferred_username: 'support@contoso.test',
      }),
    ).toString('base64url');
    expect(await failureOf(check(`${header}.${forged}.${signature}`))).toBe('id-token-invalid');
  });
});
