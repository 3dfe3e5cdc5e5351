/**
 * Mailboxes, their sealed tokens and their monitoring schedule. The only module that writes SQL for them;
 * tokens go in and out of it in clear and are sealed/opened here, so nothing else touches ciphertext.
 * The same SQL runs on SQLite and PostgreSQL (sql.ts); the schedule is shared by every instance through
 * row leases (claimDueChecks), see docs/team-postgres.md.
 */
import { RETRY_ATTEMPTS } from '../monitor/retry-schedule';
import type { MailboxState, MailboxStatus } from '../../../lib/companion-api';
import type { MailServerEndpoint, OutageReport } from '../../../lib/verification';
import type { ProviderId } from '../../../lib/providers';
import type { SealedBox } from '../crypto/sealed-box';
import { placeholders, type SqlDatabase, type SqlSession } from './sql';

export interface MailboxRecord {
  address: string;
  provider: ProviderId;
  account: string;
  clientId: string;
  clientKind: 'public' | 'confidential';
  tenant?: string;
  tokenEndpoint: string;
  /** Origin the handoff came from; Microsoft redeems SPA-issued refresh tokens only with an Origin header. */
  requestOrigin?: string;
  imap: MailServerEndpoint;
  smtp: MailServerEndpoint;
}

export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  /** epoch ms */
  expiresAt: number;
  scope: string;
  /** epoch ms the token was stored (set by the store). */
  obtainedAt?: number;
}

export interface ScheduleState {
  status: MailboxStatus;
  reason: string | null;
  attempt: number;
  nextRunAt: number | null;
  outageSince: number | null;
}

interface MailboxRow {
  address: string;
  provider: ProviderId;
  account: string;
  client_id: string;
  client_kind: 'public' | 'confidential';
  tenant: string | null;
  token_endpoint: string;
  request_origin: string | null;
  imap_host: string;
  imap_port: number;
  imap_security: 'tls' | 'starttls';
  smtp_host: string;
  smtp_port: number;
  smtp_security: 'tls' | 'starttls';
}
interface StateRow extends MailboxRow {
  status: MailboxStatus;
  reason: string | null;
  attempt: number;
  next_run_at: number | null;
  outage_since: number | null;
  last_checked_at: number | null;
  last_ready: number | null;
  last_headline: string | null;
  last_verdict_at: number | null;
  expires_at: number;
  has_refresh: number;
  report_at: number | null;
}

/** A check or refresh this instance holds the lease on. */
export interface ClaimedJob {
  address: string;
  /** next_run_at when claimed: the due time this check answers (check log). */
  dueAt: number | null;
  /** epoch ms of the claim (check log: lateness is startedAt - dueAt). */
  claimedAt: number;
}

/** What a finished health check writes, under the lease of the instance that ran it. */
export interface FinishedCheck {
  owner: string;
  dueAt: number | null;
  startedAt: number;
  checkedAt: number;
  ready: boolean;
  headline: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toRecord(row: MailboxRow): MailboxRecord {
  return {
    address: row.address,
    provider: row.provider,
    account: row.account,
    clientId: row.client_id,
    clientKind: row.client_kind,
    tenant: row.tenant ?? undefined,
    tokenEndpoint: row.token_endpoint,
    requestOrigin: row.request_origin ?? undefined,
    imap: { host: row.imap_host, port: row.imap_port, security: row.imap_security },
    smtp: { host: row.smtp_host, port: row.smtp_port, security: row.smtp_security },
  };
}

function toState(row: StateRow): MailboxState {
  const record = toRecord(row);
  return {
    address: record.address,
    provider: record.provider,
    account: record.account,
    clientKind: record.clientKind,
    status: row.status,
    ...(row.reason ? { reason: row.reason } : {}),
    attempt: row.attempt,
    maxAttempts: RETRY_ATTEMPTS,
    nextRunAt: iso(row.next_run_at),
    lastCheckedAt: iso(row.last_checked_at),
    lastVerdict:
      row.last_verdict_at === null
        ? null
        : { ready: row.last_ready === 1, headline: row.last_headline ?? '', at: iso(row.last_verdict_at)! },
    accessTokenExpiresAt: iso(row.expires_at)!,
    hasRefreshToken: row.has_refresh === 1,
    outageSince: iso(row.outage_since),
    outageReportAt: iso(row.report_at),
    imap: record.imap,
    smtp: record.smtp,
  };
}

const STATE_SELECT = `
  SELECT m.*, s.status, s.reason, s.attempt, s.next_run_at, s.outage_since, s.last_checked_at, s.last_ready,
         s.last_headline, s.last_verdict_at, t.expires_at,
         CASE WHEN t.refresh_token IS NULL THEN 0 ELSE 1 END AS has_refresh,
         o.created_at AS report_at
  FROM mailboxes m JOIN schedule s USING (address) JOIN tokens t USING (address)
  LEFT JOIN outage_reports o USING (address)`;

/** What the event history records: a new status, attempt or reason (a routine check changes none of them). */
function scheduleChanged(before: ScheduleState | undefined, next: ScheduleState): boolean {
  return !before || before.status !== next.status || before.attempt !== next.attempt || before.reason !== next.reason;
}

/**
 * Leaves out the mailboxes this instance is working on: their leases are its own and they are still due (the due
 * time moves only when the job ends), so without this a claim would hand them back and fill its limit with work
 * that cannot start, leaving free slots idle.
 */
function notRunning(alias: string, running: readonly string[]): string {
  return running.length ? ` AND ${alias}.address NOT IN (${placeholders(running.length)})` : '';
}

export class MailboxStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly box: SealedBox,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new or renewed sign-in: stores everything at once and schedules a check right away. */
  async saveHandoff(record: MailboxRecord, tokens: StoredTokens): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      await tx.run(
        `
        INSERT INTO mailboxes (address, provider, account, client_id, client_kind, tenant, token_endpoint,
          request_origin, imap_host, imap_port, imap_security, smtp_host, smtp_port, smtp_security, created_at,
          updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(address) DO UPDATE SET provider = excluded.provider, account = excluded.account,
          client_id = excluded.client_id, client_kind = excluded.client_kind, tenant = excluded.tenant,
          token_endpoint = excluded.token_endpoint, request_origin = excluded.request_origin,
          imap_host = excluded.imap_host, imap_port = excluded.imap_port, imap_security = excluded.imap_security,
          smtp_host = excluded.smtp_host, smtp_port = excluded.smtp_port, smtp_security = excluded.smtp_security,
          updated_at = excluded.updated_at`,
        [
          record.address,
          record.provider,
          record.account,
          record.clientId,
          record.clientKind,
          record.tenant ?? null,
          record.tokenEndpoint,
          record.requestOrigin ?? null,
          record.imap.host,
          record.imap.port,
          record.imap.security,
          record.smtp.host,
          record.smtp.port,
          record.smtp.security,
          now,
          now,
        ],
      );
      await this.writeTokens(tx, record.address, tokens, now);
      // An outage that was running before this sign-in stays open: the first good check closes it with a report.
      // A check running elsewhere loses its lease: its result (for the old sign-in) is not written.
      await tx.run(
        `
        INSERT INTO schedule (address, status, attempt, next_run_at) VALUES (?, 'pending', 0, ?)
        ON CONFLICT(address) DO UPDATE SET status = 'pending', reason = NULL, attempt = 0,
          next_run_at = excluded.next_run_at, lease_owner = NULL, lease_until = NULL`,
        [record.address, now],
      );
      await this.addEvent(tx, record.address, 'handoff', { account: record.account, clientKind: record.clientKind });
    });
  }

  async saveTokens(address: string, tokens: StoredTokens): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.writeTokens(tx, address, tokens, this.now());
      await this.addEvent(tx, address, 'token-refreshed', { expiresAt: new Date(tokens.expiresAt).toISOString() });
    });
  }

  private async writeTokens(tx: SqlSession, address: string, tokens: StoredTokens, now: number): Promise<void> {
    await tx.run(
      `
      INSERT INTO tokens (address, access_token, refresh_token, expires_at, scope, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(address) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
        expires_at = excluded.expires_at, scope = excluded.scope, updated_at = excluded.updated_at,
        refresh_not_before = NULL`,
      [
        address,
        this.box.seal(tokens.accessToken, `${address}|access_token`),
        tokens.refreshToken === undefined ? null : this.box.seal(tokens.refreshToken, `${address}|refresh_token`),
        tokens.expiresAt,
        tokens.scope,
        now,
      ],
    );
  }

  async record(address: string): Promise<MailboxRecord | undefined> {
    const row = await this.db.get<MailboxRow>('SELECT * FROM mailboxes WHERE address = ?', [address]);
    return row && toRecord(row);
  }

  async tokens(address: string): Promise<StoredTokens | undefined> {
    const row = await this.db.get<{
      access_token: string;
      refresh_token: string | null;
      expires_at: number;
      scope: string;
      updated_at: number;
    }>('SELECT * FROM tokens WHERE address = ?', [address]);
    if (!row) return undefined;
    return {
      accessToken: this.box.open(row.access_token, `${address}|access_token`),
      ...(row.refresh_token === null
        ? {}
        : { refreshToken: this.box.open(row.refresh_token, `${address}|refresh_token`) }),
      expiresAt: row.expires_at,
      scope: row.scope,
      obtainedAt: row.updated_at,
    };
  }

  async state(address: string): Promise<MailboxState | undefined> {
    const row = await this.db.get<StateRow>(`${STATE_SELECT} WHERE m.address = ?`, [address]);
    return row && toState(row);
  }

  async list(): Promise<MailboxState[]> {
    return (await this.db.all<StateRow>(`${STATE_SELECT} ORDER BY m.address`)).map(toState);
  }

  async schedule(address: string, tx: SqlSession = this.db): Promise<ScheduleState | undefined> {
    const row = await tx.get<{
      status: MailboxStatus;
      reason: string | null;
      attempt: number;
      next_run_at: number | null;
      outage_since: number | null;
    }>('SELECT status, reason, attempt, next_run_at, outage_since FROM schedule WHERE address = ?', [address]);
    return (
      row && {
        status: row.status,
        reason: row.reason,
        attempt: row.attempt,
        nextRunAt: row.next_run_at,
        outageSince: row.outage_since,
      }
    );
  }

  /**
   * A schedule change made outside a leased check (needs-reauth from a refused refresh): it also ends any
   * lease, so a check still running somewhere does not overwrite it.
   */
  async saveSchedule(address: string, next: ScheduleState): Promise<void> {
    await this.db.transaction(async (tx) => {
      const before = await this.schedule(address, tx);
      await tx.run(
        `UPDATE schedule SET status = ?, reason = ?, attempt = ?, next_run_at = ?, outage_since = ?,
          lease_owner = NULL, lease_until = NULL WHERE address = ?`,
        [next.status, next.reason, next.attempt, next.nextRunAt, next.outageSince, address],
      );
      await this.scheduleEvent(tx, address, before, next);
    });
  }

  /**
   * Writes a check's outcome and its check-log row, and releases the lease, only while `check.owner` still
   * holds the lease: false when it lost it (expired and taken over, or a handoff reset the schedule), and
   * then nothing is written. `before` is the schedule the holder read after claiming: every other change of
   * status, attempt or reason clears the lease, so while the lease holds it is still the row's state.
   */
  async finishCheck(
    address: string,
    before: ScheduleState,
    next: ScheduleState,
    check: FinishedCheck,
  ): Promise<boolean> {
    // The verdict and the status it leads to change together: a reader never sees one without the other.
    const update = `UPDATE schedule SET status = ?, reason = ?, attempt = ?, next_run_at = ?, outage_since = ?,
          last_checked_at = ?, last_ready = ?, last_headline = ?, last_verdict_at = ?,
          lease_owner = NULL, lease_until = NULL WHERE address = ? AND lease_owner = ?`;
    const updateParams = [
      next.status,
      next.reason,
      next.attempt,
      next.nextRunAt,
      next.outageSince,
      check.checkedAt,
      check.ready ? 1 : 0,
      check.headline,
      check.checkedAt,
      address,
      check.owner,
    ];
    const logColumns = 'check_log (address, due_at, started_at, checked_at, instance, ready)';
    const logParams = [
      check.dueAt ?? check.startedAt,
      check.startedAt,
      check.checkedAt,
      check.owner,
      check.ready ? 1 : 0,
    ];
    if (this.db.dialect === 'postgres' && !scheduleChanged(before, next)) {
      // The routine case, tens of times a second at scale: one statement (atomic by itself) instead of a
      // transaction's five round trips.
      const written = await this.db.run(
        `WITH done AS (${update} RETURNING address) INSERT INTO ${logColumns} ` +
          // Typed: parameters in a SELECT list would otherwise be taken for text.
          'SELECT address, ?::bigint, ?::bigint, ?::bigint, ?::text, ?::integer FROM done',
        [...updateParams, ...logParams],
      );
      return written > 0;
    }
    return this.db.transaction(async (tx) => {
      if ((await tx.run(update, updateParams)) === 0) return false;
      await tx.run(`INSERT INTO ${logColumns} VALUES (?, ?, ?, ?, ?, ?)`, [address, ...logParams]);
      await this.scheduleEvent(tx, address, before, next);
      return true;
    });
  }

  /** The event history records changes only: a routine check that changes nothing adds no row. */
  private async scheduleEvent(
    tx: SqlSession,
    address: string,
    before: ScheduleState | undefined,
    next: ScheduleState,
  ): Promise<void> {
    if (scheduleChanged(before, next)) {
      await this.addEvent(tx, address, 'schedule', { status: next.status, attempt: next.attempt, reason: next.reason });
    }
  }

  async saveVerdictSummary(address: string, ready: boolean, headline: string): Promise<void> {
    await this.db.run('UPDATE schedule SET last_ready = ?, last_headline = ?, last_verdict_at = ? WHERE address = ?', [
      ready ? 1 : 0,
      headline,
      this.now(),
      address,
    ]);
  }

  /** PostgreSQL: rows another instance is claiming right now are skipped, not waited for. */
  private skipLocked(table: string): string {
    return this.db.dialect === 'postgres' ? `FOR UPDATE OF ${table} SKIP LOCKED` : '';
  }

  /**
   * Takes the lease on up to `limit` mailboxes whose check or retry is due (soonest first) and nobody else
   * holds: on PostgreSQL rows another instance is claiming are skipped (SKIP LOCKED), and a lease whose
   * holder died runs out at lease_until. A lease `owner` still holds (a check whose result could not be
   * written during a database outage) is taken again at once.
   */
  async claimDueChecks(
    owner: string,
    now: number,
    leaseUntil: number,
    limit: number,
    running: readonly string[] = [],
  ): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const rows = await this.db.all<{ address: string; next_run_at: number | null }>(
      `
      UPDATE schedule SET lease_owner = ?, lease_until = ? WHERE address IN (
        SELECT c.address FROM schedule c
        WHERE c.next_run_at IS NOT NULL AND c.next_run_at <= ? AND c.status != 'needs-reauth'
          AND (c.lease_until IS NULL OR c.lease_until <= ? OR c.lease_owner = ?)${notRunning('c', running)}
        ORDER BY c.next_run_at LIMIT ? ${this.skipLocked('c')})
      RETURNING address, next_run_at`,
      [owner, leaseUntil, now, now, owner, ...running, limit],
    );
    return rows
      .map((r) => ({ address: r.address, dueAt: r.next_run_at, claimedAt: now }))
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  /**
   * Takes the lease on mailboxes holding a refresh token whose access token is due for refresh
   * (monitor/retry-schedule refreshDueAt) and whose last failed refresh is not too recent. The lease keeps
   * two instances from redeeming the same refresh token (providers rotate them: the second would burn it).
   */
  async claimDueRefreshes(
    owner: string,
    now: number,
    leaseUntil: number,
    aheadMs: number,
    limit: number,
    running: readonly string[] = [],
  ): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const rows = await this.db.all<{ address: string; next_run_at: number | null }>(
      `
      UPDATE schedule SET lease_owner = ?, lease_until = ? WHERE address IN (
        SELECT c.address FROM schedule c JOIN tokens t ON t.address = c.address
        WHERE t.refresh_token IS NOT NULL AND c.status != 'needs-reauth'
          AND (c.lease_until IS NULL OR c.lease_until <= ? OR c.lease_owner = ?)${notRunning('c', running)}
          AND (t.refresh_not_before IS NULL OR t.refresh_not_before <= ?)
          AND t.expires_at - CASE WHEN ? < (t.expires_at - t.updated_at) / 2 THEN ?
                                  ELSE (t.expires_at - t.updated_at) / 2 END <= ?
        ORDER BY t.expires_at LIMIT ? ${this.skipLocked('c')})
      RETURNING address, next_run_at`,
      [owner, leaseUntil, now, owner, ...running, now, aheadMs, aheadMs, now, limit],
    );
    return rows.map((r) => ({ address: r.address, dueAt: r.next_run_at, claimedAt: now }));
  }

  /** Keeps the leases of jobs still running here from running out (a slow check is not taken over). */
  async renewLeases(owner: string, addresses: readonly string[], leaseUntil: number): Promise<void> {
    if (addresses.length === 0) return;
    await this.db.run(
      `UPDATE schedule SET lease_until = ? WHERE lease_owner = ? AND address IN (${placeholders(addresses.length)})`,
      [leaseUntil, owner, ...addresses],
    );
  }

  /** Gives a lease back (a refresh done, a check abandoned at shutdown): the next instance may take it at once. */
  async releaseLeases(owner: string, addresses?: readonly string[]): Promise<void> {
    if (addresses?.length === 0) return;
    const only = addresses ? ` AND address IN (${placeholders(addresses.length)})` : '';
    await this.db.run(`UPDATE schedule SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?${only}`, [
      owner,
      ...(addresses ?? []),
    ]);
  }

  /**
   * Takes the right to redeem this mailbox's refresh token until `until`, unless another instance holds it:
   * the API of one instance and the monitor of another may both find the token due at the same moment.
   */
  async tryRefreshLock(address: string, owner: string, now: number, until: number): Promise<boolean> {
    const taken = await this.db.run(
      `UPDATE tokens SET refresh_owner = ?, refresh_until = ?
       WHERE address = ? AND (refresh_until IS NULL OR refresh_until <= ? OR refresh_owner = ?)`,
      [owner, until, address, now, owner],
    );
    return taken > 0;
  }

  async releaseRefreshLock(address: string, owner: string): Promise<void> {
    await this.db.run(
      'UPDATE tokens SET refresh_owner = NULL, refresh_until = NULL WHERE address = ? AND refresh_owner = ?',
      [address, owner],
    );
  }

  /**
   * Records that `condition` is being announced for this mailbox; false when it already was (by another
   * instance that saw the same change): the caller then sends nothing.
   */
  async claimAnnouncement(address: string, condition: string): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE schedule SET announced = ? WHERE address = ? AND (announced IS NULL OR announced <> ?)',
      [condition, address, condition],
    );
    return changed > 0;
  }

  /** A refresh failed for a reason other than a refused grant: no instance tries again before `notBefore`. */
  async deferRefresh(address: string, notBefore: number): Promise<void> {
    await this.db.run('UPDATE tokens SET refresh_not_before = ? WHERE address = ?', [notBefore, address]);
  }

  /** Sealed like the tokens: subjects, senders and recipients are mail content. */
  async saveOutageReport(address: string, report: OutageReport): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO outage_reports (address, created_at, report) VALUES (?, ?, ?)
        ON CONFLICT(address) DO UPDATE SET created_at = excluded.created_at, report = excluded.report`,
        [address, this.now(), this.box.seal(JSON.stringify(report), `${address}|outage_report`)],
      );
      await this.addEvent(tx, address, 'outage-report', {
        from: report.from,
        to: report.to,
        received: report.received.length,
        sent: report.sent.length,
      });
    });
  }

  async outageReport(address: string): Promise<{ createdAt: number; report: OutageReport } | undefined> {
    const row = await this.db.get<{ created_at: number; report: string }>(
      'SELECT created_at, report FROM outage_reports WHERE address = ?',
      [address],
    );
    if (!row) return undefined;
    return { createdAt: row.created_at, report: JSON.parse(this.openReport(address, row.report)) as OutageReport };
  }

  /** Reports written in clear by an earlier version start with "{" (JSON); sealed ones never do. */
  private openReport(address: string, stored: string): string {
    return stored.startsWith('{') ? stored : this.box.open(stored, `${address}|outage_report`);
  }

  /** Seals the outage reports an earlier version stored in clear; run once at start. */
  async sealPlainOutageReports(): Promise<number> {
    const count = await this.db.transaction(async (tx) => {
      const plain = await tx.all<{ address: string; report: string }>(
        "SELECT address, report FROM outage_reports WHERE report LIKE '{%'",
      );
      for (const row of plain) {
        await tx.run('UPDATE outage_reports SET report = ? WHERE address = ?', [
          this.box.seal(row.report, `${row.address}|outage_report`),
          row.address,
        ]);
      }
      return plain.length;
    });
    // The clear pages go from the database file now (secure_delete zeroes them), not at some later checkpoint.
    if (count && this.db.dialect === 'sqlite') await this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return count;
  }

  /**
   * Forgets events and check-log rows older than `before` (epoch ms): the history is for recent
   * troubleshooting, not an archive.
   */
  async pruneEvents(before: number): Promise<number> {
    const events = await this.db.run('DELETE FROM events WHERE at < ?', [before]);
    return events + (await this.db.run('DELETE FROM check_log WHERE checked_at < ?', [before]));
  }

  async delete(address: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changes = await tx.run('DELETE FROM mailboxes WHERE address = ?', [address]);
      if (changes) await this.addEvent(tx, address, 'forgotten', {});
      return changes > 0;
    });
  }

  /** Never put a token or secret in `detail`. */
  private async addEvent(tx: SqlSession, address: string, kind: string, detail: Record<string, unknown>) {
    await tx.run('INSERT INTO events (address, at, kind, detail) VALUES (?, ?, ?, ?)', [
      address,
      this.now(),
      kind,
      JSON.stringify(detail),
    ]);
  }
}
