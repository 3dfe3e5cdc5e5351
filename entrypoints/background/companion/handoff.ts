/**
 * What the worker sends the companion. Tokens (public client): after a sign-in that passed the wrong-account
 * guard, built only from the token vault, which holds nothing else (a flow stopped by the guard keeps its
 * tokens in quarantine and never reaches the vault unless the admin confirms). A code (confidential
 * client): the checked authorization code with its PKCE verifier and nonce; the companion redeems it and
 * applies the guard itself.
 */
import type { z } from 'zod';
import {
  codeHandoffSchema,
  tokensHandoffSchema,
  type CodeHandoff,
  type TokensHandoff,
} from '../../../lib/companion-api';
import type { MailServers } from '../../../lib/companion-ui';
import type { HeldTokens } from '../signin/token-vault';
import type { CodeRedemptionRequest } from '../signin/types';

/** Providers say how long an access token lives; when one did not, assume the common hour rather than forever. */
const ASSUMED_LIFETIME_MS = 60 * 60 * 1000;

/** login.microsoftonline.com/<tenant>/oauth2/v2.0/token -> <tenant>, so the companion refreshes at the same tenant. */
export function microsoftTenantOf(tokenEndpoint: string): string | undefined {
  const match = /^https:\/\/[^/]+\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(tokenEndpoint);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

type Plan<T> = { ok: true; handoff: T } | { ok: false; reason: 'needs-servers' | 'invalid'; detail: string };
export type HandoffPlan = Plan<TokensHandoff>;

export function needsServers(mailbox: string): { ok: false; reason: 'needs-servers'; detail: string } {
  return {
    ok: false,
    reason: 'needs-servers',
    detail: `Enter the IMAP and SMTP servers of ${mailbox} to verify it: a custom provider has no defaults.`,
  };
}

/** Validates a handoff before it leaves the worker; a failure names fields only (the values hold secrets). */
function checked<S extends z.ZodType>(schema: S, candidate: unknown): Plan<z.output<S>> {
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return { ok: true, handoff: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
  return {
    ok: false,
    reason: 'invalid',
    detail: `The sign-in result cannot be handed to the companion (${fields}). Sign in again.`,
  };
}

export function buildTokensHandoff(held: HeldTokens, servers: MailServers | undefined): HandoffPlan {
  if (held.provider === 'generic' && !servers) return needsServers(held.mailbox);
  const tenant = held.provider === 'microsoft' ? microsoftTenantOf(held.tokenEndpoint) : undefined;
  const candidate = {
    mode: 'tokens',
    provider: held.provider,
    clientId: held.clientId,
    ...(tenant ? { tenant } : {}),
    ...(held.provider === 'generic' ? { tokenEndpoint: held.tokenEndpoint } : {}),
    ...(servers ? { imap: servers.imap, smtp: servers.smtp } : {}),
    // The guard let a different account through only for a delegate the admin confirmed for this shared mailbox.
    ...(held.signedInAs === 'delegate' ? { sharedMailbox: true } : {}),
    accessToken: held.accessToken,
    ...(held.refreshToken ? { refreshToken: held.refreshToken } : {}),
    expiresAt: new Date(held.expiresAt ?? held.obtainedAt + ASSUMED_LIFETIME_MS).toISOString(),
    scope: held.scope,
    account: held.account,
  };
  return checked(tokensHandoffSchema, candidate);
}

export function buildCodeHandoff(
  mailbox: string,
  request: CodeRedemptionRequest,
  servers: MailServers | undefined,
): Plan<CodeHandoff> {
  if (request.provider === 'generic' && !servers) return needsServers(mailbox);
  return checked(codeHandoffSchema, {
    mode: 'code',
    provider: request.provider,
    clientId: request.clientId,
    ...(request.tenant ? { tenant: request.tenant } : {}),
    ...(request.tokenEndpoint ? { tokenEndpoint: request.tokenEndpoint } : {}),
    ...(servers ? { imap: servers.imap, smtp: servers.smtp } : {}),
    code: request.code,
    codeVerifier: request.codeVerifier,
    redirectUri: request.redirectUri,
    ...(request.nonce ? { nonce: request.nonce } : {}),
    ...(request.delegates.length ? { delegates: request.delegates } : {}),
  });
}
