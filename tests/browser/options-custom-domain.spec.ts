/// <reference types="chrome" />
/**
 * A helpdesk on its own domain, added in the options page. Chromium asks for the optional host permission in
 * a bubble Playwright cannot click; in a test profile the extensions page's own API
 * (chrome.developerPrivate.addHostPermission, what its "Site access" control calls) grants the site first,
 * after which the options page's permissions.request resolves true without a prompt. Everything after that
 * (request, registration at runtime, detection, badge, removal) is the product's own code path.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { test, expect, EXTENSION_ID } from '../support/extension';
import { badgeText, restartWorker, serveFixture, tabIdOf } from '../support/extension-state';
import type { FixtureServer } from '../support/fixture-server';

const ORIGIN = 'https://support.acme-helpdesk.test';
const PATTERN = `${ORIGIN}/*`;
const SCRIPT_ID = `reauth-custom-${ORIGIN}`;
const EMAIL_PAGE = 'freshdesk/a/admin/email/index.html';

async function siteAccess(
  context: BrowserContext,
  action: 'addHostPermission' | 'removeHostPermission',
): Promise<void> {
  const page = await context.newPage();
  await page.goto('chrome://extensions/');
  await page.evaluate(
    ([id, pattern, method]) =>
      (chrome as unknown as { developerPrivate: Record<string, (id: string, host: string) => Promise<void>> })
        .developerPrivate[method]!(id, pattern),
    [EXTENSION_ID, PATTERN, action] as const,
  );
  await page.close();
}

async function openOptions(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await expect(page.getByRole('heading', { name: 'Helpdesk addresses' })).toBeVisible();
  return page;
}

/** The options page's own section for helpdesk addresses (other features have sections there too). */
const addresses = (options: Page) => options.getByRole('region', { name: 'Helpdesk addresses' });

async function addOrigin(options: Page, origin: string): Promise<void> {
  await addresses(options).getByRole('textbox', { name: 'Helpdesk address' }).fill(origin);
  await addresses(options).getByRole('button', { name: 'Add', exact: true }).click();
}

/** Site access granted, the options page open, ORIGIN added and active. */
async function optionsWithActiveOrigin(context: BrowserContext): Promise<Page> {
  await siteAccess(context, 'addHostPermission');
  const options = await openOptions(context);
  await addOrigin(options, ORIGIN);
  await expect(addresses(options).getByText('Active')).toBeVisible();
  return options;
}

const registeredIds = (worker: Worker) =>
  worker.evaluate(async () =>
    (await chrome.scripting.getRegisteredContentScripts()).map((s) => ({ id: s.id, matches: s.matches })),
  );
const hasAccess = (worker: Worker) => worker.evaluate((origins) => chrome.permissions.contains({ origins }), [PATTERN]);

/** Opens the custom-domain page and, after it, a Freshdesk page as a positive control: the extension is live. */
async function openCustomAndControl(context: BrowserContext, fixtures: FixtureServer): Promise<Page> {
  const custom = await context.newPage();
  await custom.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'support.acme-helpdesk.test'));
  const control = await context.newPage();
  await control.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'acme.freshdesk.com'));
  await expect(control.locator('[data-reauth-state]')).toHaveCount(5);
  return custom;
}

test('without the site added and allowed, the content script does not run on a custom domain', async ({
  context,
  worker,
  fixtures,
}) => {
  const custom = await openCustomAndControl(context, fixtures);
  await expect(custom.locator('h1')).toHaveText('Email');
  await expect(custom.locator('[data-reauth-state]')).toHaveCount(0);
  await expect(custom.locator('[data-reauth-assist]')).toHaveCount(0);
  expect(await badgeText(worker, await tabIdOf(worker, custom))).toBe('');
  expect(await registeredIds(worker)).toEqual([]);
});

test('adding a custom domain in options registers the content script there: marks, badge and popup follow', async ({
  context,
  worker,
  fixtures,
}) => {
  await siteAccess(context, 'addHostPermission');
  const options = await openOptions(context);
  await expect(addresses(options).getByText('No addresses added.')).toBeVisible();
  await addOrigin(options, `${ORIGIN}/`);
  const entry = addresses(options).getByRole('list', { name: 'Added helpdesk addresses' }).getByRole('listitem');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(ORIGIN);
  await expect(entry).toContainText('Active');
  await expect(addresses(options).getByRole('status')).toHaveText(
    `Added ${ORIGIN}. Reload its open tabs to start checking them.`,
  );
  await expect(addresses(options).getByRole('textbox', { name: 'Helpdesk address' })).toHaveValue('');
  expect(await registeredIds(worker)).toEqual([{ id: SCRIPT_ID, matches: [PATTERN] }]);

  const custom = await context.newPage();
  await custom.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'support.acme-helpdesk.test'));
  await expect(custom.locator('#row-help')).toHaveAttribute('data-reauth-state', 'needs-reauth');
  await expect(custom.locator('[data-reauth-state]')).toHaveCount(5);
  const tabId = await tabIdOf(worker, custom);
  await expect.poll(() => badgeText(worker, tabId)).toBe('3');

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await expect(popup.locator('section.tab')).toContainText(`support.acme-helpdesk.test:${fixtures.port}`);
  await expect(popup.getByTestId('summary')).toHaveText('3 of 5 support emails need reauthorization');
});

test('removing the domain unregisters the script and gives the site access back', async ({
  context,
  worker,
  fixtures,
}) => {
  const options = await optionsWithActiveOrigin(context);

  await addresses(options)
    .getByRole('button', { name: `Remove ${ORIGIN}` })
    .click();
  await expect(addresses(options).getByText('No addresses added.')).toBeVisible();
  await expect(addresses(options).getByRole('status')).toHaveText(
    `Removed ${ORIGIN}. Reauth Assist no longer runs there.`,
  );
  await expect(addresses(options).getByRole('textbox', { name: 'Helpdesk address' })).toBeFocused();
  expect(await registeredIds(worker)).toEqual([]);
  expect(await hasAccess(worker)).toBe(false);

  const custom = await openCustomAndControl(context, fixtures);
  await expect(custom.locator('[data-reauth-state]')).toHaveCount(0);
});

test('an address that is not an https origin gets a clear error and changes nothing', async ({ context, worker }) => {
  const options = await openOptions(context);
  const input = addresses(options).getByRole('textbox', { name: 'Helpdesk address' });
  const cases: Array<[string, string]> = [
    ['http://support.acme.com', 'Use an https:// address (plain http:// is accepted only for localhost).'],
    ['support.acme.com', 'Start with https:// (for example https://support.acme.com).'],
    ['https://support.acme.com/a/admin/email', 'Enter only the origin, without a path: https://support.acme.com'],
    ['https://acme.freshdesk.com', 'acme.freshdesk.com is a Freshdesk domain: it is already covered, nothing to add.'],
  ];
  for (const [typed, message] of cases) {
    await input.fill(typed);
    await addresses(options).getByRole('button', { name: 'Add', exact: true }).click();
    await expect(addresses(options).getByRole('alert')).toHaveText(message);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toBeFocused();
  }
  await expect(addresses(options).getByText('No addresses added.')).toBeVisible();
  expect(await worker.evaluate(() => chrome.storage.local.get('custom-origins'))).toEqual({});
  expect(await registeredIds(worker)).toEqual([]);

  // The worker checks too: a crafted request from an extension page is refused the same way.
  expect(
    await options.evaluate(() => chrome.runtime.sendMessage({ kind: 'add-custom-origin', origin: 'http://evil.test' })),
  ).toEqual({
    ok: false,
    error: 'Use an https:// address (plain http:// is accepted only for localhost).',
  });
  // A valid origin the browser has not allowed is refused as well.
  expect(
    await options.evaluate((origin) => chrome.runtime.sendMessage({ kind: 'add-custom-origin', origin }), ORIGIN),
  ).toMatchObject({
    ok: false,
    error: expect.stringContaining('has not allowed Reauth Assist on https://support.acme-helpdesk.test'),
  });
  expect(await registeredIds(worker)).toEqual([]);
});

test('revoking the site in the browser unregisters the script; the options page offers to allow it again', async ({
  context,
  worker,
  fixtures,
}) => {
  const options = await optionsWithActiveOrigin(context);

  await siteAccess(context, 'removeHostPermission');
  await expect.poll(() => registeredIds(worker)).toEqual([]);
  await options.reload();
  const entry = addresses(options).getByRole('listitem').filter({ hasText: ORIGIN });
  await expect(entry).toContainText('Access not allowed');
  await expect(entry.getByRole('button', { name: 'Allow access' })).toBeVisible();
  const custom = await openCustomAndControl(context, fixtures);
  await expect(custom.locator('[data-reauth-state]')).toHaveCount(0);

  // Allowed again in the extensions page: the worker sees the grant and registers the script again.
  await siteAccess(context, 'addHostPermission');
  await expect.poll(() => registeredIds(worker)).toEqual([{ id: SCRIPT_ID, matches: [PATTERN] }]);
});

test('on start the worker reconciles registrations with the origins and grants it has', async ({ context, worker }) => {
  await optionsWithActiveOrigin(context);
  // The registration goes missing behind the worker's back (as after a browser that dropped it) ...
  await worker.evaluate((id) => chrome.scripting.unregisterContentScripts({ ids: [id] }), SCRIPT_ID);
  expect(await registeredIds(worker)).toEqual([]);

  // ... and the next worker start puts it back.
  await restartWorker(context, `chrome-extension://${EXTENSION_ID}/options.html`);
  await expect.poll(() => registeredIds(worker)).toEqual([{ id: SCRIPT_ID, matches: [PATTERN] }]);
});
