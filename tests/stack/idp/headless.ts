/**
 * Tokens without a browser: drives the real authorize endpoint (manual redirects, a cookie jar, the picker's
 * form), then redeems the code with PKCE at the real token endpoint. Also refresh, introspection and revocation
 * through the real endpoints.
 */
import { createHash, randomBytes } from 'node:crypto';
import { accountByEmail, CLIENTS, EXTENSION_REDIRECT_URI, type ProviderKind } from '../accounts';
import type { IdentityProvider, IntrospectionResult, IssuedCode, IssueTokensOptions, TokenSet } from '../index';
import { microsoftTenantFor, MICROSOFT_MAIL_SCOPES, GOOGLE_MAIL_SCOPES } from '../../../lib/providers';
import type { LoopbackResponse, loopbackRequester } from './loopback-http';
import type { TokenStore } from './store';
import { accountBySub } from './providers';

export class ProviderError extends Error {
  constructor(
    readonly error: string,
    readonly error_description: string | undefined,
    readonly status?: number,
  ) {
    super(`${error}${error_description ? `: ${error_description}` : ''}`);
    this.name = 'ProviderError';
  }
}

export const DEFAULT_SCOPES: Record<ProviderKind, string> = {
  microsoft: MICROSOFT_MAIL_SCOPES.join(' '),
  google: GOOGLE_MAIL_SCOPES.join(' '),
  generic: 'openid email profile offline_access imap smtp',
};

class CookieJar {
  readonly #byHost = new Map<string, Map<string, string>>();
  store(host: string, setCookie: string | string[] | undefined) {
    const jar = this.#byHost.get(host) ?? new Map<string, string>();
    this.#byHost.set(host, jar);
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=thu, 01 jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }
  header(host: string): string {
    return [...(this.#byHost.get(host) ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

interface Deps {
  request: ReturnType<typeof loopbackRequester>;
  urls: IdentityProvider['urls'];
  introspection: IdentityProvider['introspection'];
  clientSecretOf(clientId: string): string | undefined;
  store: TokenStore;
}

function parseJson(res: LoopbackResponse): Record<string, unknown> {
  try {
    return JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    throw new ProviderError('invalid_response', `HTTP ${res.status}: ${res.body.slice(0, 200)}`, res.status);
  }
}

function tokenSetFrom(res: LoopbackResponse): TokenSet {
  const json = parseJson(res);
  if (res.status !== 200 || typeof json.access_token !== 'string') {
    throw new ProviderError(
      String(json.error ?? 'invalid_response'),
      json.error_description as string | undefined,
      res.status,
    );
  }
  return json as unknown as TokenSet;
}

export function headlessClient(deps: Deps) {
  const { request, urls } = deps;
  const tokenUrl = (kind: ProviderKind, tenant = 'organizations') =>
    kind === 'microsoft' ? urls.microsoft.token(tenant) : kind === 'google' ? urls.google.token : urls.generic.token;

  const form = (values: Record<string, string | undefined>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v !== undefined) body.set(k, v);
    return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
  };

  /** Signs the account in and stops at the authorization code, for a test that redeems it elsewhere. */
  async function issueCode(o: IssueTokensOptions): Promise<IssuedCode> {
    const account = accountByEmail(o.account);
    if (!account) throw new Error(`issueCode: unknown account ${o.account}`);
    const kind = o.provider ?? account.provider;
    const clientId = o.clientId ?? CLIENTS.public.clientId;
    const tenant = o.tenant ?? microsoftTenantFor(account.email);
    const verifier = randomBytes(32).toString('base64url');
    const nonce = randomBytes(12).toString('base64url');
    const state = randomBytes(12).toString('base64url');
    const authorize = new URL(
      kind === 'microsoft'
        ? urls.microsoft.authorize(tenant)
        : kind === 'google'
          ? urls.google.authorize
          : urls.generic.authorize,
    );
    const params: Record<string, string> = {
      client_id: clientId,
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: EXTENSION_REDIRECT_URI,
      scope: o.scope ?? DEFAULT_SCOPES[kind],
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      prompt: 'select_account',
      login_hint: account.email,
      ...(kind === 'google' ? { access_type: 'offline' } : {}),
      ...(o.accessTokenTtl ? { reauth_ttl: String(o.accessTokenTtl) } : {}),
    };
    for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);

    const jar = new CookieJar();
    let next = authorize;
    let init: { method?: string; headers?: Record<string, string>; body?: string } = {};
    for (let hop = 0; hop < 12; hop++) {
      const res = await request(next, { ...init, headers: { ...init.headers, cookie: jar.header(next.host) } });
      jar.store(next.host, res.headers['set-cookie']);
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && typeof location === 'string') {
        const target = new URL(location, next);
        if (target.href.startsWith(EXTENSION_REDIRECT_URI)) {
          const answer = new URLSearchParams(target.search || target.hash.slice(1));
          if (answer.get('error'))
            throw new ProviderError(answer.get('error')!, answer.get('error_description') ?? undefined);
          if (answer.get('state') !== state)
            throw new Error('issueTokens: state mismatch in the authorization response');
          const code = answer.get('code');
          if (!code) throw new Error(`issueTokens: no code in ${target.href}`);
          return {
            code,
            codeVerifier: verifier,
            nonce,
            redirectUri: EXTENSION_REDIRECT_URI,
            clientId,
            provider: kind,
            tenant,
          };
        }
        next = target;
        init = {};
        continue;
      }
      if (res.status === 200 && res.body.includes('data-testid="account-picker"')) {
        if (!res.body.includes(`data-account="${account.email}"`)) {
          throw new Error(`issueTokens: ${account.email} is not on the ${kind} picker (tenant ${tenant})`);
        }
        const action = /<form method="post" action="([^"]+)"/.exec(res.body)?.[1];
        if (!action) throw new Error('issueTokens: picker form without action');
        next = new URL(action.replace(/&amp;/g, '&'), next);
        init = form({ account: account.email });
        continue;
      }
      throw new Error(
        `issueTokens: unexpected HTTP ${res.status} at ${next.pathname}: ${res.body
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 300)}`,
      );
    }
    throw new Error('issueTokens: too many redirects');
  }

  async function issueTokens(o: IssueTokensOptions): Promise<TokenSet> {
    const issued = await issueCode(o);
    return tokenSetFrom(
      await request(
        tokenUrl(issued.provider, issued.tenant),
        form({
          grant_type: 'authorization_code',
          code: issued.code,
          redirect_uri: issued.redirectUri,
          code_verifier: issued.codeVerifier,
          client_id: issued.clientId,
          client_secret: deps.clientSecretOf(issued.clientId),
        }),
      ),
    );
  }

  async function refresh(refreshToken: string, o: { provider?: ProviderKind; clientId?: string; scope?: string } = {}) {
    const stored = deps.store.findToken(refreshToken);
    const account = stored ? accountBySub(String(stored.payload.accountId)) : undefined;
    const kind = o.provider ?? account?.provider ?? 'generic';
    const clientId = o.clientId ?? (stored?.payload.clientId as string | undefined) ?? CLIENTS.public.clientId;
    return tokenSetFrom(
      await request(
        tokenUrl(kind, account ? microsoftTenantFor(account.email) : undefined),
        form({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: clientId,
          client_secret: deps.clientSecretOf(clientId),
          scope: o.scope,
        }),
      ),
    );
  }

  async function introspect(token: string): Promise<IntrospectionResult> {
    const { clientId, clientSecret } = deps.introspection;
    const res = await request(deps.introspection.url, {
      ...form({ token }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
    });
    const json = parseJson(res);
    if (res.status !== 200)
      throw new ProviderError(String(json.error), json.error_description as string | undefined, res.status);
    return json as IntrospectionResult;
  }

  /** RFC 7009 at the generic issuer's revocation endpoint, as the token's own client (revokes its grant). */
  async function revoke(token: string): Promise<void> {
    const stored = deps.store.findToken(token);
    if (!stored) return;
    const clientId = String(stored.payload.clientId);
    const res = await request(
      urls.generic.revoke,
      form({ token, client_id: clientId, client_secret: deps.clientSecretOf(clientId) }),
    );
    if (res.status !== 200) {
      const json = parseJson(res);
      throw new ProviderError(String(json.error), json.error_description as string | undefined, res.status);
    }
  }

  return { issueCode, issueTokens, refresh, introspect, revoke };
}
