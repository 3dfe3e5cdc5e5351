/**
 * The scale benchmark's schedule figures from the store's check log (one row per finished check: the due time it
 * served, when it started and ended, which instance ran it) and the handoff times. Pure, so
 * tests/unit/bench-scale-figures.test.ts checks the counting on made-up timelines.
 *
 * - lateness: when a check started minus the due time it served (where the log has no start: when it ended,
 *   so the check itself is included).
 * - twice: mailboxes with two checks for one due time, or checked again less than half an interval after a
 *   passed check (a retry after a failed check is due 30 s later by design, so only passed ones count).
 * - skipped: mailboxes that went more than a whole interval past a due time without a check, up to the end of
 *   the window: a round missed, not merely late.
 */
export interface ObservedCheck {
  address: string;
  dueAt: number;
  startedAt?: number;
  checkedAt: number;
  instance: string;
  ready: boolean;
}

export interface ScheduleInput {
  /** Handoff time (epoch ms) of every mailbox. */
  handedOver: ReadonlyMap<string, number>;
  checks: readonly ObservedCheck[];
  intervalMs: number;
  windowStart: number;
  windowEnd: number;
}

export interface ScheduleFigures {
  checks: number;
  failed: number;
  /** Checks per second after the first interval (the steady state), or over the whole window if shorter. */
  checksPerSecond: number;
  /** Seconds, ascending: the first check of each mailbox, and the ones after it. */
  firstRoundLateness: number[];
  laterLateness: number[];
  /** Seconds, ascending (empty where the log has no start time). */
  durations: number[];
  twice: string[];
  skipped: string[];
  neverChecked: number;
  /** Mailboxes due but not yet checked at the end, and how overdue the oldest was (s). */
  waitingAtEnd: number;
  oldestWaitingS: number;
  /** Checks per instance name. */
  byInstance: Record<string, number>;
}

function byMailbox(checks: readonly ObservedCheck[]): Map<string, ObservedCheck[]> {
  const map = new Map<string, ObservedCheck[]>();
  for (const c of checks) map.set(c.address, [...(map.get(c.address) ?? []), c]);
  for (const list of map.values()) list.sort((a, b) => a.checkedAt - b.checkedAt);
  return map;
}

/** Mailboxes with two events less than half an interval apart, the first of them `counts` (default: any). */
export function closePairs<T extends { checkedAt: number }>(
  timelines: ReadonlyMap<string, readonly T[]>,
  intervalMs: number,
  counts: (first: T) => boolean = () => true,
): string[] {
  const found: string[] = [];
  for (const [address, list] of timelines) {
    if (list.some((c, i) => i > 0 && counts(list[i - 1]!) && c.checkedAt - list[i - 1]!.checkedAt < intervalMs / 2)) {
      found.push(address);
    }
  }
  return found;
}

/**
 * Logins from the mail server's own log that are two checks of one round: close pairs, except where the first
 * login's check failed (the store has it not ready) and the second is its designed retry. A log line only has
 * whole seconds and a login comes before its check ends, so a failed check ending up to `slackMs` after the
 * login (or a second before it) is taken as that login's.
 */
export function twiceInServerLog(
  logins: ReadonlyMap<string, ReadonlyArray<{ checkedAt: number }>>,
  checks: readonly ObservedCheck[],
  intervalMs: number,
  slackMs = 15_000,
): string[] {
  const failedAt = new Map<string, number[]>();
  for (const c of checks) if (!c.ready) failedAt.set(c.address, [...(failedAt.get(c.address) ?? []), c.checkedAt]);
  const found: string[] = [];
  for (const [address, list] of logins) {
    const failed = failedAt.get(address) ?? [];
    const retried = (login: { checkedAt: number }) =>
      failed.some((t) => t >= login.checkedAt - 1000 && t <= login.checkedAt + slackMs);
    if (closePairs(new Map([[address, list]]), intervalMs, (first) => !retried(first)).length) found.push(address);
  }
  return found;
}

function checkedTwice(timelines: ReadonlyMap<string, readonly ObservedCheck[]>, intervalMs: number): string[] {
  const sameDue = [...timelines]
    .filter(([, list]) => new Set(list.map((c) => c.dueAt)).size < list.length)
    .map(([address]) => address);
  return [...new Set([...sameDue, ...closePairs(timelines, intervalMs, (first) => first.ready)])];
}

export function scheduleFigures(input: ScheduleInput): ScheduleFigures {
  const { intervalMs, windowStart, windowEnd } = input;
  const inWindow = input.checks.filter((c) => c.checkedAt >= windowStart && c.checkedAt <= windowEnd);
  const timelines = byMailbox(inWindow);
  const firstRound: number[] = [];
  const later: number[] = [];
  const skipped: string[] = [];
  let neverChecked = 0;
  let waitingAtEnd = 0;
  let oldestWaiting = 0;
  for (const [address, handedAt] of input.handedOver) {
    const list = timelines.get(address) ?? [];
    let missedRound = false;
    list.forEach((c, i) => {
      const late = (c.startedAt ?? c.checkedAt) - c.dueAt;
      (i === 0 ? firstRound : later).push(late / 1000);
      if (late > intervalMs) missedRound = true;
    });
    // The next due time: the companion's rule (the end of the last check plus the interval), or the handoff.
    const last = list.at(-1);
    const due = last ? (last.ready ? last.checkedAt + intervalMs : last.checkedAt) : handedAt;
    if (list.length === 0) neverChecked += 1;
    if (due < windowEnd) {
      waitingAtEnd += 1;
      oldestWaiting = Math.max(oldestWaiting, windowEnd - due);
      if (windowEnd - due > intervalMs) missedRound = true;
    }
    if (missedRound) skipped.push(address);
  }
  const steadyFrom = windowEnd - windowStart > intervalMs ? windowStart + intervalMs : windowStart;
  const steady = inWindow.filter((c) => c.checkedAt >= steadyFrom).length;
  const byInstance: Record<string, number> = {};
  for (const c of inWindow) byInstance[c.instance] = (byInstance[c.instance] ?? 0) + 1;
  return {
    checks: inWindow.length,
    failed: inWindow.filter((c) => !c.ready).length,
    checksPerSecond: steady / Math.max(1, (windowEnd - steadyFrom) / 1000),
    firstRoundLateness: firstRound.sort((a, b) => a - b),
    laterLateness: later.sort((a, b) => a - b),
    durations: inWindow
      .filter((c) => c.startedAt !== undefined)
      .map((c) => (c.checkedAt - c.startedAt!) / 1000)
      .sort((a, b) => a - b),
    twice: checkedTwice(timelines, intervalMs),
    skipped,
    neverChecked,
    waitingAtEnd,
    oldestWaitingS: oldestWaiting / 1000,
    byInstance,
  };
}
