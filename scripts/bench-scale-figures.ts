/**
 * The scale benchmark's schedule figures from what was observed: when each mailbox was handed over and when
 * each of its checks finished. Pure, so tests/unit/bench-scale-figures.test.ts checks the counting on made-up
 * timelines.
 *
 * - lateness: a check's finish minus its due time (the handoff for the first check, the previous check's finish
 *   plus the interval after it: the companion's own rule, monitor/schedule-rules.ts). It includes the check itself.
 * - twice: mailboxes checked again less than half an interval after a check that passed (a retry after a failed
 *   check is due 30 s later by design, so only checks after a passed one count).
 * - skipped: mailboxes that went more than a whole interval past a due time without a check, up to the end of
 *   the window: a round missed, not merely late.
 */
export interface ObservedCheck {
  address: string;
  checkedAt: number;
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
  /** Seconds; ascending. */
  firstRoundLateness: number[];
  laterLateness: number[];
  twice: string[];
  skipped: string[];
  neverChecked: number;
  /** Mailboxes due but not yet checked at the end, and how overdue the oldest was (s). */
  waitingAtEnd: number;
  oldestWaitingS: number;
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
    let due = handedAt;
    let missedRound = false;
    list.forEach((c, i) => {
      const late = c.checkedAt - due;
      (i === 0 ? firstRound : later).push(late / 1000);
      if (late > intervalMs) missedRound = true;
      due = c.checkedAt + intervalMs;
    });
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
  return {
    checks: inWindow.length,
    failed: inWindow.filter((c) => !c.ready).length,
    checksPerSecond: steady / Math.max(1, (windowEnd - steadyFrom) / 1000),
    firstRoundLateness: firstRound.sort((a, b) => a - b),
    laterLateness: later.sort((a, b) => a - b),
    twice: closePairs(timelines, intervalMs, (first) => first.ready),
    skipped,
    neverChecked,
    waitingAtEnd,
    oldestWaitingS: oldestWaiting / 1000,
  };
}
