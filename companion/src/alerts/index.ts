/**
 * Alerts when a monitored mailbox breaks or comes back: the monitor tells this module which mailbox it just
 * worked on, this module compares the mailbox's status with what was last announced and posts at most one
 * alert per mailbox per change to the configured webhooks. A slow sweep catches changes made outside the
 * monitor (a verification that found the sign-in revoked).
 *
 * What was announced is seeded from the database at start, so a restart announces nothing old; status only
 * changes while the companion runs, so nothing is missed either (except an alert still being retried when
 * the process was killed).
 */
import type { Logger } from '../logger';
import { createOutboundFetch, type ResolveRule } from '../outbound';
import type { MailboxStore } from '../store/mailbox-store';
import type { MailboxState } from '../../../lib/companion-api';
import { alertFor, conditionOf, type AlertEvent, type Condition } from '../../../lib/mailbox-alerts';
import type { AlertsConfig } from './alerts-file';
import type { MailboxAlert } from './payloads';
import { WebhookSender } from './webhook-sender';

export { loadAlertsFile, type AlertsConfig } from './alerts-file';

export interface MailboxAlerts {
  /** The monitor finished a job on this mailbox: its status may have changed. */
  settled(address: string): void;
  /** Settles when every alert so far is delivered or given up (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Why it broke, in the companion's words: the refusal for needs-reauth, the last check's headline otherwise. */
function reasonFor(event: AlertEvent, state: MailboxState): string | null {
  if (event === 'needs-reauth') return state.reason ?? null;
  if (event === 'disconnected') return state.lastVerdict?.headline ?? null;
  return null;
}

export function createMailboxAlerts(options: {
  config: AlertsConfig;
  store: MailboxStore;
  /** The companion's --resolve and --extra-ca. Webhooks are the admin's own settings, not a client's: the
   * policy that keeps clients' mail hosts off internal addresses does not apply to them (an internal relay is fine). */
  network: { resolve: ResolveRule[]; extraCaPem?: string };
  log: Logger;
  sweepMs: number;
  now?: () => number;
}): MailboxAlerts {
  const { store, log } = options;
  const now = options.now ?? Date.now;
  const http = createOutboundFetch(options.network);
  const sender = new WebhookSender(options.config, http.fetch, log);
  const announced = new Map<string, Condition>();
  // Seeded before the first sweep or settle reads it (createMailboxAlerts is awaited at start).
  const seeded = store
    .list()
    .then((mailboxes) => {
      for (const mailbox of mailboxes) announced.set(mailbox.address, conditionOf(mailbox.status, 'working'));
    })
    .catch((err: unknown) => log.warn({ err: String(err) }, 'alerts could not read the mailboxes at start'));
  /** Settles still reading a mailbox's state: idle() waits for them, as for the alerts they may send. */
  const reading = new Set<Promise<void>>();

  async function observe(state: MailboxState): Promise<void> {
    const previous = announced.get(state.address) ?? 'working';
    const next = conditionOf(state.status, previous);
    announced.set(state.address, next);
    const event = alertFor(previous, next);
    if (!event) return;
    // Instances sharing a store all see the change (their monitor or their sweep): the first to record it alerts.
    if (!(await store.claimAnnouncement(state.address, next))) return;
    const alert: MailboxAlert = {
      event,
      mailbox: state.address,
      provider: state.provider,
      status: state.status,
      reason: reasonFor(event, state),
      outageSince: state.outageSince,
      at: new Date(now()).toISOString(),
    };
    log.info({ mailbox: alert.mailbox, event }, 'mailbox alert');
    sender.send(alert);
  }

  async function sweep(): Promise<void> {
    await seeded;
    const seen = new Set<string>();
    for (const state of await store.list()) {
      seen.add(state.address);
      await observe(state);
    }
    for (const address of announced.keys()) if (!seen.has(address)) announced.delete(address);
  }
  const sweeper = setInterval(() => {
    sweep().catch((err: unknown) => log.warn({ err: String(err) }, 'alerts sweep failed'));
  }, options.sweepMs);
  sweeper.unref();

  return {
    settled(address) {
      // Called from the monitor's job bookkeeping: a failure here must not become the job's.
      const read = seeded
        .then(() => store.state(address))
        .then(async (state) => {
          if (state) await observe(state);
          else announced.delete(address);
        })
        .catch((err: unknown) =>
          log.warn({ mailbox: address, err: String(err) }, 'alerts could not read the mailbox state'),
        )
        .finally(() => reading.delete(read));
      reading.add(read);
    },
    idle: async () => {
      await seeded;
      await Promise.all([...reading]);
      await sender.idle();
    },
    async close() {
      clearInterval(sweeper);
      await sender.close();
      await http.close();
    },
  };
}
