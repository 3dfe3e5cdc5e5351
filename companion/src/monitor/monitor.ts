/**
 * Periodic health checks of every handed-over mailbox, their retries, token refresh ahead of expiry, and the
 * outage report when a mailbox comes back. All state lives in the store (next run time, attempt, outage
 * start), so a restarted companion carries on where the killed one stopped. A bounded pool keeps hundreds
 * of mailboxes from opening hundreds of connections at once.
 */
import pLimit from 'p-limit';
import { REFRESH_AHEAD_SECONDS } from './retry-schedule';
import type { Logger } from '../logger';
import type { MailChecker } from '../mail-checker';
import { NeedsReauthError, type TokenService } from '../oauth/token-service';
import type { MailboxStore, ScheduleState } from '../store/mailbox-store';
import { targetFor } from '../verify-target';
import { afterCheck, type Timing } from './schedule-rules';

export interface MonitorOptions extends Timing {
  concurrency: number;
  /** How often the store is polled for due work. */
  tickMs: number;
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

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort(new Error('companion stopping'));
    this.pool.clearQueue();
    await Promise.allSettled([...this.active]);
  }

  private run(address: string, job: () => Promise<void>): void {
    if (this.busy.has(address) || this.abort.signal.aborted) return;
    this.busy.add(address);
    const p = this.pool(job)
      .catch((err: unknown) => this.log.error({ mailbox: address, err: String(err) }, 'monitor job failed'))
      .finally(() => {
        this.busy.delete(address);
        this.active.delete(p);
      });
    this.active.add(p);
  }

  tick(): void {
    const now = Date.now();
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
    let target;
    try {
      const tokens = await this.tokens.fresh(address);
      target = targetFor(record, tokens);
      const verdict = await this.checker.verify(target, { signal: this.abort.signal });
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
        const window = { from: new Date(Math.floor(outcome.reconnectedAfter / 1000) * 1000), to: new Date(Math.ceil(now / 1000) * 1000) };
        const report = await this.checker.outageReport(target, window, this.abort.signal);
        this.store.saveOutageReport(address, report);
      } catch (err) {
        this.log.warn({ mailbox: address, err: err instanceof Error ? err.message : String(err) }, 'outage report failed');
      }
    }
    this.store.saveSchedule(address, outcome.next, now);
    this.log.info({ mailbox: address, status: outcome.next.status, attempt: outcome.next.attempt }, 'health check');
  }
}
