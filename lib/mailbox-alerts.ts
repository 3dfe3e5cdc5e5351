/**
 * Which changes of a monitored mailbox are worth an alert, shared by the companion's webhooks and the
 * extension's desktop notifications so both announce the same things. Alerts follow what an admin must act
 * on, not every check: `retrying` and `pending` say nothing new (a retry may still succeed, a handoff is being
 * checked), so they keep the mailbox's last announced condition; `back` is sent only after a breakage was
 * announced; a mailbox first seen working is no news, one first seen broken is.
 */
import { z } from 'zod';
import type { MailboxStatus } from './companion-api';

export const ALERT_EVENTS = ['needs-reauth', 'disconnected', 'back'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** What the admin was last told about a mailbox. */
export const conditionSchema = z.enum(['working', 'disconnected', 'needs-reauth']);
export type Condition = z.infer<typeof conditionSchema>;

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

const TITLES: Record<AlertEvent, (mailbox: string) => string> = {
  'needs-reauth': (m) => `${m} needs reauthorization`,
  disconnected: (m) => `${m} is disconnected: every retry failed`,
  back: (m) => `${m} is back: mail flows again`,
};

export function alertTitle(event: AlertEvent, mailbox: string): string {
  return TITLES[event](mailbox);
}

/** The next step for each alert, in an admin's words. */
export const ALERT_NEXT_STEPS: Readonly<Record<AlertEvent, string>> = {
  'needs-reauth':
    'Sign in to the mailbox again from the Reauth Assist popup; the companion stopped checking it until then.',
  disconnected:
    'The companion keeps checking it. Open the Reauth Assist popup to verify it step by step and see the fix.',
  back: 'Open the Reauth Assist popup for the outage report: the mail that arrived and was sent while it was down.',
};

// ------------------------------------------------------------------------------------------------ extension

/** storage.local: the Options switch for desktop notifications. On unless the admin turns it off. */
export const DESKTOP_ALERTS_KEY = 'desktopAlerts';
export const desktopAlertsSettingSchema = z.strictObject({ enabled: z.boolean() });
export type DesktopAlertsSetting = z.infer<typeof desktopAlertsSettingSchema>;
export const DEFAULT_DESKTOP_ALERTS: DesktopAlertsSetting = { enabled: true };

export function readDesktopAlertsSetting(stored: unknown): DesktopAlertsSetting {
  const parsed = desktopAlertsSettingSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_DESKTOP_ALERTS;
}

/** storage.local: mailbox -> what its last desktop notification said, so a worker restart repeats nothing. */
export const ANNOUNCED_KEY = 'desktopAlertsAnnounced';
export const announcedSchema = z.record(z.string(), conditionSchema);

/**
 * storage.session: the mailbox a clicked notification asked the popup to show. Read once by the next popup
 * (and only if recent: a popup opened much later by hand shows everything as usual).
 */
export const POPUP_FOCUS_KEY = 'popupFocus';
export const popupFocusSchema = z.strictObject({ mailbox: z.string().max(320), at: z.number() });
export const POPUP_FOCUS_TTL_MS = 60_000;
