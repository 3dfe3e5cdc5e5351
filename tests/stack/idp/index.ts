/**
 * One HTTPS server on 127.0.0.1 that is login.microsoftonline.com, accounts.google.com (+ oauth2.googleapis.com,
 * www.googleapis.com, openidconnect.googleapis.com) and idp.reauth.test at once, routing by Host header and path
 * to three oidc-provider issuers, plus the account picker, Microsoft's discovery/logout/admin-consent pages and
 * the switches tests use.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { AdapterPayload } from 'oidc-provider';
import { ensureTestCerts } from '../../support/certs';
import {
  accountByEmail,
  ACCOUNT_LIST,
  CLIENTS,
  EXTENSION_REDIRECT_URI,
  type ProviderKind,
  type StackAccount,
  type StackClient,
} from '../accounts';
import type {
  AuthorizeErrorSwitch,
  AuthorizeRequestRecord,
  TokenErrorSwitch,
  IdentityProvider,
  IdentityProviderOptions,
  MicrosoftErrorPreset,
} from '../index';
import { TokenStore } from './store';
import { accountBySub, createProvider, ISSUERS, type SharedState } from './providers';
import {
  accountsForTenant,
  fillErrorTemplate,
  MICROSOFT_HOST,
  MICROSOFT_PATH,
  microsoftDiscovery,
  microsoftErrorPreset,
  microsoftIssuer,
  resolveTenant,
} from './microsoft';
import { adminConsentPage, messagePage, pickerPage } from './picker';
import { loopbackFetch, loopbackRequester } from './loopback-http';
import { headlessClient } from './headless';

const GOOGLE_HOSTS = [
  'accounts.google.com',
  'oauth2.googleapis.com',
  'www.googleapis.com',
  'openidconnect.googleapis.com',
];
export const IDP_HOSTS = [MICROSOFT_HOST, ...GOOGLE_HOSTS, 'idp.reauth.test'] as const;

/** Tokens are signed with the test server certificate's RSA key: made once per machine, no key generation per start. */
function signingKey(pem: string): JWK & { kid: string } {
  const jwk = createPrivateKey(pem).export({ format: 'jwk' }) as JWK;
  const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

function clientMetadata(c: StackClient): AdapterPayload {
  const redirectUris = c.redirectUris?.length ? c.redirectUris : [EXTENSION_REDIRECT_URI];
  return {
    client_id: c.clientId,
    ...(c.clientSecret
      ? { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_post' }
      : { token_endpoint_auth_method: 'none' }),
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'] as const,
  };
}

function knownAccount(email: string): StackAccount {
  const account = accountByEmail(email);
  if (!account) throw new Error(`Unknown test account ${email} (see tests/stack/accounts.ts)`);
  return account;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  const certs = ensureTestCerts();
  const store = new TokenStore();
  const accountTtl = new Map<string, number>();
  const grantTtl = new Map<string, number>();
  const clientTtl = new Map<string, number>();
  const authorizeLog: AuthorizeRequestRecord[] = [];
  const logoutLog: AuthorizeRequestRecord[] = [];
  const consents: Array<{ tenant: string; clientId: string; at: Date }> = [];
  let errorSwitch: AuthorizeErrorSwitch | null = null;
  let tokenError: TokenErrorSwitch | null = null;

  const shared: SharedState = {
    store,
    signingKey: signingKey(certs.key),
    cookieKeys: [randomBytes(24).toString('hex')],
    accessTokenTtl: (accountId, grantId, clientId) =>
      (accountId && accountTtl.get(accountId)) || (grantId && grantTtl.get(grantId)) || clientTtl.get(clientId) || 3600,
  };

  const registerClient = (c: StackClient) => {
    if (!c.clientId) throw new Error('registerClient: clientId is required');
    store.clients.set(c.clientId, clientMetadata(c));
    if (c.accessTokenTtl) clientTtl.set(c.clientId, c.accessTokenTtl);
    else clientTtl.delete(c.clientId);
  };
  registerClient(CLIENTS.public);
  registerClient(CLIENTS.confidential);
  store.clients.set(CLIENTS.introspection.clientId, {
    client_id: CLIENTS.introspection.clientId,
    client_secret: CLIENTS.introspection.clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [],
    response_types: [],
    redirect_uris: [],
  });
  for (const c of options.clients ?? []) registerClient(c);

  const providers: Record<ProviderKind, Provider> = {
    microsoft: createProvider(ISSUERS.microsoft, shared),
    google: createProvider(ISSUERS.google, shared),
    generic: createProvider(ISSUERS.generic, shared),
  };
  const callbacks = {
    microsoft: providers.microsoft.callback(),
    google: providers.google.callback(),
    generic: providers.generic.callback(),
  };
  for (const p of Object.values(providers)) p.on('server_error', (_ctx, err) => console.error('[test idp]', err));

  /** Mount a provider under a path prefix, the way oidc-provider expects (originalUrl keeps the prefix). */
  const handOver = (kind: ProviderKind, req: IncomingMessage, res: ServerResponse, innerUrl: string, mount = '') => {
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${mount}${innerUrl}`;
    req.url = innerUrl;
    return callbacks[kind](req, res);
  };

  /** Records the request and prepares the query: offline access survives a prompt other than consent. */
  const authorizeQuery = (kind: ProviderKind, req: IncomingMessage, url: URL, tenant?: string): string => {
    const query = Object.fromEntries(url.searchParams);
    authorizeLog.push({
      provider: kind,
      host: (req.headers.host ?? '').replace(/:\d+$/, ''),
      tenant,
      path: url.pathname,
      query,
      at: new Date(),
    });
    const q = new URLSearchParams(url.searchParams);
    const scopes = new Set((q.get('scope') ?? '').split(' ').filter(Boolean));
    if (kind === 'google' && q.get('access_type') === 'offline') scopes.add('offline_access');
    if (kind === 'microsoft' && scopes.size && !scopes.has('openid')) scopes.add('openid');
    if (scopes.size) q.set('scope', [...scopes].join(' '));
    // oidc-provider drops offline_access unless prompt includes consent (OIDC Core 11); Microsoft and Google
    // issue refresh tokens with any prompt. Our consent step is automatic, so asking for it changes nothing visible.
    const prompts = new Set((q.get('prompt') ?? '').split(' ').filter(Boolean));
    if (scopes.has('offline_access') && !prompts.has('none') && !prompts.has('consent')) {
      prompts.add('consent');
      q.set('prompt', [...prompts].join(' '));
    }
    if (tenant) q.set('reauth_tenant', tenant);
    return q.toString();
  };

  const pickableAccounts = (kind: ProviderKind, tenant: string | undefined): StackAccount[] => {
    if (kind === 'microsoft') {
      const selector = resolveTenant(tenant ?? 'common');
      return selector ? accountsForTenant(selector) : [];
    }
    return ACCOUNT_LIST.filter((a) => a.provider === kind && a.canSignIn);
  };

  /** Finish the interaction: the error switch if it applies, else sign in + consent for `account`. */
  const complete = async (kind: ProviderKind, req: IncomingMessage, res: ServerResponse, account: StackAccount) => {
    const provider = providers[kind];
    const details = await provider.interactionDetails(req, res);
    const params = details.params as Record<string, string | undefined>;
    const clientId = String(params.client_id);
    const sw = errorSwitch;
    if (
      sw &&
      (!sw.provider || sw.provider === kind) &&
      (!sw.clientId || sw.clientId === clientId) &&
      (!sw.accounts || sw.accounts.includes(account.email))
    ) {
      if (sw.once) errorSwitch = null;
      const description = fillErrorTemplate(sw.error_description, {
        clientId,
        tenant: params.reauth_tenant ?? 'common',
        account: account.email,
        tid: account.tid ?? '',
      });
      await provider.interactionFinished(
        req,
        res,
        { error: sw.error, error_description: description },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = new provider.Grant({ accountId: account.sub, clientId });
    if (params.scope) grant.addOIDCScope(params.scope);
    const grantId = await grant.save();
    const ttl = Number(params.reauth_ttl);
    if (Number.isFinite(ttl) && ttl > 0) grantTtl.set(grantId, ttl);
    await provider.interactionFinished(
      req,
      res,
      { select_account: {}, login: { accountId: account.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = /^\/interaction\/(microsoft|google|generic)\/([\w-]+)(\/select)?$/.exec(url.pathname);
    if (!m) return send(res, 404, 'text/plain', 'Unknown interaction path');
    const kind = m[1] as ProviderKind;
    const provider = providers[kind];
    const details = await provider.interactionDetails(req, res);
    const params = details.params as Record<string, string | undefined>;
    const hint = params.login_hint?.toLowerCase();
    // A picker of 10,000 benchmark accounts would make every sign-in cost a 1 MB page (slower each account).
    const accounts = pickableAccounts(kind, params.reauth_tenant).filter(
      (a) => !a.pickerOnlyWhenHinted || a.email === hint,
    );
    if (req.method === 'POST' && m[3]) {
      const form = new URLSearchParams(await readBody(req));
      if (form.has('cancel')) {
        const error =
          kind === 'microsoft'
            ? { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.' }
            : { error: 'access_denied', error_description: 'The user cancelled the sign-in.' };
        return provider.interactionFinished(req, res, error, { mergeWithLastSubmission: false });
      }
      const chosen = accounts.find((a) => a.email === form.get('account'));
      if (!chosen)
        return send(
          res,
          400,
          'text/html',
          messagePage('Unknown account', `No such account here: ${form.get('account')}`, 'idp-error'),
        );
      return complete(kind, req, res, chosen);
    }
    // Consent only (a live session, no prompt that asks for the picker): silently reuse the session's account,
    // exactly what real providers do and what the product must guard against.
    if (details.prompt.name === 'consent' && details.session?.accountId) {
      const account = accountBySub(details.session.accountId);
      if (account) return complete(kind, req, res, account);
    }
    return send(
      res,
      200,
      'text/html; charset=utf-8',
      pickerPage({
        provider: kind,
        action: `/interaction/${kind}/${m[2]}/select`,
        accounts,
        loginHint: params.login_hint,
        clientId: String(params.client_id),
      }),
    );
  };

  const microsoft = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = MICROSOFT_PATH.exec(url.pathname);
    if (!m)
      return send(
        res,
        404,
        'application/json',
        JSON.stringify({ error: 'not_found', error_description: `No Microsoft endpoint at ${url.pathname}` }),
      );
    const tenant = m[1]!;
    const selector = resolveTenant(tenant);
    if (!selector) {
      return send(
        res,
        400,
        'application/json',
        JSON.stringify({
          error: 'invalid_tenant',
          error_description:
            `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct ` +
            `tenant ID and are signing into the correct cloud.`,
          error_codes: [90002],
        }),
      );
    }
    const rest = url.pathname.slice(tenant.length + 1);
    const origin = `https://${req.headers.host}`;
    if (rest === '/v2.0/.well-known/openid-configuration') {
      return send(res, 200, 'application/json', JSON.stringify(microsoftDiscovery(origin, tenant, selector)), {
        'access-control-allow-origin': '*',
      });
    }
    if (rest === '/oauth2/v2.0/logout') {
      logoutLog.push({
        provider: 'microsoft',
        host: (req.headers.host ?? '').replace(/:\d+$/, ''),
        tenant,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        at: new Date(),
      });
      const cookie = req.headers.cookie ?? '';
      const sessionId = /(?:^|;\s*)_ms_session=([^;]+)/.exec(cookie)?.[1];
      if (sessionId) store.destroySession(sessionId);
      const expired = ['_ms_session', '_ms_session.sig', '_ms_session.legacy', '_ms_session.legacy.sig'].map(
        (n) => `${n}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly`,
      );
      const back = url.searchParams.get('post_logout_redirect_uri');
      if (back) {
        res.writeHead(302, { location: back, 'set-cookie': expired });
        return res.end();
      }
      res.setHeader('set-cookie', expired);
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        messagePage(
          'You signed out of your account',
          'It\u2019s a good idea to close all browser windows.',
          'signed-out',
        ),
      );
    }
    if (rest === '/adminconsent') {
      const clientId = url.searchParams.get('client_id') ?? '';
      if (req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const redirect = url.searchParams.get('redirect_uri');
        const accepted = form.get('accept') === '1';
        if (accepted) {
          consents.push({ tenant, clientId, at: new Date() });
          if (errorSwitch?.error === 'consent_required') errorSwitch = null;
        }
        if (redirect) {
          const back = new URL(redirect);
          if (accepted) {
            back.searchParams.set('admin_consent', 'True');
            back.searchParams.set('tenant', selector.kind === 'tenant' ? selector.id : tenant);
          } else {
            back.searchParams.set('error', 'access_denied');
            back.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
          }
          const state = url.searchParams.get('state');
          if (state) back.searchParams.set('state', state);
          res.writeHead(302, { location: back.toString() });
          return res.end();
        }
        return send(
          res,
          200,
          'text/html; charset=utf-8',
          messagePage(
            accepted ? 'Admin consent granted' : 'Admin consent declined',
            `App ${clientId}`,
            accepted ? 'admin-consent-granted' : 'admin-consent-declined',
          ),
        );
      }
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        adminConsentPage(`${url.pathname}${url.search}`, clientId, tenant),
      );
    }
    if (rest === '/oauth2/v2.0/token' && tokenError && (req.method === 'POST' || req.method === 'OPTIONS')) {
      const cors: Record<string, string> = {
        'access-control-allow-origin': String(req.headers.origin ?? '*'),
        'access-control-allow-headers': 'content-type',
        'access-control-allow-methods': 'POST',
      };
      if (req.method === 'OPTIONS') return send(res, 204, 'text/plain', '', cors);
      const body = JSON.stringify({
        ...tokenError,
        trace_id: randomBytes(8).toString('hex'),
        timestamp: new Date().toISOString(),
      });
      tokenError = null;
      return send(res, 400, 'application/json', body, cors);
    }
    if (rest === '/oauth2/v2.0/authorize' && req.method === 'GET') {
      return handOver('microsoft', req, res, `${rest}?${authorizeQuery('microsoft', req, url, tenant)}`, `/${tenant}`);
    }
    return handOver('microsoft', req, res, `${rest}${url.search}`, `/${tenant}`);
  };

  const google = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(
        res,
        200,
        'application/json',
        JSON.stringify({
          issuer: 'https://accounts.google.com',
          authorization_endpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
          token_endpoint: 'https://oauth2.googleapis.com/token',
          userinfo_endpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
          revocation_endpoint: 'https://oauth2.googleapis.com/revoke',
          jwks_uri: 'https://www.googleapis.com/oauth2/v3/certs',
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          claims_supported: ['aud', 'email', 'email_verified', 'exp', 'hd', 'iat', 'iss', 'name', 'sub'],
          code_challenge_methods_supported: ['S256'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
        }),
        { 'access-control-allow-origin': '*' },
      );
    }
    if (url.pathname === ISSUERS.google.routes!.authorization && req.method === 'GET') {
      return handOver('google', req, res, `${url.pathname}?${authorizeQuery('google', req, url)}`);
    }
    return handOver('google', req, res, `${url.pathname}${url.search}`);
  };

  const generic = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === ISSUERS.generic.routes!.authorization && req.method === 'GET') {
      return handOver('generic', req, res, `${url.pathname}?${authorizeQuery('generic', req, url)}`);
    }
    return handOver('generic', req, res, `${url.pathname}${url.search}`);
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', 'https://placeholder.invalid');
    try {
      if (url.pathname.startsWith('/interaction/')) return await interaction(req, res, url);
      if (host === MICROSOFT_HOST || (!GOOGLE_HOSTS.includes(host) && MICROSOFT_PATH.test(url.pathname))) {
        return await microsoft(req, res, url);
      }
      if (GOOGLE_HOSTS.includes(host)) return await google(req, res, url);
      return await generic(req, res, url);
    } catch (err) {
      const e = err as Error & { status?: number; error?: string; error_description?: string };
      if (!res.headersSent) {
        send(
          res,
          e.status ?? 500,
          'text/html; charset=utf-8',
          messagePage('Sign-in error', `${e.error ?? e.name}: ${e.error_description ?? e.message}`, 'idp-error'),
        );
      }
    }
  };

  const server: Server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => void route(req, res));
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `https://127.0.0.1:${port}`;
  const request = loopbackRequester(port, certs.ca, IDP_HOSTS);
  const idpFetch = loopbackFetch(request);

  const ms = (tenant: string) => `https://${MICROSOFT_HOST}/${tenant}`;
  const urls: IdentityProvider['urls'] = {
    microsoft: {
      authority: ms,
      authorize: (t) => `${ms(t)}/oauth2/v2.0/authorize`,
      token: (t) => `${ms(t)}/oauth2/v2.0/token`,
      discovery: (t) => `${ms(t)}/v2.0/.well-known/openid-configuration`,
      keys: (t) => `${ms(t)}/discovery/v2.0/keys`,
      logout: (t) => `${ms(t)}/oauth2/v2.0/logout`,
      adminConsent: (t) => `${ms(t)}/adminconsent`,
      issuer: microsoftIssuer,
    },
    google: {
      issuer: 'https://accounts.google.com',
      authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      revoke: 'https://oauth2.googleapis.com/revoke',
      keys: 'https://www.googleapis.com/oauth2/v3/certs',
      discovery: 'https://accounts.google.com/.well-known/openid-configuration',
    },
    generic: {
      issuer: 'https://idp.reauth.test',
      authorize: 'https://idp.reauth.test/authorize',
      token: 'https://idp.reauth.test/token',
      revoke: 'https://idp.reauth.test/revoke',
      keys: 'https://idp.reauth.test/jwks',
      discovery: 'https://idp.reauth.test/.well-known/openid-configuration',
      userinfo: 'https://idp.reauth.test/userinfo',
    },
  };
  const introspection = {
    url: `${origin}/token/introspection`,
    clientId: CLIENTS.introspection.clientId,
    clientSecret: CLIENTS.introspection.clientSecret,
  };
  const clientSecretOf = (clientId: string) => store.clients.get(clientId)?.client_secret as string | undefined;
  const headless = headlessClient({ request, urls, introspection, clientSecretOf, store });

  return {
    port,
    origin,
    hosts: IDP_HOSTS,
    hostResolverRules: IDP_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', '),
    urls,
    introspection,
    fetch: idpFetch,
    registerClient,
    authorizeRequests: () => [...authorizeLog],
    clearAuthorizeRequests: () => {
      authorizeLog.length = 0;
      logoutLog.length = 0;
    },
    logoutRequests: () => [...logoutLog],
    setAuthorizeError(err: AuthorizeErrorSwitch | MicrosoftErrorPreset | null) {
      errorSwitch = typeof err === 'string' ? microsoftErrorPreset(err) : err;
    },
    setTokenError(err: TokenErrorSwitch | null) {
      tokenError = err;
    },
    adminConsents: () => [...consents],
    issueTokens: headless.issueTokens,
    issueCode: headless.issueCode,
    refresh: headless.refresh,
    introspect: headless.introspect,
    revoke: headless.revoke,
    async revokeAll(account: string) {
      store.revokeAccount(knownAccount(account).sub);
    },
    async revokeAccessToken(accessToken: string) {
      store.revokeAccessToken(accessToken);
    },
    setAccessTokenTtl(account: string, seconds: number | null) {
      const { sub } = knownAccount(account);
      if (seconds === null) accountTtl.delete(sub);
      else accountTtl.set(sub, seconds);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
