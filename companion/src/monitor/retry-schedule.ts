/**
 * The companion's retry schedule after a failed mailbox health check. The seeds: "retries the connection up
 * to 8 times over approximately 12 minutes", then "disconnected". The extension shows the countdown from the
 * `attempt`, `maxAttempts` and `nextRunAt` the companion reports, so this stays on the companion's side.
 */
import { RETRY_POLICY } from '../../../lib/scenarios';

/** Wait before retry n (index n-1), growing so a short blip clears fast and a long outage is not hammered. */
export const RETRY_DELAYS_SECONDS: readonly number[] = [30, 45, 60, 75, 90, 120, 135, 165];

/** Default time between health checks of a mailbox that works. */
export const HEALTH_CHECK_INTERVAL_SECONDS = 300;

/** Refresh an access token this long before it expires. */
export const REFRESH_AHEAD_SECONDS = 300;

/**
 * When to refresh a token obtained at `obtainedAt` that expires at `expiresAt` (epoch ms): REFRESH_AHEAD
 * before expiry, but never before half its lifetime, so a provider handing out short tokens is not asked
 * again on every tick.
 */
export function refreshDueAt(obtainedAt: number, expiresAt: number): number {
  const lifetime = Math.max(0, expiresAt - obtainedAt);
  return expiresAt - Math.min(REFRESH_AHEAD_SECONDS * 1000, lifetime / 2);
}

export const RETRY_ATTEMPTS = RETRY_POLICY.attempts;

/** Delay before retry `attempt` (1-based), or undefined once every retry is spent. */
export function retryDelaySeconds(attempt: number): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1) return undefined;
  return RETRY_DELAYS_SECONDS[attempt - 1];
}
