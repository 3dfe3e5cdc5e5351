/**
 * What a health check's outcome does to a mailbox's schedule: the seeds' policy ("retries up to 8 times
 * over about 12 minutes, then disconnected") as one pure function, so it is tested without clocks.
 */
import { RETRY_ATTEMPTS, retryDelaySeconds } from './retry-schedule';
import type { ScheduleState } from '../store/mailbox-store';

export interface Timing {
  checkIntervalSeconds: number;
  /** Multiplies every delay; 1 in production. */
  timeScale: number;
}

export interface CheckOutcome {
  next: ScheduleState;
  /** The check closed an outage: time to write the outage report for [outageSince, now]. */
  reconnectedAfter?: number;
}

const seconds = (s: number, timing: Timing) => Math.max(1, Math.round(s * 1000 * timing.timeScale));

export function afterCheck(previous: ScheduleState, ready: boolean, now: number, timing: Timing): CheckOutcome {
  const normal = now + seconds(timing.checkIntervalSeconds, timing);
  if (ready) {
    return {
      next: { status: 'connected', reason: null, attempt: 0, nextRunAt: normal, outageSince: null },
      ...(previous.outageSince !== null ? { reconnectedAfter: previous.outageSince } : {}),
    };
  }
  const outageSince = previous.outageSince ?? now;
  if (previous.status === 'disconnected') {
    return { next: { ...previous, nextRunAt: normal, outageSince } };
  }
  // `attempt` while retrying is the number of the retry that comes next (1..8).
  const attempt = previous.status === 'retrying' ? previous.attempt + 1 : 1;
  const delay = retryDelaySeconds(attempt);
  if (delay === undefined) {
    // Every retry failed: disconnected, still checked at the normal interval so a recovery is noticed.
    return {
      next: {
        status: 'disconnected',
        reason: `All ${RETRY_ATTEMPTS} retries failed; the mailbox is disconnected until a check passes.`,
        attempt: RETRY_ATTEMPTS,
        nextRunAt: normal,
        outageSince,
      },
    };
  }
  return {
    next: { status: 'retrying', reason: null, attempt, nextRunAt: now + seconds(delay, timing), outageSince },
  };
}
