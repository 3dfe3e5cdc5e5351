/**
 * Microsoft: MSAL builds the authorize request (PKCE S256, state, nonce, prompt=select_account) and redeems
 * the code; the worker opens the page with launchWebAuthFlow, checks the state itself before MSAL sees the
 * answer, and validates the id token (issuer, audience, expiry, nonce, signature) with the same code as the
 * other providers.
 */
import {
  authorizeResponseParams,
  checkState,
  decodeJwtPayload,
  microsoftIdTokenExpectations,
  type MsalConfig,
  type SigninPlan,
} from '../../../lib/signin';
import { microsoftTokenEndpoint } from '../../../lib/providers';
import { providerFailure, redirectErrorFields, SigninFailure } from './failure';
import { validateIdToken } from './id-token';
import { launchAuthFlow } from './launch';
import { askMsal, forgetMsalInteractions } from './msal-host';
import type { ObtainedTokens, SigninHooks } from './types';

type MicrosoftPlan = Extract<SigninPlan, { provider: 'microsoft' }>;

export async function microsoftSignIn(plan: MicrosoftPlan, redirect: string, mailbox: string, hooks: SigninHooks): Promise<ObtainedTokens> {
  try {
    return await signInWithMsal(plan, redirect, mailbox, hooks);
  } catch (error) {
    // Every way out but success: MSAL must not keep this interaction open (interaction_in_progress later).
    await forgetMsalInteractions();
    throw error;
  }
}

async function signInWithMsal(plan: MicrosoftPlan, redirect: string, mailbox: string, hooks: SigninHooks): Promise<ObtainedTokens> {
  const config: MsalConfig = { clientId: plan.clientId, authority: plan.authority, redirectUri: redirect, scopes: plan.scopes };
  const begun = await askMsal({ target: 'offscreen', kind: 'msal-begin', config, loginHint: mailbox });
  if (!begun.ok) throw providerFailure(begun.error);
  if (!('authorizeUrl' in begun)) throw new SigninFailure('unknown');
  const sent = new URL(begun.authorizeUrl).searchParams;
  const state = sent.get('state') ?? '';
  const nonce = sent.get('nonce') ?? '';

  hooks.waiting(begun.authorizeUrl);
  const responseUrl = await launchAuthFlow(begun.authorizeUrl);
  const params = authorizeResponseParams(responseUrl);
  if (!checkState(params, state).ok) throw new SigninFailure('state-mismatch');
  const error = redirectErrorFields(params);
  if (error) throw providerFailure(error);

  hooks.checking();
  const hash = `#${params.toString()}`;
  const done = await askMsal({ target: 'offscreen', kind: 'msal-complete', config, hash });
  if (!done.ok) throw providerFailure(done.error);
  if (!('tokens' in done)) throw new SigninFailure('unknown');
  const { tokens } = done;

  const expected = microsoftIdTokenExpectations(plan.authority, decodeJwtPayload(tokens.idToken)?.tid);
  if (!expected) throw new SigninFailure('id-token-invalid', 'no tenant id');
  const claims = await validateIdToken(tokens.idToken, { ...expected, clientId: plan.clientId, nonce });
  return {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    idToken: tokens.idToken,
    expiresAt: tokens.expiresOn,
    scope: tokens.scopes.join(' '),
    tokenEndpoint: microsoftTokenEndpoint(plan.tenant),
    clientId: plan.clientId,
    claims: { ...claims },
  };
}
