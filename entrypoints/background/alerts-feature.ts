/**
 * Desktop notifications when a mailbox the companion watches breaks or comes back (needs reauthorization,
 * disconnected, back), so the admin hears of it with no helpdesk tab and no popup open. One notification per
 * mailbox per change: what was announced is kept in storage.local, so a restarted worker or browser repeats
 * nothing, and each mailbox has one notification id, so a newer change replaces the older one on screen.
 * Clicking it opens the popup on that mailbox. The Options switch turns them off (changes are still followed,
 * so turning it on again does not replay old news).
 */
import browser from 'webextension-polyfill';
import type { MonitoredView } from '../../lib/companion-ui';
import {
  ALERT_NEXT_STEPS,
  alertFor,
  alertTitle,
  announcedSchema,
  ANNOUNCED_KEY,
  conditionOf,
  DESKTOP_ALERTS_KEY,
  POPUP_FOCUS_KEY,
  readDesktopAlertsSetting,
  type AlertEvent,
  type Condition,
} from '../../lib/mailbox-alerts';
import { onMonitoredFetched } from './companion/view-store';

const ID_PREFIX = 'reauth-assist-mailbox:';
const POPUP_WINDOW = { width: 440, height: 640 };

async function readAnnounced(): Promise<Record<string, Condition>> {
  const parsed = announcedSchema.safeParse((await browser.storage.local.get(ANNOUNCED_KEY))[ANNOUNCED_KEY] ?? {});
  return parsed.success ? parsed.data : {};
}

function notify(mailbox: string, event: AlertEvent, reason: string | undefined): Promise<unknown> {
  return browser.notifications
    .create(`${ID_PREFIX}${mailbox}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/alert-icon.png'),
      title: alertTitle(event, mailbox),
      message: reason ? `${reason} ${ALERT_NEXT_STEPS[event]}` : ALERT_NEXT_STEPS[event],
    })
    .catch(() => undefined);
}

async function announce(monitored: MonitoredView): Promise<void> {
  // Only a list the companion just answered with: a failed poll keeps the last one, which is old news.
  if (monitored.fetchedAt === null || monitored.error !== null) return;
  const before = await readAnnounced();
  const after: Record<string, Condition> = {};
  const news: Array<{ mailbox: string; event: AlertEvent; reason?: string }> = [];
  for (const mailbox of monitored.mailboxes) {
    const previous = before[mailbox.address] ?? 'working';
    const next = conditionOf(mailbox.status, previous);
    after[mailbox.address] = next;
    const event = alertFor(previous, next);
    if (!event) continue;
    news.push({ mailbox: mailbox.address, event, reason: event === 'needs-reauth' ? mailbox.reason : undefined });
  }
  // Written before notifying: a worker stopped in between loses a notification rather than repeating one.
  await browser.storage.local.set({ [ANNOUNCED_KEY]: after });
  if (news.length === 0) return;
  const stored = await browser.storage.local.get(DESKTOP_ALERTS_KEY);
  const { enabled } = readDesktopAlertsSetting(stored[DESKTOP_ALERTS_KEY]);
  if (!enabled) return;
  await Promise.all(news.map((n) => notify(n.mailbox, n.event, n.reason)));
}

/** The popup reads the focus once; without a window to open it in, it opens as a small window of its own. */
async function openPopupOn(mailbox: string): Promise<void> {
  await browser.storage.session.set({ [POPUP_FOCUS_KEY]: { mailbox, at: Date.now() } });
  try {
    await browser.action.openPopup();
  } catch {
    await browser.windows.create({ url: browser.runtime.getURL('/popup.html'), type: 'popup', ...POPUP_WINDOW });
  }
}

export function installDesktopAlerts(): void {
  // One at a time: two lists arriving together must not both see the old announced map.
  let queue: Promise<void> = Promise.resolve();
  onMonitoredFetched(browser.storage, (monitored) => {
    queue = queue.then(() => announce(monitored)).catch(() => undefined);
  });
  browser.notifications.onClicked.addListener((id) => {
    if (!id.startsWith(ID_PREFIX)) return;
    void browser.notifications.clear(id);
    void openPopupOn(id.slice(ID_PREFIX.length));
  });
}
