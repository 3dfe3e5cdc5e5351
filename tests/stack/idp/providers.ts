/**
 * The three oidc-provider issuers (Microsoft v2.0, Google, generic) with the paths the real providers use.
 * They share one token store, one key set and one client registry.
 */
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { SignJWT, importJWK, type JWK } from 'jose';
import { ACCOUNT_LIST, CLIENTS, type ProviderKind, type StackAccount } from '../accounts';
import type { TokenStore } from './store';
import { clientInfo, microsoftIssuer } from './microsoft';

export const MAIL_SCOPES = [
  'https://outlook.office.com/IMAP.AccessAsUser.All',
  'https://outlook.office.com/SMTP.Send',
  'https://mail.google.com/',
  'imap',
  'smtp',
];

/** Extra authorize parameters kept through the interaction (the reauth_* ones the server adds itself). */
export const EXTRA_PARAMS = ['reauth_tenant', 'reauth_ttl', 'access_type', 'client_info'];

export interface IssuerDefinition {
  kind: ProviderKind;
  issuer: string;
  routes: Configuration['routes'];
}

export const ISSUERS: Record<ProviderKind, IssuerDefinition> = {
  microsoft: {
    kind: 'microsoft',
    // Placeholder: id tokens are re-signed with https://login.microsoftonline.com/{tid}/v2.0 (see below).
    issuer: 'https://login.microsoftonline.com/common/v2.0',
    routes: {
      authorization: '/oauth2/v2.0/authorize',
      token: '/oauth2/v2.0/token',
      jwks: '/discovery/v2.0/keys',
      userinfo: '/oidc/userinfo',
      introspection: '/oauth2/v2.0/introspect',
      revocation: '/oauth2/v2.0/revoke',
      end_session: '/oauth2/v2.0/session-end',
    },
  },
  google: {
    kind: 'google',
    issuer: 'https://accounts.google.com',
    routes: {
      authorization: '/o/oauth2/v2/auth',
      token: '/token',
      jwks: '/oauth2/v3/certs',
      userinfo: '/v1/userinfo',
      revocation: '/revoke',
      introspection: '/tokeninfo-introspection',
      end_session: '/Logout',
    },
  },
  generic: {
    kind: 'generic',
    issuer: 'https://idp.reauth.test',
    routes: {
      authorization: '/authorize',
      token: '/token',
      jwks: '/jwks',
      userinfo: '/userinfo',
      revocation: '/revoke',
      introspection: '/token/introspection',
      end_session: '/logout',
    },
  },
};

/** oidc-provider's accountId is the account's `sub` (it becomes the id token subject). */
export function accountBySub(sub: string | undefined): StackAccount | undefined {
  return sub === undefined ? undefined : ACCOUNT_LIST.find((a) => a.sub === sub);
}

export interface SharedState {
  store: TokenStore;
  signingKey: JWK & { kid: string };
  cookieKeys: string[];
  accessTokenTtl(accountId: string | undefined, grantId: string | undefined, clientId: string): number;
}

function claimsFor(kind: ProviderKind, account: StackAccount): Record<string, unknown> {
  switch (kind) {
    case 'microsoft':
      return {
        sub: account.sub,
        oid: account.oid,
        tid: account.tid,
        ver: '2.0',
        name: account.name,
        preferred_username: account.email,
        email: account.email,
      };
    case 'google':
      return {
        sub: account.sub,
        email: account.email,
        email_verified: true,
        name: account.name,
        hd: account.email.split('@')[1],
      };
    case 'generic':
      return {
        sub: account.sub,
        email: account.email,
        email_verified: true,
        name: account.name,
        preferred_username: account.email,
      };
  }
}

export function createProvider(def: IssuerDefinition, shared: SharedState): Provider {
  const policy = interactionPolicy.base();
  // select_account always shows the picker, as the real providers do, even over a live session.
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  const prefix = def.kind === 'microsoft' ? 'ms' : def.kind === 'google' ? 'g' : 'gen';

  const configuration: Configuration = {
    adapter: shared.store.adapterFor,
    routes: def.routes,
    jwks: { keys: [shared.signingKey] },
    cookies: {
      keys: shared.cookieKeys,
      names: { session: `_${prefix}_session`, interaction: `_${prefix}_interaction`, resume: `_${prefix}_resume` },
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', ...MAIL_SCOPES],
    claims: {
      openid: ['sub', 'oid', 'tid', 'ver'],
      profile: ['name', 'preferred_username', 'hd'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    extraParams: EXTRA_PARAMS,
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientBasedCORS: () => true,
    interactions: {
      policy,
      url: (_ctx, interaction) => `/interaction/${def.kind}/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: def.kind !== 'microsoft' },
      userinfo: { enabled: true },
      revocation: {
        enabled: def.kind !== 'microsoft',
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: def.kind === 'generic',
        // Only the mail servers may introspect, and only access tokens count as active.
        allowedPolicy: async (_ctx, client, token) =>
          client.clientId === CLIENTS.introspection.clientId && token.kind === 'AccessToken',
      },
    },
    async findAccount(_ctx, id) {
      const account = accountBySub(id);
      if (!account) return undefined;
      return { accountId: account.sub, claims: async () => claimsFor(def.kind, account) as { sub: string } };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const account = accountBySub(token.accountId);
      if (!account) return undefined;
      // What the mail servers check: the mailbox user, and which shared mailbox a delegate may open.
      return {
        username: account.email,
        email: account.email,
        ...(account.delegateOf?.length ? { delegate_of: account.delegateOf[0] } : {}),
      };
    },
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: (_ctx, token, client) => shared.accessTokenTtl(token.accountId, token.grantId, client.clientId),
      AuthorizationCode: 300,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body =
        `<!doctype html><html><head><title>Sign-in error</title></head><body><main data-testid="idp-error">
<h1>Sign-in error</h1><p ` +
        `data-error="${String(out.error).replace(/"/g, '')}">${String(out.error)}:` +
        ` ${String(out.error_description ?? '').replace(/</g, '&lt;')}</p></main></body></html>`;
    },
  };

  const provider = new Provider(def.issuer, configuration);
  provider.proxy = false;

  // Any https://*.chromiumapp.org/ (the extension's chrome.identity redirect, any extension id) and Firefox's
  // *.extensions.allizom.org are accepted for every client, as the tests register them on the fly.
  const ClientClass = provider.Client as unknown as { prototype: { redirectUriAllowed(uri: string): boolean } };
  const exact = ClientClass.prototype.redirectUriAllowed;
  ClientClass.prototype.redirectUriAllowed = function redirectUriAllowed(this: unknown, uri: string) {
    try {
      const u = new URL(uri);
      if (
        u.protocol === 'https:' &&
        (u.hostname.endsWith('.chromiumapp.org') || u.hostname.endsWith('.extensions.allizom.org'))
      )
        return true;
    } catch {
      return false;
    }
    return exact.call(this, uri);
  };

  if (def.kind === 'microsoft') provider.use(microsoftResponses(shared));
  return provider;
}

/** Microsoft's token responses: id token issuer per tenant, client_info; and no RFC 9207 `iss` in redirects. */
function microsoftResponses(shared: SharedState) {
  let keyPromise: ReturnType<typeof importJWK> | undefined;
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'token' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as Record<string, unknown>;
      if (typeof body.id_token === 'string') {
        const payload = JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >;
        if (typeof payload.tid === 'string') {
          keyPromise ??= importJWK(shared.signingKey, 'RS256');
          payload.iss = microsoftIssuer(payload.tid);
          body.id_token = await new SignJWT(payload)
            .setProtectedHeader({ alg: 'RS256', kid: shared.signingKey.kid, typ: 'JWT' })
            .sign(await keyPromise);
          const account = accountBySub(String(payload.sub));
          if (account) body.client_info = clientInfo(account);
        }
      }
    }
    if ((route === 'authorization' || route === 'resume') && ctx.status >= 300 && ctx.status < 400) {
      const location = ctx.response.get('location');
      if (location) ctx.redirect(stripIssParam(location));
    }
  };
}

function stripIssParam(location: string): string {
  if (!/^https:/.test(location) || !location.includes('iss=')) return location;
  const url = new URL(location);
  url.searchParams.delete('iss');
  if (url.hash) {
    const frag = new URLSearchParams(url.hash.slice(1));
    frag.delete('iss');
    url.hash = frag.toString();
  }
  return url.toString();
}
