/// <reference types="chrome" />
/**
 * Desktop notifications from the built extension in Chromium, with the real companion (a child process)
 * watching a mailbox on the real stack (Dovecot, SMTP, oidc-provider): the mailbox goes disconnected
 * (Dovecot stopped), comes back, then needs reauthorization (its grants revoked). Each change makes one
 * notification (chrome.notifications.getAll in the worker), never repeated by later polls; a click opens
 * the popup on that mailbox; the Options switch turns them off.
 *
 * A headless browser shows no notification on screen to click: the click is the browser's own
 * notifications.onClicked event dispatched in the worker with the notification's id, which runs the
 * extension's real listener; the popup it opens is found with runtime.getContexts and read through
 * extension.getViews from the options page. What each notification says is recorded by wrapping the worker's
 * notifications.create (the real one still runs).
 */
import { test, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { handOverTokens, type ChildCompanion } from '../companion/companion-support';
import { ACCOUNTS, type MailStack } from '../stack';
import { startRealParts, type RealParts } from '../support/assist-e2e';
import { openOptions, pairCompanion } from '../support/options-page';

test.describe.configure({ mode: 'serial' });

let parts: RealParts;
let stack: MailStack;
let companion: ChildCompanion;
let context: BrowserContext;
let worker: Worker;
let options: Page;

const address = ACCOUNTS.support.email;
const notificationId = `reauth-assist-mailbox:${address}`;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // Time scale 0.01: a health check every 0.6 s and the 12-minute retry window in about 7 s.
  parts = await startRealParts({ companionArgs: ['--time-scale', '0.01', '--check-interval', '60'] });
  ({ stack, companion, context, worker } = parts);
  options = await openOptions(context);
  await pairCompanion(options, companion.url, companion.secret!);
  // Records what each notification says (getAll gives only ids), then creates it as the browser would.
  await worker.evaluate(() => {
    const api = ((globalThis as { browser?: typeof chrome }).browser ?? chrome).notifications;
    const create = api.create.bind(api) as (...args: unknown[]) => Promise<string>;
    const said: Array<{ title: string; message: string }> = [];
    (globalThis as { notificationsSaid?: typeof said }).notificationsSaid = said;
    (api as { create: unknown }).create = (id: string, options: { title: string; message: string }) => {
      said.push({ title: options.title, message: options.message });
      return create(id, options);
    };
  });
});

type Said = Array<{ title: string; message: string }>;
async function notificationsSaid(): Promise<Said> {
  return worker.evaluate(() => (globalThis as { notificationsSaid?: Said }).notificationsSaid ?? []);
}

test.afterAll(async () => {
  await parts?.stop();
});

/** The worker polls the companion once a minute with no popup open; the test asks it to poll now. */
async function pollCompanion(): Promise<void> {
  await options.evaluate(() => chrome.runtime.sendMessage({ kind: 'companion-refresh' }));
}

async function notifications(): Promise<string[]> {
  return Object.keys(await worker.evaluate(() => chrome.notifications.getAll()));
}

/** Polls until the worker's list shows the mailbox in `status`. */
async function waitForStatus(status: string, timeout = 45_000): Promise<void> {
  await expect
    .poll(async () => {
      await pollCompanion();
      return options.evaluate(async (mailbox) => {
        const stored = (await chrome.storage.session.get('companionView')).companionView as
          | { monitored: { mailboxes: Array<{ address: string; status: string }> } }
          | undefined;
        return stored?.monitored.mailboxes.find((m) => m.address === mailbox)?.status;
      }, address);
    }, { timeout, intervals: [300] })
    .toBe(status);
}

/** More polls pass and no notification comes back once cleared: one per change. */
async function expectNoRepeat(): Promise<void> {
  await worker.evaluate((id) => chrome.notifications.clear(id), notificationId);
  for (let i = 0; i < 5; i++) {
    await pollCompanion();
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(await notifications()).toEqual([]);
}

/** The notification's click (see the header), then the popup it opened, read from the options page. */
async function clickAndReadPopup(): Promise<{ focused: string | undefined; status: string | undefined }> {
  type Dispatchable = { dispatch(id: string): void };
  await worker.evaluate((id) => {
    (chrome.notifications.onClicked as unknown as Dispatchable).dispatch(id);
  }, notificationId);
  await expect
    .poll(() =>
      worker.evaluate(async () => {
        const popups = await chrome.runtime.getContexts({ contextTypes: ['POPUP' as chrome.runtime.ContextType] });
        return popups.length;
      }),
    )
    .toBe(1);
  const read = () =>
    options.evaluate(() => {
      const popup = chrome.extension.getViews({ type: 'popup' })[0];
      const item = popup?.document.querySelector<HTMLElement>('[data-monitored-address][data-focused]');
      return { focused: item?.dataset.monitoredAddress, status: item?.dataset.status };
    });
  await expect.poll(async () => (await read()).focused).toBe(address);
  return read();
}

test('one notification per change (disconnected, back, needs reauth); a click opens the popup on it', async () => {
  test.setTimeout(240_000);
  await expect(options.locator('input[name="desktop-alerts"]')).toBeChecked();
  stack.idp.setAccessTokenTtl(address, 6);
  await handOverTokens(stack, companion, address);
  await waitForStatus('connected');
  expect(await notifications(), 'a mailbox that starts working is no news').toEqual([]);

  await stack.imap.stopServer();
  await waitForStatus('disconnected');
  await expect.poll(notifications).toEqual([notificationId]);
  const opened = await clickAndReadPopup();
  expect(opened.status).toBe('disconnected');
  expect(await notifications(), 'the click closes the notification').toEqual([]);
  await expectNoRepeat();

  await stack.imap.startServer();
  await waitForStatus('connected');
  await expect.poll(notifications).toEqual([notificationId]);
  await expectNoRepeat();

  await stack.idp.revokeAll(address);
  await waitForStatus('needs-reauth');
  await expect.poll(notifications).toEqual([notificationId]);
  await expectNoRepeat();

  const said = await notificationsSaid();
  expect(said.map((n) => n.title)).toEqual([
    `${address} is disconnected: every retry failed`,
    `${address} is back: mail flows again`,
    `${address} needs reauthorization`,
  ]);
  expect(said[2]!.message).toMatch(/Sign in to the mailbox again from the Reauth Assist popup/);
});

test('the Options switch turns them off, and turning it on again replays nothing', async () => {
  test.setTimeout(180_000);
  await options.locator('input[name="desktop-alerts"]').uncheck();
  const saved = () => options.evaluate(async () => (await chrome.storage.local.get('desktopAlerts')).desktopAlerts);
  await expect.poll(saved).toEqual({ enabled: false });
  // A new sign-in brings the mailbox back: a change, but the switch is off.
  stack.idp.setAccessTokenTtl(address, null);
  await handOverTokens(stack, companion, address);
  await waitForStatus('connected');
  await new Promise((r) => setTimeout(r, 1000));
  expect(await notifications()).toEqual([]);
  expect(await notificationsSaid(), 'nothing said while switched off').toHaveLength(3);

  await options.reload();
  await expect(options.locator('input[name="desktop-alerts"]')).not.toBeChecked();
  await options.locator('input[name="desktop-alerts"]').check();
  await expectNoRepeat();
});
