/**
 * Whether this instance can reach its database, for /v1/health and the log. An outage is logged once when it
 * starts and once when it ends (with its length), not on every failed tick.
 */
import type { Logger } from '../logger';
import { type SqlDatabase, StoreUnavailableError } from './sql';

export class StoreHealth {
  private downSince: number | undefined;

  constructor(
    private readonly db: SqlDatabase,
    private readonly log: Pick<Logger, 'warn' | 'info'>,
  ) {}

  get unreachableSince(): number | undefined {
    return this.downSince;
  }

  /** Records the outcome of any database call; returns the error to rethrow or swallow. */
  observe(err: unknown): void {
    if (!(err instanceof StoreUnavailableError)) return;
    if (this.downSince === undefined) {
      this.downSince = Date.now();
      this.log.warn({ err: err.message }, 'database unreachable: monitoring paused until it is back');
    }
  }

  reachable(): void {
    if (this.downSince === undefined) return;
    const seconds = Math.round((Date.now() - this.downSince) / 1000);
    this.downSince = undefined;
    this.log.info({ outageSeconds: seconds }, 'database reachable again: monitoring resumes');
  }

  /** Throws StoreUnavailableError (with since when) when the database does not answer now. */
  async probe(): Promise<void> {
    try {
      await this.db.get('SELECT 1 AS one');
      this.reachable();
    } catch (err) {
      this.observe(err);
      if (err instanceof StoreUnavailableError && this.downSince !== undefined) {
        throw new StoreUnavailableError(`${err.message} Unreachable since ${new Date(this.downSince).toISOString()}.`);
      }
      throw err;
    }
  }
}
