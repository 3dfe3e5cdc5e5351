/**
 * Periodic health checks of every handed-over mailbox, their retries, token refresh ahead of expiry, and the
 * outage report when a mailbox comes back. All state lives in the store (next run time, attempt, outage
 * start), so a restarted companion carries on where the killed one stopped. A bounded pool keeps hundreds
 * of mailboxes from opening hundreds of connections at once. It also prunes the event history.
 */
import pLimit from 'p-limit';
import { REFRESH_AHEAD_SECONDS } from './retry-schedule';
import type { Logger } from '../logger';
import type { DiagnosisId, Verdict, VerifyTarget } from '../../../lib/verification';
import type { MailChecker } from '../mail-checker';
import { NeedsReauthError, type TokenService } from '../oauth/token-service';
import type { MailboxStore, ScheduleState } from '../store/mailbox-store';
import { targetFor } from '../verify-target';
import { afterCheck, type Timing } from './schedule-rules';

export interface MonitorOptions extends Timing {
  concurrency: number;
  /** How often the store is polled for due work. */
  tickMs: number;
  /** Events older than this are pruned. */
  eventsRetentionMs: number;
  /** Called after each check or refresh of a mailbox (its status may have changed): the alerts hook. */
  afterJob?: (address: string) => void;
}

/**
 * Verdicts that may only mean the access token is dead (revoked, or its grant revoked): Exchange refuses a
 * revoked token with a bare "AUTHENTICATE failed", the same words as for IMAP turned off.
 */
const TOKEN_REFUSALS: ReadonlySet<DiagnosisId> = new Set([
  'token-rejected',
  'token-expired',
  'imap-disabled-or-wrong-user',
]);

/** A sign-in was refused the way a dead token is, and no server accepted the token in the same run. */
function refusedToken(verdict: Verdict): boolean {
  const signedIn = verdict.steps.some((s) => (s.id === 'imap-auth' || s.id === 'smtp-auth') && s.status === 'ok');
  const refused = verdict.steps.some((s) => s.status === 'failed' && TOKEN_REFUSALS.has(s.diagnosis!));
  return !verdict.ready && !signedIn && refused;
}

const sameSchedule = (a: ScheduleState | undefined, b: ScheduleState | undefined) =>
  !!a && !!b && a.status === b.status && a.attempt === b.attempt && a.nextRunAt === b.nextRunAt;

export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Set<string>();
  private readonly refreshNotBefore = new Map<string, number>();
  private readonly pool;
  private readonly active = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private nextPruneAt = 0;

  constructor(
    private readonly store: MailboxStore,
    private readonly tokens: TokenService,
    private readonly checker: MailChecker,
    private readonly options: MonitorOptions,
    private readonly log: Logger,
  ) {
    this.pool = pLimit(options.concurrency);
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.tick();
  }

  /**
   * Aborts the running checks and lets the queued ones settle without work: a queued job is never dropped
   * (p-limit's clearQueue would leave its promise pending forever, and stop() waiting on it).
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort(new Error('companion stopping'));
    await Promise.allSettled([...this.active]);
  }

  private run(address: string, job: () => Promise<void>): void {
    if (this.busy.has(address) || this.abort.signal.aborted) return;
    this.busy.add(address);
    const p = this.pool(() => (this.abort.signal.aborted ? Promise.resolve() : job()))
      .catch((err: unknown) => this.log.error({ mailbox: address, err: String(err) }, 'monitor job failed'))
      .finally(() => {
        this.busy.delete(address);
        this.active.delete(p);
        this.options.afterJob?.(address);
      });
    this.active.add(p);
  }

  tick(): void {
    const now = Date.now();
    if (now >= this.nextPruneAt) {
      this.store.pruneEvents(now - this.options.eventsRetentionMs);
      this.nextPruneAt = now + Math.min(3_600_000, Math.max(1000, this.options.eventsRetentionMs / 10));
    }
    const batch = this.options.concurrency * 4;
    for (const address of this.store.dueForRefresh(now, REFRESH_AHEAD_SECONDS * 1000, batch)) {
      if ((this.refreshNotBefore.get(address) ?? 0) > now) continue;
      this.run(address, () => this.refresh(address));
    }
    for (const address of this.store.dueForCheck(now, batch)) {
      this.run(address, () => this.check(address));
    }
  }

  private async refresh(address: string): Promise<void> {
    try {
      await this.tokens.refresh(address);
      this.refreshNotBefore.delete(address);
    } catch (err) {
      if (err instanceof NeedsReauthError) return;
      // A provider outage or network trouble: try again a little later, not on every tick.
      this.refreshNotBefore.set(address, Date.now() + Math.max(1000, 60_000 * this.options.timeScale));
    }
  }

  private async check(address: string): Promise<void> {
    const before = this.store.schedule(address);
    const record = this.store.record(address);
    if (!before || !record || before.status === 'needs-reauth') return;

    let ready = false;
    let headline: string;
    let target: VerifyTarget | undefined;
    try {
      target = targetFor(record, await this.tokens.fresh(address));
      let verdict = await this.checker.verify(target, { signal: this.abort.signal });
      if (refusedToken(verdict)) {
        // A revoked access token (or grant) shows only here, long before its expiry: refresh once and check
        // again before counting a failure; a refused refresh (invalid_grant) means needs-reauth right away.
        const renewed = await this.tokens.refresh(address).catch((err: unknown) => {
          if (err instanceof NeedsReauthError) throw err;
          return undefined;
        });
        if (renewed && renewed.accessToken !== target.auth.accessToken) {
          target = targetFor(record, renewed);
          verdict = await this.checker.verify(target, { signal: this.abort.signal });
        }
      }
      ready = verdict.ready;
      headline = verdict.headline;
    } catch (err) {
      if (err instanceof NeedsReauthError || this.abort.signal.aborted) return;
      headline = `The check could not run: ${err instanceof Error ? err.message : String(err)}`;
    }

    const now = Date.now();
    // A handoff or a deletion while the check ran wins over this (older) result.
    if (!sameSchedule(before, this.store.schedule(address))) return;
    this.store.saveVerdictSummary(address, ready, headline);
    const outcome = afterCheck(before, ready, now, this.options);
    if (outcome.reconnectedAfter !== undefined && target) {
      try {
        // IMAP INTERNALDATE has whole seconds: widen the window to whole seconds so nothing at its edges is lost.
        const window = {
          from: new Date(Math.floor(outcome.reconnectedAfter / 1000) * 1000),
          to: new Date(Math.ceil(now / 1000) * 1000),
        };
        const report = await this.checker.outageReport(target, window, this.abort.signal);
        this.store.saveOutageReport(address, report);
      } catch (err) {
        this.log.warn(
          { mailbox: address, err: err instanceof Error ? err.message : String(err) },
          'outage report failed',
        );
      }
    }
    this.store.saveSchedule(address, outcome.next, now);
    this.log.info({ mailbox: address, status: outcome.next.status, attempt: outcome.next.attempt }, 'health check');
  }
}
