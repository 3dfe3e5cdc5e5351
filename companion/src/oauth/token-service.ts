/**
 * Hands out a usable access token for a mailbox, refreshing it ahead of expiry. One refresh per mailbox
 * at a time, across every instance sharing the store (a lock row in `tokens`): providers rotate refresh
 * tokens, and two parallel refreshes would burn the grant. An instance that finds another one refreshing
 * waits for its result instead.
 * `invalid_grant` (revoked, expired, password changed) moves the mailbox to needs-reauth.
 */
import { refreshDueAt } from '../monitor/retry-schedule';
import type { Logger } from '../logger';
import type { MailboxRecord, MailboxStore, StoredTokens } from '../store/mailbox-store';
import type { ConfidentialClients } from './confidential-clients';
import { TokenGrantError, type TokenClient, type TokenEndpointClient } from './token-client';

export class NeedsReauthError extends Error {}

/** Longest a refresh may hold the lock (the token request has its own shorter timeout). */
const REFRESH_LOCK_MS = 60_000;
const WAIT_STEP_MS = 200;

export class TokenService {
  private readonly inflight = new Map<string, Promise<StoredTokens>>();

  constructor(
    private readonly store: MailboxStore,
    private readonly client: TokenClient,
    private readonly confidential: ConfidentialClients,
    private readonly log: Logger,
    /** This instance's name in the refresh lock. */
    private readonly owner: string = 'local',
    private readonly now: () => number = Date.now,
  ) {}

  endpointClient(
    record: Pick<MailboxRecord, 'provider' | 'tokenEndpoint' | 'clientId' | 'clientKind' | 'tenant' | 'requestOrigin'>,
  ): TokenEndpointClient {
    let clientSecret: string | undefined;
    if (record.clientKind === 'confidential') {
      clientSecret = this.confidential.get(record.clientId);
      if (!clientSecret) {
        throw new TokenGrantError(
          'client_secret_missing',
          0,
          `No client secret is configured for client ${record.clientId}; add it to the companion's clients file ` +
            `and restart it.`,
        );
      }
    }
    return {
      provider: record.provider,
      tokenEndpoint: record.tokenEndpoint,
      clientId: record.clientId,
      clientSecret,
      tenant: record.tenant,
      origin: record.requestOrigin,
    };
  }

  /** Tokens that are not yet due for refresh (monitor/retry-schedule refreshDueAt), refreshing first when they are. */
  async fresh(address: string): Promise<StoredTokens> {
    const tokens = await this.store.tokens(address);
    if (!tokens) throw new Error(`No tokens stored for ${address}.`);
    if (refreshDueAt(tokens.obtainedAt ?? 0, tokens.expiresAt) > this.now()) return tokens;
    return this.refresh(address);
  }

  refresh(address: string): Promise<StoredTokens> {
    const running = this.inflight.get(address);
    if (running) return running;
    const attempt = this.lockedRefresh(address).finally(() => this.inflight.delete(address));
    this.inflight.set(address, attempt);
    return attempt;
  }

  /** Refreshes under the store's lock, or takes the tokens another instance's refresh just stored. */
  private async lockedRefresh(address: string): Promise<StoredTokens> {
    const startedAt = this.now();
    const giveUpAt = startedAt + REFRESH_LOCK_MS;
    while (!(await this.store.tryRefreshLock(address, this.owner, this.now(), this.now() + REFRESH_LOCK_MS))) {
      const tokens = await this.store.tokens(address);
      if (!tokens) throw new Error(`${address} is not handed over to the companion.`);
      if ((tokens.obtainedAt ?? 0) >= startedAt) return tokens;
      if (this.now() > giveUpAt) {
        throw new Error(`Another companion instance has been refreshing the token of ${address} for a minute.`);
      }
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }
    try {
      const tokens = await this.store.tokens(address);
      // Another instance refreshed while this one waited for the lock: its tokens are the fresh ones.
      if (tokens && (tokens.obtainedAt ?? 0) >= startedAt) return tokens;
      return await this.doRefresh(address);
    } finally {
      await this.store.releaseRefreshLock(address, this.owner).catch(() => undefined);
    }
  }

  private async doRefresh(address: string): Promise<StoredTokens> {
    const record = await this.store.record(address);
    const tokens = await this.store.tokens(address);
    if (!record || !tokens) throw new Error(`${address} is not handed over to the companion.`);
    if (!tokens.refreshToken) {
      if (tokens.expiresAt > this.now()) return tokens;
      throw await this.needsReauth(
        address,
        'The access token expired and there is no refresh token to renew it. Sign in to the mailbox again from the ' +
          'popup.',
      );
    }
    try {
      const granted = await this.client.refresh(this.endpointClient(record), tokens.refreshToken);
      const next: StoredTokens = {
        accessToken: granted.accessToken,
        refreshToken: granted.refreshToken,
        expiresAt: granted.expiresAt,
        scope: granted.scope || tokens.scope,
      };
      await this.store.saveTokens(address, next);
      this.log.info({ mailbox: address, expiresAt: new Date(next.expiresAt).toISOString() }, 'access token refreshed');
      return next;
    } catch (err) {
      if (err instanceof TokenGrantError && err.error === 'invalid_grant') {
        throw await this.needsReauth(
          address,
          'The provider refused the stored sign-in (invalid_grant): it was revoked, expired, or the password ' +
            'changed. Sign in to the mailbox again from the popup.',
        );
      }
      this.log.warn(
        { mailbox: address, error: err instanceof TokenGrantError ? err.error : 'request_failed' },
        'token refresh failed',
      );
      throw err;
    }
  }

  private async needsReauth(address: string, reason: string): Promise<NeedsReauthError> {
    const previous = await this.store.schedule(address);
    await this.store.saveSchedule(address, {
      status: 'needs-reauth',
      reason,
      attempt: 0,
      nextRunAt: null,
      outageSince: previous?.outageSince ?? this.now(),
    });
    this.log.warn({ mailbox: address }, 'mailbox needs reauthorization (invalid_grant)');
    return new NeedsReauthError(reason);
  }
}
