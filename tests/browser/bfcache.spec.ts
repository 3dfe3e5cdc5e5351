/// <reference types="chrome" />
/**
 * A helpdesk page restored from the back/forward cache: the worker forgot the tab's picture when the
 * restore committed, so the content script sends it again (pageshow with persisted), and the badge comes
 * back. Also: a 'rescan' request from the worker always gets the picture again, even when unchanged.
 */
import { test as base, expect, launchWithExtension } from '../support/extension';
import { badgeText, serveFixture, tabIdOf } from '../support/extension-state';

const EMAIL_PAGE = 'freshdesk/a/admin/email/index.html';

// Playwright launches Chromium with the back/forward cache off; these tests need it on.
const test = base.extend({
  context: async ({}, use) => {
    const context = await launchWithExtension([], undefined, { backForwardCache: true });
    await use(context);
    await context.close();
  },
});

test('a page restored from the back/forward cache shows its badge again', async ({ context, worker, fixtures }) => {
  const page = await context.newPage();
  // Tells, in the page itself, whether the Back navigation below was a restore from the cache.
  await page.addInitScript(() => {
    addEventListener('pageshow', (event) => {
      (window as unknown as { __restored: boolean }).__restored = event.persisted;
    });
  });
  await page.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'acme.freshdesk.com'));
  const tabId = await tabIdOf(worker, page);
  await expect.poll(() => badgeText(worker, tabId)).toBe('3');
  await page.evaluate(() => ((window as unknown as { __kept: string }).__kept = 'same document'));

  fixtures.route('/elsewhere', '<!doctype html><title>Elsewhere</title><p>Another site</p>');
  await page.goto(fixtures.url('news.example.test', '/elsewhere'));
  await expect.poll(() => badgeText(worker, tabId)).toBe('');

  // A restore fires no load event: wait for the commit only.
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __restored?: boolean }).__restored !== undefined);
  // Proof that Chromium used the cache: the same document (with its script state) came back, persisted.
  expect(await page.evaluate(() => (window as unknown as { __restored: boolean }).__restored)).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __kept?: string }).__kept)).toBe('same document');
  await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
  await expect.poll(() => badgeText(worker, tabId)).toBe('3');
});

test("the worker's rescan request always gets the picture again, even unchanged", async ({
  context,
  worker,
  fixtures,
}) => {
  await worker.evaluate(() => {
    const g = globalThis as unknown as { __reports: unknown[] };
    g.__reports = [];
    chrome.runtime.onMessage.addListener((message: { kind?: string }) => {
      if (message?.kind === 'page-report') g.__reports.push(message);
    });
  });
  const page = await context.newPage();
  await page.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'acme.freshdesk.com'));
  const count = () => worker.evaluate(() => (globalThis as unknown as { __reports: unknown[] }).__reports.length);
  await expect.poll(count).toBe(1);
  const tabId = await tabIdOf(worker, page);
  expect(await worker.evaluate((id) => chrome.tabs.sendMessage(id, { kind: 'rescan' }), tabId)).toEqual({
    ok: true,
    data: null,
  });
  await expect.poll(count).toBe(2);
  const [first, second] = await worker.evaluate(() => (globalThis as unknown as { __reports: unknown[] }).__reports);
  expect(second).toEqual(first);
});
