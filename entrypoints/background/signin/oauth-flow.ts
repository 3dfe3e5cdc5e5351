/**
 * Authorization code + PKCE (S256) with oauth4webapi, state and nonce, `prompt=select_account` and
 * `login_hint`. Google and generic providers redeemed by the worker (id token validated: issuer, audience,
 * expiry, nonce, signature from the provider's JWKS), or, for any provider set to "companion", stopped at
 * the checked code, which the companion redeems with the client secret.
 */
import * as oauth from 'oauth4webapi';
import { authorizeResponseParams, checkState, scopeHasOpenid, type SigninPlan } from '../../../lib/signin';
import { microsoftAuthorizeEndpoint } from '../../../lib/providers';
import { providerFailure, redirectErrorFields, SigninFailure } from './failure';
import type { IssuedCode, ObtainedTokens, SigninHooks } from './types';
import { launchAuthFlow } from './launch';

type OAuthPlan = Extract<SigninPlan, { provider: 'google' | 'generic' }>;

async function authorizationServer(plan: OAuthPlan): Promise<oauth.AuthorizationServer> {
  let discovered: oauth.AuthorizationServer | undefined;
  if (plan.issuer) {
    const issuer = new URL(plan.issuer);
    discovered = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc' }));
  }
  // The admin's explicit endpoints win over discovery (a helpdesk's docs name them, not the issuer).
  const as: oauth.AuthorizationServer = {
    ...(discovered ?? { issuer: plan.issuer ?? new URL(plan.authorizeUrl ?? plan.tokenUrl ?? 'https://invalid').origin }),
    ...(plan.authorizeUrl ? { authorization_endpoint: plan.authorizeUrl } : {}),
    ...(plan.tokenUrl ? { token_endpoint: plan.tokenUrl } : {}),
  };
  if (!as.authorization_endpoint || !as.token_endpoint) throw new SigninFailure('not-configured');
  return as;
}

interface AuthorizeRequest {
  endpoint: string;
  clientId: string;
  scope: string;
  prompt: string;
  extraParams: Record<string, string>;
  /** Ask for (and later expect) an id token bound to this request. */
  withNonce: boolean;
}

interface Authorized extends IssuedCode {
  params: URLSearchParams;
  state: string;
}

/** Opens the provider's sign-in, waits for the redirect, checks state and the provider's error fields. */
async function authorize(request: AuthorizeRequest, redirect: string, hooks: SigninHooks): Promise<Authorized> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = request.withNonce ? oauth.generateRandomNonce() : undefined;
  const url = new URL(request.endpoint);
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', redirect);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', request.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  if (nonce) url.searchParams.set('nonce', nonce);
  url.searchParams.set('prompt', request.prompt);
  for (const [key, value] of Object.entries(request.extraParams)) url.searchParams.set(key, value);

  hooks.waiting(url.href);
  const params = authorizeResponseParams(await launchAuthFlow(url.href));
  if (!checkState(params, state).ok) throw new SigninFailure('state-mismatch');
  const error = redirectErrorFields(params);
  if (error) throw providerFailure(error);
  const code = params.get('code');
  if (!code) throw new SigninFailure('provider-unavailable', 'no_code');
  return { code, codeVerifier, ...(nonce ? { nonce } : {}), redirectUri: redirect, params, state };
}

function oauthRequest(plan: OAuthPlan, as: oauth.AuthorizationServer, withNonce: boolean): AuthorizeRequest {
  return { endpoint: as.authorization_endpoint!, clientId: plan.clientId, scope: plan.scope, prompt: plan.prompt, extraParams: plan.extraParams, withNonce };
}

export async function oauthSignIn(plan: OAuthPlan, redirect: string, hooks: SigninHooks): Promise<ObtainedTokens> {
  const as = await authorizationServer(plan);
  const client: oauth.Client = { client_id: plan.clientId };
  const openid = plan.issuer !== undefined && scopeHasOpenid(plan.scope);
  const { params, state, codeVerifier, nonce } = await authorize(oauthRequest(plan, as, openid), redirect, hooks);

  hooks.checking();
  const callback = oauth.validateAuthResponse(as, client, params, state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, redirect, codeVerifier);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, nonce ? { expectedNonce: nonce, requireIdToken: true } : {});
  let claims: oauth.IDToken | undefined;
  if (nonce) {
    await oauth.validateApplicationLevelSignature(as, response);
    claims = oauth.getValidatedIdTokenClaims(result);
  }
  return {
    accessToken: result.access_token,
    ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
    ...(result.id_token ? { idToken: result.id_token } : {}),
    expiresAt: typeof result.expires_in === 'number' ? Date.now() + result.expires_in * 1000 : null,
    scope: typeof result.scope === 'string' ? result.scope : plan.scope,
    tokenEndpoint: as.token_endpoint!,
    clientId: plan.clientId,
    claims: claims ? { ...claims } : undefined,
  };
}

/**
 * The authorize step alone, for a code the companion redeems. A nonce is always sent when the scope asks for
 * an id token: the companion needs one to know who signed in, and checks the nonce in it. Microsoft gets no
 * login_hint (the same request MSAL sends: the guard after sign-in is the check there).
 */
export async function authorizeForCompanion(plan: SigninPlan, redirect: string, hooks: SigninHooks): Promise<IssuedCode & { tokenEndpoint?: string }> {
  let request: AuthorizeRequest;
  let tokenEndpoint: string | undefined;
  if (plan.provider === 'microsoft') {
    request = { endpoint: microsoftAuthorizeEndpoint(plan.tenant), clientId: plan.clientId, scope: plan.scopes.join(' '), prompt: 'select_account', extraParams: {}, withNonce: true };
  } else {
    const as = await authorizationServer(plan);
    request = oauthRequest(plan, as, scopeHasOpenid(plan.scope));
    if (plan.provider === 'generic') tokenEndpoint = as.token_endpoint!;
  }
  const { code, codeVerifier, nonce, redirectUri } = await authorize(request, redirect, hooks);
  return { code, codeVerifier, ...(nonce ? { nonce } : {}), redirectUri, ...(tokenEndpoint ? { tokenEndpoint } : {}) };
}
