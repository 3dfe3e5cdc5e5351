/**
 * Mailboxes, their sealed tokens and their monitoring schedule. The only module that writes SQL for them;
 * tokens go in and out of it in clear and are sealed/opened here, so nothing else touches ciphertext.
 */
import type Database from 'better-sqlite3';
import { RETRY_ATTEMPTS } from '../monitor/retry-schedule';
import type { MailboxState, MailboxStatus } from '../../../lib/companion-api';
import type { MailServerEndpoint, OutageReport } from '../../../lib/verification';
import type { ProviderId } from '../../../lib/providers';
import type { SealedBox } from '../crypto/sealed-box';

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
  address: string; provider: ProviderId; account: string; client_id: string; client_kind: 'public' | 'confidential';
  tenant: string | null; token_endpoint: string; request_origin: string | null;
  imap_host: string; imap_port: number; imap_security: 'tls' | 'starttls';
  smtp_host: string; smtp_port: number; smtp_security: 'tls' | 'starttls';
}
interface StateRow extends MailboxRow {
  status: MailboxStatus; reason: string | null; attempt: number; next_run_at: number | null; outage_since: number | null;
  last_checked_at: number | null; last_ready: number | null; last_headline: string | null; last_verdict_at: number | null;
  expires_at: number; has_refresh: number; report_at: number | null;
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
         s.last_headline, s.last_verdict_at, t.expires_at, (t.refresh_token IS NOT NULL) AS has_refresh,
         o.created_at AS report_at
  FROM mailboxes m JOIN schedule s USING (address) JOIN tokens t USING (address)
  LEFT JOIN outage_reports o USING (address)`;

export class MailboxStore {
  constructor(
    private readonly db: Database.Database,
    private readonly box: SealedBox,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new or renewed sign-in: stores everything at once and schedules a check right away. */
  saveHandoff(record: MailboxRecord, tokens: StoredTokens): void {
    const now = this.now();
    this.db.transaction(() => {
      this.db.prepare(`
        INSERT INTO mailboxes (address, provider, account, client_id, client_kind, tenant, token_endpoint, request_origin,
          imap_host, imap_port, imap_security, smtp_host, smtp_port, smtp_security, created_at, updated_at)
        VALUES (@address, @provider, @account, @clientId, @clientKind, @tenant, @tokenEndpoint, @requestOrigin,
          @imapHost, @imapPort, @imapSecurity, @smtpHost, @smtpPort, @smtpSecurity, @now, @now)
        ON CONFLICT(address) DO UPDATE SET provider = excluded.provider, account = excluded.account,
          client_id = excluded.client_id, client_kind = excluded.client_kind, tenant = excluded.tenant,
          token_endpoint = excluded.token_endpoint, request_origin = excluded.request_origin,
          imap_host = excluded.imap_host, imap_port = excluded.imap_port, imap_security = excluded.imap_security,
          smtp_host = excluded.smtp_host, smtp_port = excluded.smtp_port, smtp_security = excluded.smtp_security,
          updated_at = excluded.updated_at`).run({
        address: record.address, provider: record.provider, account: record.account, clientId: record.clientId,
        clientKind: record.clientKind, tenant: record.tenant ?? null, tokenEndpoint: record.tokenEndpoint,
        requestOrigin: record.requestOrigin ?? null,
        imapHost: record.imap.host, imapPort: record.imap.port, imapSecurity: record.imap.security,
        smtpHost: record.smtp.host, smtpPort: record.smtp.port, smtpSecurity: record.smtp.security, now,
      });
      this.writeTokens(record.address, tokens, now);
      // An outage that was running before this sign-in stays open: the first good check closes it with a report.
      this.db.prepare(`
        INSERT INTO schedule (address, status, attempt, next_run_at) VALUES (?, 'pending', 0, ?)
        ON CONFLICT(address) DO UPDATE SET status = 'pending', reason = NULL, attempt = 0, next_run_at = excluded.next_run_at`)
        .run(record.address, now);
      this.addEvent(record.address, 'handoff', { account: record.account, clientKind: record.clientKind });
    })();
  }

  saveTokens(address: string, tokens: StoredTokens): void {
    this.db.transaction(() => {
      this.writeTokens(address, tokens, this.now());
      this.addEvent(address, 'token-refreshed', { expiresAt: new Date(tokens.expiresAt).toISOString() });
    })();
  }

  private writeTokens(address: string, tokens: StoredTokens, now: number): void {
    this.db.prepare(`
      INSERT INTO tokens (address, access_token, refresh_token, expires_at, scope, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(address) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
        expires_at = excluded.expires_at, scope = excluded.scope, updated_at = excluded.updated_at`).run(
      address,
      this.box.seal(tokens.accessToken, `${address}|access_token`),
      tokens.refreshToken === undefined ? null : this.box.seal(tokens.refreshToken, `${address}|refresh_token`),
      tokens.expiresAt,
      tokens.scope,
      now,
    );
  }

  record(address: string): MailboxRecord | undefined {
    const row = this.db.prepare('SELECT * FROM mailboxes WHERE address = ?').get(address) as MailboxRow | undefined;
    return row && toRecord(row);
  }

  tokens(address: string): StoredTokens | undefined {
    const row = this.db.prepare('SELECT * FROM tokens WHERE address = ?').get(address) as
      | { access_token: string; refresh_token: string | null; expires_at: number; scope: string; updated_at: number }
      | undefined;
    if (!row) return undefined;
    return {
      accessToken: this.box.open(row.access_token, `${address}|access_token`),
      ...(row.refresh_token === null ? {} : { refreshToken: this.box.open(row.refresh_token, `${address}|refresh_token`) }),
      expiresAt: row.expires_at,
      scope: row.scope,
      obtainedAt: row.updated_at,
    };
  }

  state(address: string): MailboxState | undefined {
    const row = this.db.prepare(`${STATE_SELECT} WHERE m.address = ?`).get(address) as StateRow | undefined;
    return row && toState(row);
  }

  list(): MailboxState[] {
    return (this.db.prepare(`${STATE_SELECT} ORDER BY m.address`).all() as StateRow[]).map(toState);
  }

  schedule(address: string): ScheduleState | undefined {
    const row = this.db.prepare('SELECT status, reason, attempt, next_run_at, outage_since FROM schedule WHERE address = ?')
      .get(address) as { status: MailboxStatus; reason: string | null; attempt: number; next_run_at: number | null; outage_since: number | null } | undefined;
    return row && { status: row.status, reason: row.reason, attempt: row.attempt, nextRunAt: row.next_run_at, outageSince: row.outage_since };
  }

  /** The event history records changes only: a routine check that changes nothing adds no row. */
  saveSchedule(address: string, next: ScheduleState, checkedAt?: number): void {
    this.db.transaction(() => {
      const before = this.schedule(address);
      this.db.prepare(`
        UPDATE schedule SET status = ?, reason = ?, attempt = ?, next_run_at = ?, outage_since = ?,
          last_checked_at = COALESCE(?, last_checked_at) WHERE address = ?`)
        .run(next.status, next.reason, next.attempt, next.nextRunAt, next.outageSince, checkedAt ?? null, address);
      const changed = !before || before.status !== next.status || before.attempt !== next.attempt ||
        before.reason !== next.reason;
      if (changed) {
        this.addEvent(address, 'schedule', { status: next.status, attempt: next.attempt, reason: next.reason });
      }
    })();
  }

  saveVerdictSummary(address: string, ready: boolean, headline: string): void {
    this.db.prepare('UPDATE schedule SET last_ready = ?, last_headline = ?, last_verdict_at = ? WHERE address = ?')
      .run(ready ? 1 : 0, headline, this.now(), address);
  }

  /** Mailboxes whose check or retry is due, soonest first. */
  dueForCheck(now: number, limit: number): string[] {
    return (this.db.prepare(`
      SELECT address FROM schedule WHERE next_run_at IS NOT NULL AND next_run_at <= ? AND status != 'needs-reauth'
      ORDER BY next_run_at LIMIT ?`).all(now, limit) as Array<{ address: string }>).map((r) => r.address);
  }

  /** Mailboxes holding a refresh token whose access token is due for refresh (monitor/retry-schedule refreshDueAt). */
  dueForRefresh(now: number, aheadMs: number, limit: number): string[] {
    return (this.db.prepare(`
      SELECT t.address FROM tokens t JOIN schedule s USING (address)
      WHERE t.refresh_token IS NOT NULL AND s.status != 'needs-reauth'
        AND t.expires_at - MIN(?, (t.expires_at - t.updated_at) / 2) <= ?
      ORDER BY t.expires_at LIMIT ?`).all(aheadMs, now, limit) as Array<{ address: string }>).map((r) => r.address);
  }

  /** Sealed like the tokens: subjects, senders and recipients are mail content. */
  saveOutageReport(address: string, report: OutageReport): void {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO outage_reports (address, created_at, report) VALUES (?, ?, ?)
        ON CONFLICT(address) DO UPDATE SET created_at = excluded.created_at, report = excluded.report`)
        .run(address, this.now(), this.box.seal(JSON.stringify(report), `${address}|outage_report`));
      this.addEvent(address, 'outage-report', { from: report.from, to: report.to, received: report.received.length, sent: report.sent.length });
    })();
  }

  outageReport(address: string): { createdAt: number; report: OutageReport } | undefined {
    const row = this.db.prepare('SELECT created_at, report FROM outage_reports WHERE address = ?').get(address) as
      | { created_at: number; report: string }
      | undefined;
    if (!row) return undefined;
    return { createdAt: row.created_at, report: JSON.parse(this.openReport(address, row.report)) as OutageReport };
  }

  /** Reports written in clear by an earlier version start with "{" (JSON); sealed ones never do. */
  private openReport(address: string, stored: string): string {
    return stored.startsWith('{') ? stored : this.box.open(stored, `${address}|outage_report`);
  }

  /** Seals the outage reports an earlier version stored in clear; run once at start. */
  sealPlainOutageReports(): number {
    const plain = this.db.prepare("SELECT address, report FROM outage_reports WHERE report LIKE '{%'").all() as
      Array<{ address: string; report: string }>;
    const update = this.db.prepare('UPDATE outage_reports SET report = ? WHERE address = ?');
    this.db.transaction(() => {
      for (const row of plain) update.run(this.box.seal(row.report, `${row.address}|outage_report`), row.address);
    })();
    // The clear pages go from the database file now (secure_delete zeroes them), not at some later checkpoint.
    if (plain.length) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return plain.length;
  }

  /** Forgets events older than `before` (epoch ms): the history is for recent troubleshooting, not an archive. */
  pruneEvents(before: number): number {
    return this.db.prepare('DELETE FROM events WHERE at < ?').run(before).changes;
  }

  delete(address: string): boolean {
    return this.db.transaction(() => {
      const { changes } = this.db.prepare('DELETE FROM mailboxes WHERE address = ?').run(address);
      if (changes) this.addEvent(address, 'forgotten', {});
      return changes > 0;
    })();
  }

  /** Never put a token or secret in `detail`. */
  addEvent(address: string, kind: string, detail: Record<string, unknown>): void {
    this.db.prepare('INSERT INTO events (address, at, kind, detail) VALUES (?, ?, ?, ?)')
      .run(address, this.now(), kind, JSON.stringify(detail));
  }
}
