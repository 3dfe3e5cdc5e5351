/**
 * Periodic health checks of every handed-over mailbox, their retries, token refresh ahead of expiry, and the
 * outage report when a mailbox comes back. All state lives in the store (next run time, attempt, outage
 * start), so a restarted companion carries on where the killed one stopped. A bounded pool keeps hundreds
 * of mailboxes from opening hundreds of connections at once. It also prunes the event history.
 *
 * Several instances share one schedule: each takes a lease on the mailboxes it works on (claimDue*), renews
 * it while the work runs and gives it back with the result, so no due check runs twice and a dead
 * instance's mailboxes are taken over once its leases run out (docs/team-postgres.md).
 */
import pLimit from 'p-limit';
import { REFRESH_AHEAD_SECONDS } from './retry-schedule';
import type { Logger } from '../logger';
import type { DiagnosisId, Verdict, VerifyTarget } from '../../../lib/verification';
import type { MailChecker } from '../mail-checker';
import { NeedsReauthError, type TokenService } from '../oauth/token-service';
import type { ClaimedJob, MailboxStore, ScheduleState } from '../store/mailbox-store';
import { StoreUnavailableError } from '../store/sql';
import type { StoreHealth } from '../store/store-health';
import { targetFor } from '../verify-target';
import { CheckRateLimit } from './check-rate-limit';
import { afterCheck, type Timing } from './schedule-rules';

export interface MonitorOptions extends Timing {
  concurrency: number;
  /** How often the store is polled for due work. */
  tickMs: number;
  /** Events older than this are pruned. */
  eventsRetentionMs: number;
  /** How long a claimed mailbox stays this instance's without a renewal; a dead instance's work waits this long. */
  leaseMs: number;
  /** Checks this instance starts per second at most: a backlog (after an outage) is worked off at this pace. */
  maxCheckRate: number;
  /** Names this instance in leases and the check log. */
  instanceId: string;
  /** Told whether the database answered each tick (health endpoint, one log line per outage). */
  storeHealth?: StoreHealth;
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
  /** Leases whose job ended without writing (database unreachable): handed back once it answers again. */
  private readonly orphaned = new Set<string>();
  private readonly pool;
  private readonly active = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private readonly rate: CheckRateLimit;
  private ticking = false;
  private kicked: NodeJS.Timeout | undefined;
  /** A slot came free while a round ran: run another right after it. */
  private missedKick = false;
  private nextPruneAt = 0;
  /** When lease renewal and refresh claims are next due (see claimWork). */
  private nextFullRoundAt = 0;

  constructor(
    private readonly store: MailboxStore,
    private readonly tokens: TokenService,
    private readonly checker: MailChecker,
    private readonly options: MonitorOptions,
    private readonly log: Logger,
  ) {
    this.pool = pLimit(options.concurrency);
    this.rate = new CheckRateLimit(options.maxCheckRate);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.tickMs);
    void this.tick();
  }

  /**
   * Aborts the running checks and lets the queued ones settle without work: a queued job is never dropped
   * (p-limit's clearQueue would leave its promise pending forever, and stop() waiting on it). The leases
   * held go back at once, so other instances need not wait for them to run out.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.kicked);
    this.abort.abort(new Error('companion stopping'));
    await Promise.allSettled([...this.active]);
    await this.store.releaseLeases(this.options.instanceId).catch(() => undefined);
  }

  private run(address: string, job: () => Promise<void>): void {
    if (this.busy.has(address) || this.abort.signal.aborted) return;
    this.busy.add(address);
    const p = this.pool(() => (this.abort.signal.aborted ? Promise.resolve() : job()))
      .catch((err: unknown) => {
        this.orphaned.add(address);
        this.options.storeHealth?.observe(err);
        if (!(err instanceof StoreUnavailableError)) {
          this.log.error({ mailbox: address, err: String(err) }, 'monitor job failed');
        }
      })
      .finally(() => {
        this.busy.delete(address);
        this.active.delete(p);
        this.options.afterJob?.(address);
        this.kick();
      });
    this.active.add(p);
  }

  /**
   * A slot came free: claim the next due mailbox now rather than at the next tick (a whole tick per slot
   * would cap an instance at --concurrency checks a second). Finishes close together share one round.
   */
  private kick(): void {
    if (this.kicked || this.abort.signal.aborted) return;
    this.kicked = setTimeout(() => {
      this.kicked = undefined;
      void this.tick();
    }, 20);
  }

  /** One round: renew what runs here, claim what is due. A database outage skips the round, nothing more. */
  async tick(): Promise<void> {
    if (this.abort.signal.aborted) return;
    if (this.ticking) {
      this.missedKick = true;
      return;
    }
    this.ticking = true;
    this.missedKick = false;
    try {
      await this.claimWork();
      this.options.storeHealth?.reachable();
    } catch (err) {
      this.options.storeHealth?.observe(err);
      if (!(err instanceof StoreUnavailableError)) this.log.warn({ err: String(err) }, 'monitor round failed');
    } finally {
      this.ticking = false;
      if (this.missedKick) this.kick();
    }
  }

  /**
   * A round started by a finished job claims due checks only; lease renewal, refresh claims (a join over every
   * token) and pruning run at most once a tick: at tens of checks a second, doing them on every finish cost the
   * database more than the checks' own statements.
   */
  private async claimWork(): Promise<void> {
    const { instanceId: owner, leaseMs } = this.options;
    const now = Date.now();
    const leaseUntil = now + leaseMs;
    const fullRound = now >= this.nextFullRoundAt;
    if (fullRound) {
      this.nextFullRoundAt = now + this.options.tickMs;
      await this.store.renewLeases(owner, [...this.busy], leaseUntil);
    }
    const orphaned = [...this.orphaned].filter((a) => !this.busy.has(a));
    if (orphaned.length) {
      await this.store.releaseLeases(owner, orphaned);
      for (const address of orphaned) this.orphaned.delete(address);
    }
    if (now >= this.nextPruneAt) {
      await this.store.pruneEvents(now - this.options.eventsRetentionMs);
      this.nextPruneAt = now + Math.min(3_600_000, Math.max(1000, this.options.eventsRetentionMs / 10));
    }
    let free = this.options.concurrency - this.busy.size;
    const running = [...this.busy];
    if (fullRound) {
      const ahead = REFRESH_AHEAD_SECONDS * 1000;
      const refreshes = await this.store.claimDueRefreshes(owner, now, leaseUntil, ahead, free, running);
      for (const job of refreshes) this.run(job.address, () => this.refresh(job.address));
      free -= refreshes.length;
    }
    const checks = await this.store.claimDueChecks(owner, now, leaseUntil, this.rate.take(free), running);
    this.rate.giveBack(this.rate.taken - checks.length);
    for (const job of checks) this.run(job.address, () => this.check(job));
  }

  private async refresh(address: string): Promise<void> {
    try {
      await this.tokens.refresh(address);
    } catch (err) {
      if (err instanceof NeedsReauthError) return;
      if (err instanceof StoreUnavailableError) throw err;
      // A provider outage or network trouble: no instance tries again before a minute has passed.
      await this.store.deferRefresh(address, Date.now() + Math.max(1000, 60_000 * this.options.timeScale));
    } finally {
      await this.store.releaseLeases(this.options.instanceId, [address]);
    }
  }

  private async check(job: ClaimedJob): Promise<void> {
    const { address } = job;
    const before = await this.store.schedule(address);
    const record = await this.store.record(address);
    if (!before || !record || before.status === 'needs-reauth') {
      await this.store.releaseLeases(this.options.instanceId, [address]);
      return;
    }

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
          if (err instanceof NeedsReauthError || err instanceof StoreUnavailableError) throw err;
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
      if (err instanceof StoreUnavailableError) throw err;
      if (err instanceof NeedsReauthError || this.abort.signal.aborted) return;
      headline = `The check could not run: ${err instanceof Error ? err.message : String(err)}`;
    }

    const now = Date.now();
    const outcome = afterCheck(before, ready, now, this.options);
    // A handoff or a deletion while the check ran wins over this (older) result: it took the lease, so
    // finishCheck writes nothing. The outage report is work of its own, so it is not even started then.
    if (outcome.reconnectedAfter !== undefined && target) {
      if (!sameSchedule(before, await this.store.schedule(address))) return;
      try {
        // IMAP INTERNALDATE has whole seconds: widen the window to whole seconds so nothing at its edges is lost.
        const window = {
          from: new Date(Math.floor(outcome.reconnectedAfter / 1000) * 1000),
          to: new Date(Math.ceil(now / 1000) * 1000),
        };
        const report = await this.checker.outageReport(target, window, this.abort.signal);
        await this.store.saveOutageReport(address, report);
      } catch (err) {
        if (err instanceof StoreUnavailableError) throw err;
        this.log.warn(
          { mailbox: address, err: err instanceof Error ? err.message : String(err) },
          'outage report failed',
        );
      }
    }
    const finished = {
      owner: this.options.instanceId,
      dueAt: job.dueAt,
      startedAt: job.claimedAt,
      checkedAt: now,
      ready,
      headline,
    };
    if (!(await this.store.finishCheck(address, before, outcome.next, finished))) {
      this.log.info(
        { mailbox: address },
        'health check result dropped: the mailbox changed while it ran (a new sign-in, removed, or its lease ran out)',
      );
      return;
    }
    // A routine check that changes nothing is a debug line: at an MSP's tens of checks a second, info would log
    // millions of lines a day that say nothing new. Every change of status or attempt stays at info.
    const changed = before.status !== outcome.next.status || before.attempt !== outcome.next.attempt;
    this.log[changed ? 'info' : 'debug'](
      { mailbox: address, status: outcome.next.status, attempt: outcome.next.attempt },
      'health check',
    );
  }
}
