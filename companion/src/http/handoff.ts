/**
 * Turns a validated handoff into a stored mailbox: picks the token endpoint and mail servers, redeems the
 * code in confidential-client mode, and applies the wrong-account guard before anything is stored.
 */
import type { HandoffRequest } from '../../../lib/companion-api';
import { GOOGLE_TOKEN_ENDPOINT, PROVIDERS, microsoftTenantFor, microsoftTokenEndpoint } from '../../../lib/providers';
import type { MailServerEndpoint } from '../../../lib/verification';
import type { ConfidentialClients } from '../oauth/confidential-clients';
import { TokenGrantError, type TokenClient } from '../oauth/token-client';
import type { MailboxRecord, StoredTokens } from '../store/mailbox-store';
import { TargetNotAllowedError, type TargetPolicy } from '../target-policy';
import { ApiHttpError } from './api-error';

function tokenEndpointFor(address: string, h: HandoffRequest): string {
  switch (h.provider) {
    case 'microsoft':
      return microsoftTokenEndpoint(h.tenant ?? microsoftTenantFor(address));
    case 'google':
      return GOOGLE_TOKEN_ENDPOINT;
    case 'generic':
      return h.tokenEndpoint!;
  }
}

function server(kind: 'imap' | 'smtp', h: HandoffRequest): MailServerEndpoint {
  const chosen = h[kind] ?? PROVIDERS[h.provider][kind];
  if (!chosen) throw new ApiHttpError(400, 'invalid_request', `No ${kind.toUpperCase()} server given for the generic provider.`);
  return chosen;
}

/** The account may stand for the mailbox: it is the mailbox, or a delegate the admin confirmed for it. */
function guardAccount(address: string, account: string, delegateConfirmed: boolean): void {
  if (account !== address && !delegateConfirmed) {
    throw new ApiHttpError(
      409,
      'wrong_account',
      `${account} signed in, but the mailbox is ${address}. Nothing was stored.`,
      'Sign in again and pick the mailbox\'s own account (use the guided private-window sign-out if the wrong one signs in by itself), or confirm it is a delegate of a shared mailbox.',
      undefined,
      { account },
    );
  }
}

/** Team mode: the servers a client names must be public ones (see target-policy.ts). */
async function guardTargets(
  base: { tokenEndpoint: string; imap: MailServerEndpoint; smtp: MailServerEndpoint },
  targets: TargetPolicy,
): Promise<void> {
  const endpoint = new URL(base.tokenEndpoint);
  const checks: Array<[string, string, number]> = [
    ['IMAP server', base.imap.host, base.imap.port],
    ['SMTP server', base.smtp.host, base.smtp.port],
    ['token endpoint', endpoint.hostname, Number(endpoint.port) || 443],
  ];
  for (const [what, host, port] of checks) {
    try {
      await targets.checkEndpoint(host, port);
    } catch (err) {
      if (!(err instanceof TargetNotAllowedError)) throw err;
      throw new ApiHttpError(403, 'target_not_allowed', `The ${what} ${host} is refused: ${err.message}`,
        `Use the provider's public server; if ${host} is an internal server you trust, start the companion ` +
          `with --allow-internal-host ${host}. Nothing was stored.`);
    }
  }
}

export async function acceptHandoff(
  address: string,
  h: HandoffRequest,
  deps: { tokenClient: TokenClient; confidential: ConfidentialClients; targets: TargetPolicy; requestOrigin?: string },
): Promise<{ record: MailboxRecord; tokens: StoredTokens }> {
  const base = {
    address,
    provider: h.provider,
    clientId: h.clientId,
    tenant: h.tenant,
    tokenEndpoint: tokenEndpointFor(address, h),
    requestOrigin: deps.requestOrigin,
    imap: server('imap', h),
    smtp: server('smtp', h),
  };
  await guardTargets(base, deps.targets);
  if (h.mode === 'tokens') {
    guardAccount(address, h.account, h.sharedMailbox === true);
    return {
      record: { ...base, account: h.account, clientKind: 'public' },
      tokens: { accessToken: h.accessToken, refreshToken: h.refreshToken, expiresAt: Date.parse(h.expiresAt), scope: h.scope },
    };
  }

  const clientSecret = deps.confidential.get(h.clientId);
  if (!clientSecret) {
    throw new ApiHttpError(
      400,
      'confidential_client_unknown',
      `The companion has no client secret for client ${h.clientId}, so it cannot redeem the code.`,
      'Add the client to the companion\'s clients.json (see companion/README.md) and restart it, or switch the extension to the public-client mode.',
    );
  }
  let granted;
  try {
    granted = await deps.tokenClient.redeemCode(
      { provider: base.provider, tokenEndpoint: base.tokenEndpoint, clientId: h.clientId, clientSecret, tenant: h.tenant },
      { code: h.code, codeVerifier: h.codeVerifier, redirectUri: h.redirectUri, nonce: h.nonce },
    );
  } catch (err) {
    const detail = err instanceof TokenGrantError ? err.message : String(err);
    const providerError = err instanceof TokenGrantError && err.status > 0 ? err.error : undefined;
    throw new ApiHttpError(502, 'token_endpoint_error', `Redeeming the sign-in code failed. ${detail}`,
      'Sign in again from the popup: a code works once and only for a few minutes.', undefined, providerError ? { providerError } : {});
  }
  if (!granted.account) {
    throw new ApiHttpError(502, 'token_endpoint_error', 'The provider\'s id token names no account (preferred_username / email), so the companion cannot check who signed in.',
      'Include the openid and email (or profile) scopes in the sign-in.');
  }
  guardAccount(address, granted.account, h.sharedMailbox === true || (h.delegates ?? []).includes(granted.account));
  return {
    record: { ...base, account: granted.account, clientKind: 'confidential' },
    tokens: { accessToken: granted.accessToken, refreshToken: granted.refreshToken, expiresAt: granted.expiresAt, scope: granted.scope },
  };
}
