/**
 * A token the mail server refuses long before its expiry, met by the monitor of a companion running as a
 * child process against the real stack (oidc-provider, Dovecot, the SMTP submission server):
 * - only the access token revoked: the check refreshes once and passes, no retry is counted;
 * - the whole grant revoked: the refresh answers invalid_grant and the mailbox is needs-reauth at once,
 *   not 55 minutes later when the 1-hour token would have been refreshed anyway;
 * - IMAP turned off while SMTP takes the token: no refresh, the token is fine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, type MailStack } from '../stack';
import { startStackWithCompanion, type StackWithCompanion } from '../support/stack-routing';
import { handOverTokens, listMailboxes, storeQuery, waitFor, type ChildCompanion } from './companion-support';

/** Statuses the mailbox went through since event `sinceId`, and the last event id. */
async function scheduleStatuses(dataDir: string, address: string, sinceId = 0) {
  const rows = await storeQuery<{ id: number; detail: string }>(
    dataDir,
    "SELECT id, detail FROM events WHERE address = ? AND kind = 'schedule' AND id > ? ORDER BY id",
    [address, sinceId],
  );
  const [last] = await storeQuery<{ id: number | null }>(dataDir, 'SELECT MAX(id) AS id FROM events');
  return {
    statuses: rows.map((e) => (JSON.parse(e.detail) as { status: string }).status),
    lastId: Number(last?.id ?? 0),
  };
}

async function tokenRefreshes(dataDir: string, address: string): Promise<number> {
  const query = "SELECT COUNT(*) AS n FROM events WHERE address = ? AND kind = 'token-refreshed'";
  return Number((await storeQuery<{ n: number }>(dataDir, query, [address]))[0]!.n);
}

describe('a token the server refuses before it expires (monitor, real stack)', () => {
  let parts: StackWithCompanion;
  let stack: MailStack;
  let companion: ChildCompanion;

  beforeAll(async () => {
    // A check every 2 s, so the test sees the next check soon after a revocation.
    parts = await startStackWithCompanion({ companionArgs: ['--check-interval', '2'] });
    ({ stack, companion } = parts);
  }, 60_000);
  afterAll(async () => {
    await parts?.stop();
  });

  const mailbox = async (address: string) => (await listMailboxes(companion)).find((m) => m.address === address);
  const connected = (address: string) =>
    waitFor(
      'the first check to pass',
      async () => (await mailbox(address))?.status === 'connected' || undefined,
      30_000,
    );
  const checkedAfter = (address: string, since: number) =>
    waitFor(
      `a check of ${address} after the revocation`,
      async () => {
        const m = await mailbox(address);
        return m?.lastCheckedAt && Date.parse(m.lastCheckedAt) > since ? m : undefined;
      },
      30_000,
    );

  it('refreshes once and passes when only the access token was revoked: no retry is counted', async () => {
    const address = ACCOUNTS.support.email;
    const tokens = await handOverTokens(stack, companion, address);
    await connected(address);

    const { lastId } = await scheduleStatuses(companion.dataDir, address);
    await stack.idp.revokeAccessToken(tokens.access_token);
    expect((await stack.idp.introspect(tokens.access_token)).active).toBe(false);
    const revokedAt = Date.now();
    const after = await checkedAfter(address, revokedAt);
    expect(after.status).toBe('connected');
    expect(after.attempt).toBe(0);
    expect(after.lastVerdict?.ready).toBe(true);
    expect((await scheduleStatuses(companion.dataDir, address, lastId)).statuses).not.toContain('retrying');
  }, 60_000);

  it('marks the mailbox needs-reauth at the first check after the grant was revoked', async () => {
    // A new sign-in of the same mailbox: a fresh grant, checked and connected again.
    const address = ACCOUNTS.support.email;
    await handOverTokens(stack, companion, address);
    await connected(address);

    const { lastId } = await scheduleStatuses(companion.dataDir, address);
    await stack.idp.revokeAll(address);
    const after = await waitFor(
      'needs-reauth',
      async () => {
        const m = await mailbox(address);
        return m && m.status !== 'connected' ? m : undefined;
      },
      30_000,
    );
    expect(after.status).toBe('needs-reauth');
    expect(after.reason).toMatch(/invalid_grant/);
    // The 1-hour access token is far from due for refresh: only the refused sign-in led to this.
    expect(Date.parse(after.accessTokenExpiresAt) - Date.now()).toBeGreaterThan(30 * 60_000);
    expect((await scheduleStatuses(companion.dataDir, address, lastId)).statuses).toEqual(['needs-reauth']);
  }, 60_000);

  it('does not refresh when the mail server turned IMAP off but SMTP took the same token', async () => {
    const address = ACCOUNTS.imapDisabled.email;
    await handOverTokens(stack, companion, address);
    const failed = await waitFor(
      'the first check to fail',
      async () => {
        const m = await mailbox(address);
        return m?.lastVerdict ? m : undefined;
      },
      30_000,
    );
    expect(failed.status).toBe('retrying');
    expect(failed.lastVerdict?.ready).toBe(false);
    expect(await tokenRefreshes(companion.dataDir, address)).toBe(0);
  }, 60_000);
});
