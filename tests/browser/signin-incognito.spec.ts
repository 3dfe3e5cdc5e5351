/// <reference types="chrome" />
/**
 * The guided incognito sign-out (the seeds' fix for "signed in to the wrong Microsoft account"), in the real
 * browser: first as the extension is installed (not allowed in incognito: the guide says how to allow it and
 * gives the shortcut and the URL), then allowed in incognito through chrome://extensions, where the guide
 * opens the private window itself and Microsoft's sign-out page in it.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { MICROSOFT_LOGOUT_URL } from '../../lib/providers';
import { ACCOUNTS } from '../stack';
import { EXTENSION_ID, openPopup } from '../support/extension';
import { configureClients, expect, openHelpdesk, panel, pickAccount, startSignIn, test } from './signin-support';

async function wrongAccountThenGuide(context: BrowserContext, popup: Page) {
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await pickAccount(picker, ACCOUNTS.wrongUser.email);
  const box = panel(popup, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'wrong-account');
  await box.locator('[data-signin="incognito-guide"]').click();
  const guide = box.locator('.incognito-guide');
  await expect(guide).toBeVisible();
  return guide;
}

function step(guide: ReturnType<Page['locator']>, id: string) {
  return guide.locator(`[data-guide-step="${id}"]`);
}

test('not allowed in incognito: how to allow it, the shortcut and the URL; steps checked off in order, kept across popups', async ({
  context,
  popup,
}) => {
  const guide = await wrongAccountThenGuide(context, popup);
  const helpdeskUrl = context.pages().find((p) => p.url().includes('acme.freshdesk.com'))!.url();

  await expect(step(guide, 'open-private-window')).toHaveAttribute('data-status', 'current');
  await expect(guide.locator('[data-guide="shortcut"]')).toHaveText('Ctrl+Shift+N');
  await expect(step(guide, 'open-private-window')).toContainText('chrome://extensions > Reauth Assist > Details > "Allow in Incognito"');
  await expect(step(guide, 'open-private-window').locator('[data-copy]')).toHaveAttribute('data-copy', helpdeskUrl);
  await expect(guide.locator('[data-guide="open-window"]')).toHaveCount(0);
  // a later step cannot be checked before the current one
  await expect(step(guide, 'press-reauthorize').locator('input[type="checkbox"]')).toBeDisabled();

  await step(guide, 'open-private-window').locator('input[type="checkbox"]').check();
  await expect(step(guide, 'sign-out-microsoft')).toHaveAttribute('data-status', 'current');
  await expect(step(guide, 'sign-out-microsoft').locator('[data-copy]')).toHaveAttribute('data-copy', MICROSOFT_LOGOUT_URL);

  // the popup closes when the private window takes focus: the guide is where the admin left it
  await popup.close();
  const again = await openPopup(context);
  const reopened = panel(again, ACCOUNTS.support.email).locator('.incognito-guide');
  await expect(step(reopened, 'open-private-window')).toHaveAttribute('data-status', 'done');
  for (const id of ['sign-out-microsoft', 'sign-in-helpdesk', 'press-reauthorize', 'confirm-banner-gone']) {
    await expect(step(reopened, id)).toHaveAttribute('data-status', 'current');
    await step(reopened, id).locator('input[type="checkbox"]').check();
  }
  await expect(reopened.locator('[data-guide="finished"]')).toBeVisible();
  await reopened.locator('[data-guide="close"]').click();
  await expect(reopened).toHaveCount(0);
});

async function allowInIncognito(context: BrowserContext): Promise<Worker> {
  const extensions = await context.newPage();
  await extensions.goto('chrome://extensions/');
  const reloaded = context.waitForEvent('serviceworker');
  await extensions.evaluate(async (id) => {
    const dev = (chrome as unknown as { developerPrivate: Record<string, (arg: unknown) => Promise<void>> }).developerPrivate;
    await dev.updateProfileConfiguration!({ inDeveloperMode: true });
    await dev.updateExtensionConfiguration!({ extensionId: id, incognitoAccess: true });
  }, EXTENSION_ID);
  const worker = await reloaded;
  await extensions.close();
  return worker;
}

test('allowed in incognito: the guide opens the private window on the email settings and Microsoft sign-out in it', async ({
  context,
  fixtures,
  idp,
}) => {
  const worker = await allowInIncognito(context);
  expect(await worker.evaluate(() => chrome.extension.isAllowedIncognitoAccess())).toBe(true);
  idp.clearAuthorizeRequests();
  await configureClients(worker);
  const helpdesk = await openHelpdesk(context, fixtures);
  const popup = await openPopup(context);
  const guide = await wrongAccountThenGuide(context, popup);

  await guide.locator('[data-guide="open-window"]').click();
  await expect(step(guide, 'open-private-window')).toHaveAttribute('data-status', 'done');
  const privateTabs = async () =>
    worker.evaluate(async () => {
      const windows = await chrome.windows.getAll({ populate: true });
      return windows.filter((w) => w.incognito).flatMap((w) => (w.tabs ?? []).map((t) => t.pendingUrl ?? t.url ?? ''));
    });
  await expect.poll(privateTabs).toContain(helpdesk.url());

  const before = idp.logoutRequests().length;
  await guide.locator('[data-guide="open-sign-out"]').click();
  await expect.poll(() => idp.logoutRequests().length).toBe(before + 1);
  await expect.poll(privateTabs).toContain(MICROSOFT_LOGOUT_URL);
  await step(guide, 'sign-out-microsoft').locator('input[type="checkbox"]').check();
  await expect(step(guide, 'sign-in-helpdesk')).toHaveAttribute('data-status', 'current');
});

test('a successful sign-in after the guide closes the guide: nothing is left saying "Signed in as" step 1', async ({ context, popup }) => {
  const guide = await wrongAccountThenGuide(context, popup);
  await expect(step(guide, 'open-private-window')).toHaveAttribute('data-status', 'current');
  const box = panel(popup, ACCOUNTS.support.email);
  const next = context.waitForEvent('page', { predicate: (p) => !p.url().startsWith('chrome-extension://') });
  await box.locator('[data-signin="retry-picker"]').click();
  await pickAccount(await next, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'done');
  await expect(box.locator('.incognito-guide')).toHaveCount(0);
  const reopened = await openPopup(context);
  await expect(panel(reopened, ACCOUNTS.support.email)).toHaveAttribute('data-signin-step', 'done');
  await expect(panel(reopened, ACCOUNTS.support.email).locator('.incognito-guide')).toHaveCount(0);
});
