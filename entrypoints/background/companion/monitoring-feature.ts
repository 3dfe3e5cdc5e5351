/**
 * Monitoring: the companion's mailbox list polled with browser.alarms (and every few seconds while a page
 * follows it), shown in the popup and counted on the badge even when no helpdesk tab is open, with the
 * outage report fetched when a mailbox comes back.
 */
import browser from 'webextension-polyfill';
import { companionBadge } from '../../../lib/companion-ui';
import type { CompanionContext } from './context';
import { messageOf } from './pairing';
import { EMPTY_MONITORED } from './view-store';

const POLL_ALARM = 'companion-poll';
/** The badge follows the companion this often with no popup open. */
const POLL_MINUTES = 1;
/** With a popup open, the countdowns and states follow the companion closely. */
const LIVE_POLL_MS = 5000;

export interface CompanionMonitor {
  /** One poll at a time: a call during a poll shares it. */
  poll(): Promise<void>;
  /** Polls every few seconds while pages are connected, stops when none is. */
  follow(connectedPages: number): void;
}

export function installMonitoring(companion: Omit<CompanionContext, 'poll'>): CompanionMonitor {
  const { view } = companion;

  let polling: Promise<void> | null = null;
  function poll(): Promise<void> {
    polling ??= pollOnce().finally(() => (polling = null));
    return polling;
  }

  async function pollOnce(): Promise<void> {
    await view.whenReady();
    const client = await companion.client();
    if (!client) {
      view.monitored = { ...EMPTY_MONITORED };
      await showBadge();
      await view.save();
      return;
    }
    try {
      const sentAt = Date.now();
      const list = await client.mailboxes();
      const receivedAt = Date.now();
      view.monitored = {
        fetchedAt: receivedAt,
        // The companion's clock read half-way through the request.
        clockOffsetMs: Date.parse(list.serverTime) - (sentAt + receivedAt) / 2,
        mailboxes: list.mailboxes,
        error: null,
      };
      for (const mailbox of list.mailboxes) {
        const known = view.reports.get(mailbox.address)?.createdAt;
        if (mailbox.outageReportAt === null || known === mailbox.outageReportAt) continue;
        const report = await client.outageReport(mailbox.address);
        if (report) view.reports.set(mailbox.address, report);
      }
      const listed = new Set(list.mailboxes.map((m) => m.address));
      for (const address of view.reports.keys()) if (!listed.has(address)) view.reports.delete(address);
    } catch (error) {
      view.monitored = { ...view.monitored, error: messageOf(error) };
    }
    await showBadge();
    await view.save();
  }

  async function showBadge(): Promise<void> {
    const { text, title } = companionBadge(view.monitored.mailboxes);
    const unreachable = view.monitored.error !== null && view.monitored.fetchedAt !== null;
    const shown = unreachable ? `${title} (last known: the companion does not answer now)` : title;
    // No tabId: the global badge. Helpdesk tabs show their own count over it (badge-feature sets it per tab).
    await browser.action.setBadgeText({ text }).catch(() => undefined);
    await browser.action.setTitle({ title: shown }).catch(() => undefined);
  }

  let livePoll: ReturnType<typeof setInterval> | undefined;
  function follow(connected: number): void {
    if (connected > 0 && livePoll === undefined) livePoll = setInterval(() => void poll(), LIVE_POLL_MS);
    if (connected === 0 && livePoll !== undefined) {
      clearInterval(livePoll);
      livePoll = undefined;
    }
    if (connected > 0) void poll();
  }

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void poll();
  });
  void browser.alarms.get(POLL_ALARM).then((existing) => {
    if (!existing)
      void browser.alarms.create(POLL_ALARM, { periodInMinutes: POLL_MINUTES, delayInMinutes: POLL_MINUTES });
  });
  // A fresh worker shows the badge from the companion's current list, not from nothing.
  void poll();

  return { poll, follow };
}
