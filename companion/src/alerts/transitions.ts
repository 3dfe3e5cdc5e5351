/**
 * Which status changes are worth an alert. Alerts follow what an admin must act on, not every check:
 * `retrying` and `pending` say nothing new (a retry may still succeed, a handoff is being checked), so they
 * keep the mailbox's last alerted condition; `back` is sent only after a breakage was announced.
 */
import type { MailboxStatus } from '../../../lib/companion-api';
import type { AlertEvent } from './alerts-file';

/** What the admin was last told about a mailbox. */
export type Condition = 'working' | 'disconnected' | 'needs-reauth';

export function conditionOf(status: MailboxStatus, previous: Condition): Condition {
  switch (status) {
    case 'connected':
      return 'working';
    case 'disconnected':
    case 'needs-reauth':
      return status;
    case 'retrying':
    case 'pending':
      return previous;
  }
}

/** The alert for moving from `previous` to `next`, if any. */
export function alertFor(previous: Condition, next: Condition): AlertEvent | undefined {
  if (previous === next) return undefined;
  return next === 'working' ? 'back' : next;
}
