/**
 * A token bucket for check starts: at most `perSecond` a second, never more than one second's worth at once.
 * After a database outage or a start with everything overdue, the backlog is worked off at this pace
 * instead of opening hundreds of IMAP/SMTP sessions against the mail servers in the same instant.
 */
export class CheckRateLimit {
  private tokens: number;
  private last: number;
  /** How many the last take() handed out. */
  taken = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = Math.max(1, perSecond);
    this.last = now();
  }

  /** Up to `wanted` starts allowed now. */
  take(wanted: number): number {
    const now = this.now();
    const capacity = Math.max(1, this.perSecond);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.taken = Math.max(0, Math.min(wanted, Math.floor(this.tokens)));
    this.tokens -= this.taken;
    return this.taken;
  }

  /** Returns starts taken but not used (fewer mailboxes were due). */
  giveBack(unused: number): void {
    this.tokens += Math.max(0, unused);
  }
}
