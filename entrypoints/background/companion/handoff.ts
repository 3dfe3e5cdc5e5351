/**
 * The tokens handoff (public client): what the worker sends the companion after a sign-in that passed the
 * wrong-account guard. Built only from the token vault, which holds nothing else (a flow stopped by the
 * guard keeps its tokens in quarantine and never reaches the vault unless the admin confirms).
 */
import { tokensHandoffSchema, type TokensHandoff } from '../../../lib/companion-api';
import type { MailServers } from '../../../lib/companion-ui';
import type { HeldTokens } from '../signin/token-vault';

/** Providers say how long an access token lives; when one did not, assume the common hour rather than forever. */
const ASSUMED_LIFETIME_MS = 60 * 60 * 1000;

/** login.microsoftonline.com/<tenant>/oauth2/v2.0/token -> <tenant>, so the companion refreshes at the same tenant. */
export function microsoftTenantOf(tokenEndpoint: string): string | undefined {
  const match = /^https:\/\/[^/]+\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(tokenEndpoint);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

export type HandoffPlan = { ok: true; handoff: TokensHandoff } | { ok: false; reason: 'needs-servers' | 'invalid'; detail: string };

export function buildTokensHandoff(held: HeldTokens, servers: MailServers | undefined): HandoffPlan {
  if (held.provider === 'generic' && !servers) {
    return { ok: false, reason: 'needs-servers', detail: `Enter the IMAP and SMTP servers of ${held.mailbox} to verify it: a custom provider has no defaults.` };
  }
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
  const parsed = tokensHandoffSchema.safeParse(candidate);
  if (!parsed.success) {
    // Field names only: the values hold tokens.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
    return { ok: false, reason: 'invalid', detail: `The sign-in result cannot be handed to the companion (${fields}). Sign in again.` };
  }
  return { ok: true, handoff: parsed.data };
}
