/// <reference types="chrome" />
/**
 * The toolbar popup with the built extension in Debian Chromium: it lists every open helpdesk tab with the
 * mailboxes the content script found, updates live, reveals a mailbox in its tab, keeps a per-mailbox
 * history, and survives the worker being stopped. The popup is opened as a tab (Playwright cannot click the
 * toolbar); it lists all helpdesk tabs anyway.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, openPopup, EXTENSION_ID } from '../support/extension';
import { restartWorker, serveFixture, tabIdOf } from '../support/extension-state';
import type { FixtureServer } from '../support/fixture-server';

const EMAIL_PAGE = 'freshdesk/a/admin/email/index.html';

async function openHelpdesk(
  context: BrowserContext,
  fixtures: FixtureServer,
  host = 'acme.freshdesk.com',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', host));
  await expect(page.locator('[data-reauth-state]')).toHaveCount(5);
  return page;
}

/** Make a row's status read as connected, as the helpdesk does once the mailbox is reauthorized. */
async function markFixed(page: Page, rowId: string): Promise<void> {
  await page.evaluate((id) => {
    const status = document.querySelector(`#${id} .status-error`)!;
    status.className = 'status-ok';
    status.textContent = 'Active';
    document.querySelector(`#${id} .reauth-link`)?.remove();
  }, rowId);
}

test('empty state tells the admin where to go', async ({ context }) => {
  const popup = await openPopup(context);
  await expect(popup.getByRole('heading', { name: 'No helpdesk email settings open' })).toBeVisible();
  await expect(popup.getByText("Open your helpdesk's Admin > Channels > Email page")).toBeVisible();
  await expect(popup.getByText('No mailbox has needed reauthorization yet.')).toBeVisible();
});

test(
  'lists the helpdesk tab: affected mailboxes first with scenario, primary flag and status words, then the ' +
    'connected count',
  async ({ context, fixtures }) => {
    await openHelpdesk(context, fixtures);
    const popup = await openPopup(context);
    const tab = popup.getByRole('region', { name: /Email \| Admin \| Acme Support/ });
    await expect(tab.getByRole('heading')).toContainText(`acme.freshdesk.com:${fixtures.port}`);
    await expect(tab.getByTestId('summary')).toHaveText('3 of 5 support emails need reauthorization');

    const affected = tab.getByRole('list', { name: /Needs reauthorization/ }).locator(':scope > li');
    await expect(affected).toHaveCount(3);
    const billing = affected.filter({ hasText: 'billing@acme.com' });
    await expect(billing).toContainText('Scenario 1: Microsoft 365 still on Basic authentication');
    await expect(billing).toContainText('Helpdesk says: “Reauthorization required”');
    await expect(affected.filter({ hasText: 'sales@acme.com' })).toContainText(
      'Scenario 2: Password expired or changed',
    );
    const help = affected.filter({ hasText: 'help@acme.com' });
    await expect(help).toContainText('Scenario 3: Microsoft 365 OAuth sign-in expired');
    await expect(help).toContainText('Primary');
    await expect(help).toContainText('Make this primary address non-primary');
    await expect(help).toContainText('Your Microsoft Office 365 credentials have expired. Please sign in again');
    await expect(billing).toContainText(/Needs reauthorization since \w+/);

    await expect(tab.getByTestId('connected-count')).toHaveText('2 connected');
    await tab.getByTestId('connected-count').click();
    await expect(tab.locator('.connected li')).toHaveText(['support@acme.com', 'team@acme.com']);
  },
);

test('updates live when a mailbox is fixed, and history records when it was seen fixed', async ({
  context,
  fixtures,
}) => {
  const page = await openHelpdesk(context, fixtures);
  const popup = await openPopup(context);
  const summary = popup.getByTestId('summary');
  await expect(summary).toHaveText('3 of 5 support emails need reauthorization');
  const history = popup.getByRole('region', { name: 'History' });
  const salesHistory = history.locator('li', { hasText: 'sales@acme.com' });
  await expect(salesHistory).toContainText('Password expired or changed');
  await expect(salesHistory.locator('dd').nth(2)).toHaveText('Not yet');
  await expect(history.locator('li', { hasText: 'support@acme.com' })).toHaveCount(0);

  await markFixed(page, 'row-sales');
  await expect(summary).toHaveText('2 of 5 support emails need reauthorization');
  await expect(popup.getByTestId('connected-count')).toHaveText('3 connected');
  await expect(salesHistory.locator('dd').nth(2)).not.toHaveText('Not yet');
  await expect(salesHistory.locator('dd').nth(2)).toHaveText(/\d/);
  // the episode's first-seen date and scenario stay
  await expect(salesHistory.locator('dd').nth(0)).toHaveText(/\d/);
  await expect(salesHistory).toContainText('Password expired or changed');
});

test('lists every open helpdesk tab and drops a tab when it closes or leaves the helpdesk', async ({
  context,
  fixtures,
}) => {
  const first = await openHelpdesk(context, fixtures, 'acme.freshdesk.com');
  const second = await openHelpdesk(context, fixtures, 'globex.freshdesk.com');
  const popup = await openPopup(context);
  const sections = popup.locator('section.tab');
  await expect(sections).toHaveCount(2);
  await expect(sections.nth(0)).toContainText('acme.freshdesk.com');
  await expect(sections.nth(1)).toContainText('globex.freshdesk.com');

  fixtures.route('/elsewhere', '<title>Elsewhere</title><p>not a helpdesk</p>');
  await second.goto(fixtures.url('example.test', '/elsewhere'));
  await expect(sections).toHaveCount(1);
  await expect(sections.nth(0)).toContainText('acme.freshdesk.com');

  await first.close();
  await expect(popup.getByRole('heading', { name: 'No helpdesk email settings open' })).toBeVisible();
});

test(
  'a new document on the same helpdesk (the customer ' + 'portal) clears the tab; History API navigation keeps it',
  async ({ context, fixtures }) => {
    const page = await openHelpdesk(context, fixtures);
    const popup = await openPopup(context);
    await expect(popup.locator('section.tab')).toHaveCount(1);
    // An agent-app route change without a new document: the page and its picture stay.
    await page.evaluate(() => history.pushState({}, '', '/a/admin/email?filter=all'));
    await page.evaluate(() => (document.title = 'Email settings'));
    await expect(popup.locator('section.tab h2')).toContainText('Email settings');
    await expect(popup.getByTestId('summary')).toHaveText('3 of 5 support emails need reauthorization');

    fixtures.route('/support/home', '<title>Acme Help Center</title><p>Please reauthorize your Email settings</p>');
    await page.goto(fixtures.url('acme.freshdesk.com', '/support/home'));
    await expect(popup.getByRole('heading', { name: 'No helpdesk email settings open' })).toBeVisible();
  },
);

test('clicking an address brings its helpdesk tab to the front and reveals the row', async ({
  context,
  worker,
  fixtures,
}) => {
  const page = await openHelpdesk(context, fixtures);
  const helpdeskTab = await tabIdOf(worker, page);
  const popup = await openPopup(context);
  const activeTab = () =>
    worker.evaluate(async () => (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id);
  await expect.poll(activeTab).not.toBe(helpdeskTab);

  await popup.getByRole('button', { name: 'help@acme.com' }).click();
  await expect(page.locator('#row-help')).toHaveAttribute('data-reauth-flash', 'true');
  await expect.poll(activeTab).toBe(helpdeskTab);
  await expect(popup.locator('[role=alert]')).toHaveCount(0);
});

test(
  'the worker refuses a popup request for a mailbox or ' + 'tab it does not know, and a page report from the popup',
  async ({ context, worker, fixtures }) => {
    const page = await openHelpdesk(context, fixtures);
    const helpdeskTab = await tabIdOf(worker, page);
    const popup = await openPopup(context);
    await expect(popup.getByTestId('summary')).toHaveText('3 of 5 support emails need reauthorization');
    const ask = (message: unknown) => popup.evaluate((m) => chrome.runtime.sendMessage(m), message);

    expect(await ask({ kind: 'reveal-mailbox', tabId: helpdeskTab, address: 'nobody@acme.com' })).toEqual({
      ok: false,
      error: 'nobody@acme.com is no longer listed in that tab. Reload the helpdesk page.',
    });
    expect(await ask({ kind: 'reveal-mailbox', tabId: 999999, address: 'help@acme.com' })).toMatchObject({
      ok: false,
      error: /tab is closed/,
    });
    expect(await ask({ kind: 'reveal-mailbox', tabId: -1, address: 'help@acme.com' })).toMatchObject({
      ok: false,
      error: /Rejected "reveal-mailbox": tabId/,
    });
    expect(
      await ask({ kind: 'page-report', helpdesk: 'freshdesk', url: page.url(), bannerPresent: false, mailboxes: [] }),
    ).toMatchObject({ ok: false, error: /only the content script in a helpdesk tab may send it/ });
    expect(await ask({ kind: 'get-state', extra: 1 })).toMatchObject({ ok: false, error: /Rejected "get-state"/ });

    const state = (await ask({ kind: 'get-state' })) as { ok: true; data: { tabs: Array<{ mailboxes: unknown[] }> } };
    expect(state.data.tabs).toHaveLength(1);
    expect(state.data.tabs[0]!.mailboxes).toHaveLength(5);
  },
);

test('the popup keeps its tabs and history after the worker is stopped and started again', async ({
  context,
  worker,
  fixtures,
}) => {
  await openHelpdesk(context, fixtures);
  await worker.evaluate(() => ((globalThis as { beforeStop?: boolean }).beforeStop = true));
  const popup = await restartWorker(context, `chrome-extension://${EXTENSION_ID}/popup.html`);
  // A fresh worker: nothing of the old one's memory is left, so what the popup shows came from storage.
  expect(await worker.evaluate(() => (globalThis as { beforeStop?: boolean }).beforeStop)).toBeUndefined();
  await expect(popup.getByTestId('summary')).toHaveText('3 of 5 support emails need reauthorization');
  await expect(popup.getByRole('region', { name: 'History' }).locator('li.history-entry')).toHaveCount(3);
});
