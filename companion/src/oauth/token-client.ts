/**
 * Talks to providers' token endpoints with oauth4webapi: redeems an authorization code (confidential
 * client mode) and refreshes tokens. Responses are checked by oauth4webapi (id token audience, expiry,
 * nonce); the id token issuer is checked here against what each provider issues.
 */
import * as oauth from 'oauth4webapi';
import { GOOGLE_ISSUER, MICROSOFT_AUTHORITY_HOST, type ProviderId } from '../../../lib/providers';
import type { OutboundFetch } from '../outbound';

export interface TokenEndpointClient {
  provider: ProviderId;
  tokenEndpoint: string;
  clientId: string;
  /** Set for a confidential client. */
  clientSecret?: string;
  /** Microsoft tenant from the handoff (a GUID pins the issuer). */
  tenant?: string;
  /** Sent as Origin: Microsoft redeems refresh tokens issued to a SPA redirect only from a cross-origin request. */
  origin?: string;
}

export interface GrantedTokens {
  accessToken: string;
  refreshToken?: string;
  /** epoch ms */
  expiresAt: number;
  scope: string;
  /** preferred_username / email / upn of the id token, lower-cased, when one came back. */
  account?: string;
}

/** The provider answered with an OAuth error (`invalid_grant` means: sign in again). */
export class TokenGrantError extends Error {
  constructor(
    readonly error: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MICROSOFT_ISSUER = new RegExp(`^https://${MICROSOFT_AUTHORITY_HOST.replace(/\./g, '\\.')}/([0-9a-f-]{36})/v2\\.0$`);

/** The issuer an id token from this client's token endpoint may carry, or an error saying why not. */
export function acceptIssuer(client: TokenEndpointClient, iss: unknown): string {
  if (typeof iss !== 'string') throw new Error('The id token has no issuer.');
  const ok = (() => {
    switch (client.provider) {
      case 'microsoft': {
        const tid = MICROSOFT_ISSUER.exec(iss)?.[1];
        const pinned = client.tenant && /^[0-9a-f-]{36}$/.test(client.tenant) ? client.tenant : undefined;
        return tid !== undefined && (!pinned || pinned === tid);
      }
      case 'google':
        return iss === GOOGLE_ISSUER || iss === 'accounts.google.com';
      case 'generic':
        // No discovery for the generic provider: its issuer must live on the token endpoint's host.
        try {
          return new URL(iss).host === new URL(client.tokenEndpoint).host;
        } catch {
          return false;
        }
    }
  })();
  if (!ok) throw new Error(`The id token's issuer ${iss} is not one ${client.provider} uses for this sign-in.`);
  return iss;
}

function peekIdTokenIssuer(idToken: unknown): unknown {
  if (typeof idToken !== 'string') return undefined;
  try {
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return payload.iss;
  } catch {
    return undefined;
  }
}

function accountOf(claims: oauth.IDToken | undefined): string | undefined {
  const value = claims?.preferred_username ?? claims?.email ?? claims?.upn;
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

export class TokenClient {
  constructor(private readonly fetch: OutboundFetch) {}

  private setup(client: TokenEndpointClient, issuer: string) {
    // Mutable: the issuer is only known once the response is in (see issuerFor).
    const as: { issuer: string; token_endpoint: string } = { issuer, token_endpoint: client.tokenEndpoint };
    const c: oauth.Client = { client_id: client.clientId };
    const auth = client.clientSecret ? oauth.ClientSecretPost(client.clientSecret) : oauth.None();
    const headers = new Headers();
    if (client.origin && !client.clientSecret) headers.set('origin', client.origin);
    return {
      as,
      c,
      auth,
      options: { [oauth.customFetch]: this.fetch as typeof fetch, headers, signal: AbortSignal.timeout(20_000) },
    };
  }

  /** Reads the response once to learn the id token issuer, then lets oauth4webapi check it against that. */
  private async issuerFor(client: TokenEndpointClient, response: Response): Promise<string> {
    if (!response.ok) return new URL(client.tokenEndpoint).origin;
    const body = (await response.clone().json().catch(() => ({}))) as { id_token?: unknown };
    return body.id_token === undefined ? new URL(client.tokenEndpoint).origin : acceptIssuer(client, peekIdTokenIssuer(body.id_token));
  }

  async refresh(client: TokenEndpointClient, refreshToken: string): Promise<GrantedTokens> {
    return this.grant(client, async (s) => {
      const response = await oauth.refreshTokenGrantRequest(s.as, s.c, s.auth, refreshToken, s.options);
      s.as.issuer = await this.issuerFor(client, response);
      return oauth.processRefreshTokenResponse(s.as, s.c, response);
    }, refreshToken);
  }

  async redeemCode(
    client: TokenEndpointClient,
    params: { code: string; codeVerifier: string; redirectUri: string; nonce?: string },
  ): Promise<GrantedTokens> {
    return this.grant(client, async (s) => {
      // The worker already checked state on the redirect; this only brands the parameters for oauth4webapi.
      const callback = oauth.validateAuthResponse(s.as, s.c, new URLSearchParams({ code: params.code }), oauth.skipStateCheck);
      const response = await oauth.authorizationCodeGrantRequest(s.as, s.c, s.auth, callback, params.redirectUri, params.codeVerifier, s.options);
      s.as.issuer = await this.issuerFor(client, response);
      return oauth.processAuthorizationCodeResponse(s.as, s.c, response, {
        expectedNonce: params.nonce ?? oauth.expectNoNonce,
        requireIdToken: true,
      });
    });
  }

  private async grant(
    client: TokenEndpointClient,
    run: (s: ReturnType<TokenClient['setup']>) => Promise<oauth.TokenEndpointResponse>,
    previousRefreshToken?: string,
  ): Promise<GrantedTokens> {
    let result: oauth.TokenEndpointResponse;
    try {
      result = await run(this.setup(client, new URL(client.tokenEndpoint).origin));
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError) {
        // error_description may quote the request; only the code and status are kept.
        throw new TokenGrantError(err.error, err.status, `The token endpoint refused the request: ${err.error} (HTTP ${err.status}).`);
      }
      // fetch says only "fetch failed"; the reason (refused address, DNS, TLS) is its cause.
      const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
      const reason = err instanceof Error ? `${err.message}${cause}` : String(err);
      throw new TokenGrantError('request_failed', 0, `Could not get tokens from ${new URL(client.tokenEndpoint).host}: ${reason}`);
    }
    const refreshToken = result.refresh_token ?? previousRefreshToken;
    return {
      accessToken: result.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000,
      scope: result.scope ?? '',
      account: accountOf(oauth.getValidatedIdTokenClaims(result)),
    };
  }
}
