/**
 * Id token checks with oauth4webapi, the same for every provider: issuer, audience, expiry, nonce, and the
 * signature against the provider's published keys (JWKS). A token that fails any of them is never used.
 */
import * as oauth from 'oauth4webapi';

export interface IdTokenExpectations {
  issuer: string;
  jwksUri: string;
  clientId: string;
  nonce: string;
}

/**
 * Validates an id token that reached the worker another way (MSAL in the offscreen document redeemed it)
 * by running it through the same validation as a token response.
 */
export async function validateIdToken(
  idToken: string,
  expected: IdTokenExpectations,
  options: { fetch?: typeof fetch } = {},
): Promise<oauth.IDToken> {
  const as: oauth.AuthorizationServer = { issuer: expected.issuer, jwks_uri: expected.jwksUri };
  const client: oauth.Client = { client_id: expected.clientId };
  const response = new Response(
    JSON.stringify({ access_token: 'validated-elsewhere', token_type: 'bearer', id_token: idToken }),
    {
      status: 200,
      headers: { 'content-type': 'application/json' },
    },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: expected.nonce,
    requireIdToken: true,
  });
  await oauth.validateApplicationLevelSignature(
    as,
    response,
    options.fetch ? { [oauth.customFetch]: options.fetch } : {},
  );
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (!claims) throw new oauth.OperationProcessingError('no id token', { cause: undefined });
  return claims;
}
