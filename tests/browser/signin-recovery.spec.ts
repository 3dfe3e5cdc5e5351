/// <reference types="chrome" />
/**
 * Every way a Microsoft sign-in can stop short (an error at the authorize page, the window closed, the worker
 * stopped mid-flow, a refused token request) leaves nothing of MSAL's interaction behind in the offscreen
 * document, and the very next sign-in in the same browser succeeds. Before, each of these left MSAL's
 * interaction status, request parameters and PKCE verifier in sessionStorage, and every later sign-in was
 * refused with interaction_in_progress until the browser restarted.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import type { MicrosoftErrorPreset } from '../stack';
import { ACCOUNTS } from '../stack';
import { openPopup } from '../support/extension';
import { expect, heldTokens, panel, pickAccount, startSignIn, test } from './signin-support';

/** How many MSAL keys the offscreen document still holds (asking clears them, so this is asked once per check). */
async function leftInOffscreen(worker: Worker): Promise<number> {
  return worker.evaluate(async () => {
    const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
    if (contexts.length === 0) return 0;
    const reply = (await chrome.runtime.sendMessage({ target: 'offscreen', kind: 'msal-abort' })) as { cleared?: number };
    return reply.cleared ?? -1;
  });
}

async function signsInAfterwards(context: BrowserContext, popup: Page, worker: Worker): Promise<void> {
  const box = panel(popup, ACCOUNTS.support.email);
  const next = context.waitForEvent('page', { predicate: (p) => !p.url().startsWith('chrome-extension://') });
  await box.locator('[data-signin="retry"], [data-signin="start"]').first().click();
  const picker = await next;
  await pickAccount(picker, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'done');
  expect(Object.keys(await heldTokens(worker))).toEqual([ACCOUNTS.support.email]);
}

const AT_THE_AUTHORIZE_PAGE: Array<[MicrosoftErrorPreset, string, string]> = [
  ['consent_required', 'consent-required', 'AADSTS65001'],
  ['app_not_found', 'app-not-in-tenant', 'AADSTS700016'],
  ['mfa_required', 'mfa-required', 'AADSTS50076'],
  ['conditional_access', 'conditional-access-blocked', 'AADSTS53003'],
];

for (const [preset, errorId, code] of AT_THE_AUTHORIZE_PAGE) {
  test(`${code} at the authorize page: explained, nothing left behind, the next sign-in succeeds`, async ({ context, popup, idp, worker }) => {
    idp.setAuthorizeError({ ...(await presetOnce(idp, preset)) });
    const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
    await pickAccount(picker, ACCOUNTS.support.email);
    const error = panel(popup, ACCOUNTS.support.email).locator(`[data-error="${errorId}"]`);
    await expect(error).toBeVisible();
    await expect(error).toContainText(code);
    expect(await leftInOffscreen(worker)).toBe(0);
    await signsInAfterwards(context, popup, worker);
  });
}

/** The preset's error, firing once (the retry must meet a provider that lets it through). */
async function presetOnce(idp: { setAuthorizeError(e: MicrosoftErrorPreset): void }, preset: MicrosoftErrorPreset) {
  const { microsoftErrorPreset } = await import('../stack/idp/microsoft');
  void idp;
  return { ...microsoftErrorPreset(preset), once: true };
}

test('the sign-in window closed: nothing left behind, the next sign-in succeeds', async ({ context, popup, worker }) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await picker.close();
  await expect(panel(popup, ACCOUNTS.support.email).locator('[data-error="user-cancelled"]')).toBeVisible();
  expect(await leftInOffscreen(worker)).toBe(0);
  await signsInAfterwards(context, popup, worker);
});

test('the worker stopped mid-flow: the flow says so, nothing left behind, the next sign-in succeeds', async ({ context, popup }) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  const cdp = await context.newCDPSession(popup);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await picker.close().catch(() => undefined);
  // The worker starts again for the reopened popup and finds the flow cut off.
  const reopened = await openPopup(context);
  const box = panel(reopened, ACCOUNTS.support.email);
  await expect(box.locator('[data-error="interrupted"]')).toBeVisible();
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await expect.poll(() => leftInOffscreen(worker)).toBe(0);
  await signsInAfterwards(context, reopened, worker);
});

test('a token request refused with AADSTS65001 keeps its number, and the next sign-in succeeds', async ({ context, popup, idp, worker }) => {
  idp.setTokenError({
    error: 'invalid_grant',
    error_description: 'AADSTS65001: The user or administrator has not consented to use the application. Trace ID: 0',
    error_codes: [65001],
    suberror: 'consent_required',
  });
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await pickAccount(picker, ACCOUNTS.support.email);
  const error = panel(popup, ACCOUNTS.support.email).locator('[data-error="consent-required"]');
  await expect(error).toBeVisible();
  await expect(error).toContainText('AADSTS65001');
  expect(await leftInOffscreen(worker)).toBe(0);
  await signsInAfterwards(context, popup, worker);
});

test('an unknown Client ID: the provider refused the app, the Redirect URL to register is shown, the network last', async ({
  context,
  popup,
  worker,
}) => {
  await worker.evaluate(async () =>
    chrome.storage.local.set({ signinSettings: { microsoft: { clientId: '00000000-dead-beef-0000-000000000000' }, google: {}, generic: [] } }),
  );
  const box = panel(popup, ACCOUNTS.support.email);
  const window = context.waitForEvent('page', { predicate: (p) => !p.url().startsWith('chrome-extension://') }).catch(() => null);
  await box.locator('[data-signin="start"]').click();
  // Chromium either fails the load at once (an HTTP error page) or leaves the provider's page for the admin to close.
  const opened = await Promise.race([window, expect(box).toHaveAttribute('data-signin-step', 'error').then(() => null)]);
  if (opened) await opened.close().catch(() => undefined);
  const error = box.locator('[data-error="app-refused"]');
  await expect(error).toContainText('The provider refused the app');
  await expect(error.locator('[data-error-redirect-uri]')).toHaveAttribute(
    'data-error-redirect-uri',
    'https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/',
  );
  expect(await leftInOffscreen(worker)).toBe(0);
});
