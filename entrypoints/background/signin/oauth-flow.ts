/**
 * Google and generic providers: authorization code + PKCE (S256) with oauth4webapi, state and nonce,
 * `prompt=select_account` and `login_hint`, code redeemed by the worker, id token validated (issuer,
 * audience, expiry, nonce, signature from the provider's JWKS).
 */
import * as oauth from 'oauth4webapi';
import { authorizeResponseParams, checkState, type SigninPlan } from '../../../lib/signin';
import { providerFailure, redirectErrorFields, SigninFailure } from './failure';
import type { ObtainedTokens, SigninHooks } from './types';
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

export async function oauthSignIn(plan: OAuthPlan, redirect: string, hooks: SigninHooks): Promise<ObtainedTokens> {
  const as = await authorizationServer(plan);
  const client: oauth.Client = { client_id: plan.clientId };
  const openid = plan.issuer !== undefined && /(^|\s)openid(\s|$)/.test(plan.scope);

  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = openid ? oauth.generateRandomNonce() : undefined;
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', plan.clientId);
  url.searchParams.set('redirect_uri', redirect);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', plan.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  if (nonce) url.searchParams.set('nonce', nonce);
  url.searchParams.set('prompt', plan.prompt);
  for (const [key, value] of Object.entries(plan.extraParams)) url.searchParams.set(key, value);

  hooks.waiting();
  const responseUrl = await launchAuthFlow(url.href);
  const params = authorizeResponseParams(responseUrl);
  if (!checkState(params, state).ok) throw new SigninFailure('state-mismatch');
  const error = redirectErrorFields(params);
  if (error) throw providerFailure(error);

  hooks.checking();
  const callback = oauth.validateAuthResponse(as, client, params, state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, redirect, verifier);
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
