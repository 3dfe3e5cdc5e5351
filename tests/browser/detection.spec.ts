/**
 * In-page detection on Freshdesk replica pages (tests/fixtures/freshdesk), with the built extension in
 * Debian Chromium. Pages are served under their real paths (/a/admin/email, /support/...) on *.freshdesk.com.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import type { PageReport } from '../../lib/messages';
import { test, expect } from '../support/extension';
import { FIXTURES_DIR, type FixtureServer } from '../support/fixture-server';

const HOST = 'acme.freshdesk.com';

/** Serve tests/fixtures/freshdesk/<file> at <path> (the path the real helpdesk uses) and return its URL. */
function serve(fixtures: FixtureServer, file: string, path: string, host = HOST): string {
  fixtures.route(path, readFileSync(join(FIXTURES_DIR, 'freshdesk', file), 'utf8'));
  return fixtures.url(host, path);
}

/** Record every page report the content script sends, in the extension's own worker. */
async function recordReports(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const g = globalThis as unknown as {
      __reports: unknown[];
      chrome: { runtime: { onMessage: { addListener(f: (m: { kind?: string }) => void): void } } };
    };
    g.__reports = [];
    g.chrome.runtime.onMessage.addListener((message) => {
      if (message?.kind === 'page-report') g.__reports.push(message);
    });
  });
}

async function reports(worker: Worker): Promise<PageReport[]> {
  return worker.evaluate(() => (globalThis as unknown as { __reports: PageReport[] }).__reports);
}

async function lastReport(worker: Worker): Promise<PageReport | undefined> {
  return (await reports(worker)).at(-1);
}

function row(page: Page, id: string) {
  return page.locator(`#${id}`);
}

test.describe('classic Admin > Channels > Email table', () => {
  test('marks every mailbox with its state, scenario and primary flag', async ({ context, worker, fixtures }) => {
    await recordReports(worker);
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/index.html', '/a/admin/email'));

    await expect(row(page, 'row-billing')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(row(page, 'row-billing')).toHaveAttribute('data-reauth-scenario', 'microsoft-basic-auth');
    await expect(row(page, 'row-sales')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(row(page, 'row-help')).toHaveAttribute('data-reauth-scenario', 'microsoft-oauth-expired');
    await expect(row(page, 'row-help')).toHaveAttribute('data-reauth-primary', 'true');
    await expect(row(page, 'row-support')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(row(page, 'row-team')).toHaveAttribute('data-reauth-state', 'connected');
    for (const id of ['row-support', 'row-team']) {
      await expect(row(page, id)).not.toHaveAttribute('data-reauth-scenario', /.*/);
      await expect(row(page, id).locator('reauth-assist-mark')).toHaveCount(0);
    }
    for (const id of ['row-billing', 'row-sales', 'row-support', 'row-team']) {
      await expect(row(page, id)).not.toHaveAttribute('data-reauth-primary', /.*/);
    }
    // Exactly the five rows: no cell, no table, no header is marked.
    await expect(page.locator('[data-reauth-state]')).toHaveCount(5);

    const expected = {
      kind: 'page-report',
      helpdesk: 'freshdesk',
      url: page.url(),
      bannerPresent: true,
      mailboxes: [
        { address: 'billing@acme.com', state: 'needs-reauth', scenario: 'microsoft-basic-auth', primary: false, provider: 'microsoft', statusText: 'Reauthorization required' },
        { address: 'sales@acme.com', state: 'needs-reauth', scenario: 'password-expired', primary: false, provider: 'google', statusText: 'Reauthorization required' },
        { address: 'help@acme.com', state: 'needs-reauth', scenario: 'microsoft-oauth-expired', primary: true, provider: 'microsoft', statusText: 'Your Microsoft Office 365 credentials have expired. Please sign in again' },
        { address: 'support@acme.com', state: 'connected', primary: false, provider: 'other', statusText: 'Active' },
        { address: 'team@acme.com', state: 'connected', primary: false, provider: 'google', statusText: 'Connected' },
      ],
    };
    await expect.poll(() => lastReport(worker)).toEqual(expected);
  });

  test('the banner says how many mailboxes need reauthorization and which', async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/index.html', '/a/admin/email'));
    const banner = page.locator('[data-reauth-assist="banner"]');
    await expect(banner).toHaveCount(1);
    await expect(banner).toHaveId('reauth-banner');
    const summary = banner.locator('reauth-assist-summary');
    await expect(summary).toHaveCount(1);
    await expect(summary.locator('p')).toHaveText(
      'Reauth Assist: 3 of 5 support emails need reauthorization: billing@acme.com, sales@acme.com, help@acme.com · 2 connected',
    );
    await expect(summary.locator('a[data-address]')).toHaveText(['billing@acme.com', 'sales@acme.com', 'help@acme.com']);
  });

  test('each broken row gets one mark with its scenario steps and the control to press outlined', async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/index.html', '/a/admin/email'));
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);

    const billing = row(page, 'row-billing').locator('reauth-assist-mark');
    await expect(billing.locator('summary')).toHaveText('Needs reauthorization: Microsoft 365 still on Basic authentication');
    await expect(billing.locator('ol.steps li').nth(1)).toHaveText('Click the Re-authorize link next to this Microsoft Office 365 address.');
    await expect(billing.locator('ul.notes')).toContainText('One mailbox that needs reauthorization shows the banner to every agent');
    await expect(billing.locator('ol.primary-steps')).toHaveCount(0);
    await expect(row(page, 'row-billing').locator('a.reauth-link')).toHaveAttribute('data-reauth-control', 'reauthorize-link');

    // No Re-authorize link in the Gmail row: the pencil (edit) icon is what to press (Scenario 2).
    await expect(row(page, 'row-sales').locator('button.icon-btn')).toHaveAttribute('data-reauth-control', 'edit-icon');
    await expect(row(page, 'row-sales').locator('reauth-assist-mark summary')).toHaveText(
      'Needs reauthorization: Password expired or changed (Gmail or Other mailbox)',
    );

    // The broken primary mailbox also gets the Scenario 4 steps.
    const help = row(page, 'row-help').locator('reauth-assist-mark');
    await expect(help.locator('summary')).toHaveText('Needs reauthorization: Microsoft 365 OAuth sign-in expired');
    await expect(help.locator('ol.primary-steps li')).toHaveText([
      'Go to Admin > Channels > Email.',
      'Make this primary address non-primary (make another connected address primary for now).',
      'Reauthorize this address as described above.',
      'Make it primary again.',
    ]);
    await expect(row(page, 'row-help').locator('button.icon-btn')).toHaveAttribute('data-reauth-control', 'edit-icon');
    await expect(page.locator('[data-reauth-control]')).toHaveCount(3);
    const outline = await row(page, 'row-billing').locator('a.reauth-link').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
  });
});

test.describe('the page keeps working', () => {
  test("the page's own click handlers still fire and its computed styles are unchanged", async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/index.html', '/a/admin/email'));
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
    await row(page, 'row-billing').locator('td').first().click();
    await row(page, 'row-team').locator('td').nth(1).click();
    expect(await page.evaluate(() => (window as unknown as { __rowClicks: string[] }).__rowClicks)).toEqual(['row-billing', 'row-team']);

    const after = await page.evaluate(() => {
      const out: Record<number, string> = {};
      document
        .querySelectorAll('tr.email-row, tr.email-row td, .status-error, .status-ok, .banner-wrapper, .badge-primary, button.icon-btn')
        .forEach((el, i) => {
          const cs = getComputedStyle(el);
          out[i] = [cs.color, cs.backgroundColor, cs.fontFamily, cs.fontWeight, cs.padding, cs.display, cs.borderBottom].join('|');
        });
      return out;
    });
    const before = await page.evaluate(() => (window as unknown as { __stylesBefore: Record<number, string> }).__stylesBefore);
    expect(Object.keys(before).length).toBeGreaterThan(20);
    expect(after).toEqual(before);
    // Classes and inline styles of page elements are untouched; our UI lives in shadow roots.
    await expect(row(page, 'row-billing')).toHaveAttribute('class', 'email-row');
    await expect(page.locator('[style]')).toHaveCount(0);
    expect(await page.locator('reauth-assist-mark').first().evaluate((el) => el.shadowRoot?.mode)).toBe('open');
    // The mark's text is not part of the row's own text (it is in the mark's shadow root).
    expect(await row(page, 'row-billing').evaluate((el) => el.textContent)).not.toContain('Needs reauthorization');
  });

  test('a summary link scrolls to and flashes its row; the worker can reveal and rescan too', async ({ context, worker, fixtures }) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 300 });
    const url = serve(fixtures, 'a/admin/email/index.html', '/a/admin/email');
    await page.goto(url);
    await page.locator('reauth-assist-summary a[data-address="help@acme.com"]').click();
    await expect(row(page, 'row-help')).toHaveAttribute('data-reauth-flash', 'true');
    await expect(row(page, 'row-help')).toBeInViewport();
    await expect(row(page, 'row-help')).not.toHaveAttribute('data-reauth-flash', /.*/, { timeout: 5000 });
    expect(page.url()).toBe(url);

    const answers = await worker.evaluate(async (pageUrl) => {
      const c = (globalThis as unknown as { chrome: typeof import('webextension-polyfill') }).chrome;
      const tabs = await c.tabs.query({});
      const tab = tabs.find((t) => t.url === pageUrl)!;
      return [
        await c.tabs.sendMessage(tab.id!, { kind: 'reveal-mailbox', address: 'sales@acme.com' }),
        await c.tabs.sendMessage(tab.id!, { kind: 'reveal-mailbox', address: 'nobody@acme.com' }),
        await c.tabs.sendMessage(tab.id!, { kind: 'rescan' }),
      ];
    }, url);
    expect(answers).toEqual([{ ok: true }, { ok: false }, { ok: true }]);
    await expect(row(page, 'row-sales')).toHaveAttribute('data-reauth-flash', 'true');
  });
});

test.describe('varied markup', () => {
  test('ARIA grid with statuses given only as icon aria-label or title (tooltip-only)', async ({ context, worker, fixtures }) => {
    await recordReports(worker);
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/grid.html', '/a/admin/email/grid'));
    await expect(row(page, 'g-orders')).toHaveAttribute('data-reauth-scenario', 'microsoft-oauth-expired');
    await expect(row(page, 'g-returns')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(row(page, 'g-press')).toHaveAttribute('data-reauth-scenario', 'microsoft-oauth-expired');
    await expect(row(page, 'g-news')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(page.locator('[data-reauth-state]')).toHaveCount(4);
    // Marks go into the last gridcell, so the grid keeps its row/gridcell structure.
    await expect(page.locator('[role="row"] > reauth-assist-mark')).toHaveCount(0);
    await expect(page.locator('[role="gridcell"] > reauth-assist-mark')).toHaveCount(3);
    await expect(row(page, 'g-orders').locator('[role="button"]')).toHaveAttribute('data-reauth-control', 'edit-icon');
    await expect(row(page, 'g-returns').locator('[role="button"]')).toHaveAttribute('data-reauth-control', 'edit-icon');
    await expect(row(page, 'g-press').locator('button')).toHaveAttribute('data-reauth-control', 'sign-in-with-microsoft');
    await expect(page.locator('[data-reauth-assist="banner"]')).toHaveClass('fd-alert');
    await expect.poll(async () => (await lastReport(worker))?.mailboxes.map((m) => [m.address, m.statusText])).toEqual([
      ['orders@acme.com', 'Outgoing: Unexpected error'],
      ['returns@acme.com', 'Reauthorization required'],
      ['press@acme.com', 'Disconnected after 8 failed retries'],
      ['news@acme.com', 'Connected'],
    ]);
  });

  test('card list: each card is a row; Basic auth primary and a Gmail address', async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/cards.html', '/a/admin/email/cards'));
    await expect(row(page, 'card-main')).toHaveAttribute('data-reauth-scenario', 'microsoft-basic-auth');
    await expect(row(page, 'card-main')).toHaveAttribute('data-reauth-primary', 'true');
    await expect(row(page, 'card-jobs')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(row(page, 'card-care')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(row(page, 'card-shop')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(page.locator('[data-reauth-state]')).toHaveCount(4);
    await expect(row(page, 'card-main').locator('a.btn').first()).toHaveAttribute('data-reauth-control', 'reauthorize-link');
    await expect(row(page, 'card-main').locator('reauth-assist-mark ol.primary-steps li')).toHaveCount(4);
    await expect(page.locator('[data-reauth-assist="banner"]')).toHaveClass('top-notice');
    await expect(page.locator('reauth-assist-summary')).toHaveAttribute(
      'data-reauth-summary',
      '2 of 4 support emails need reauthorization: main@acme.com, jobs@gmail.com · 2 connected',
    );
  });

  test('design-system web components: rows and statuses inside open shadow roots', async ({ context, worker, fixtures }) => {
    await recordReports(worker);
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/shadow.html', '/a/admin/email/shadow'));
    // Playwright's CSS engine pierces open shadow roots.
    await expect(page.locator('#sr-alpha')).toHaveAttribute('data-reauth-scenario', 'microsoft-oauth-expired');
    await expect(page.locator('#sr-beta')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(page.locator('#sr-gamma')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(page.locator('#sr-alpha button')).toHaveAttribute('data-reauth-control', 'sign-in-with-microsoft');
    await expect(page.locator('#sr-beta button')).toHaveAttribute('data-reauth-control', 'reauthorize-link');
    await expect(page.locator('#sr-alpha reauth-assist-mark')).toHaveCount(1);
    // Our highlight reaches the control inside the page's shadow root (our stylesheet is added there).
    expect(await page.locator('#sr-beta button').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await expect(page.locator('.banner[data-reauth-assist="banner"]')).toHaveCount(1);

    // A status change inside the nested component's shadow root is followed.
    await page.evaluate(() =>
      (document.getElementById('list') as unknown as { setStatus(a: string, s: string): void }).setStatus('beta@acme.com', 'Active'),
    );
    await expect(page.locator('#sr-beta')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(page.locator('#sr-beta')).not.toHaveAttribute('data-reauth-scenario', /.*/);
    await expect(page.locator('#sr-beta reauth-assist-mark')).toHaveCount(0);
    await expect(page.locator('#sr-beta button')).not.toHaveAttribute('data-reauth-control', /.*/);
    await expect
      .poll(async () => (await lastReport(worker))?.mailboxes.map((m) => `${m.address} ${m.state}`))
      .toEqual(['alpha@acme.com needs-reauth', 'beta@acme.com connected', 'gamma@acme.com connected']);
  });

  test('an agent screen with the banner but no mailbox list points to Admin > Channels > Email', async ({ context, worker, fixtures }) => {
    await recordReports(worker);
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/tickets/index.html', '/a/tickets'));
    await expect(page.locator('#tickets-banner')).toHaveAttribute('data-reauth-assist', 'banner');
    await expect(page.locator('reauth-assist-summary a')).toHaveAttribute('href', fixtures.url(HOST, '/a/admin/email'));
    await expect(page.locator('[data-reauth-state]')).toHaveCount(0);
    await expect.poll(async () => (await lastReport(worker))?.bannerPresent).toBe(true);
    expect((await lastReport(worker))?.mailboxes).toEqual([]);
  });
});

test.describe('pages that quote the banner get nothing', () => {
  for (const [name, file, path] of [
    ['a solution article', 'support/solutions/articles/reauthorize.html', '/support/solutions/articles/50000001-why-do-i-see-please-reauthorize'],
    ['the customer portal', 'support/home/index.html', '/support/home'],
  ] as const) {
    test(name, async ({ context, worker, fixtures }) => {
      await recordReports(worker);
      const page = await context.newPage();
      await page.goto(serve(fixtures, file, path));
      // Prove the content script ran here: it answers the worker's rescan request.
      const answer = await worker.evaluate(async (pageUrl) => {
        const c = (globalThis as unknown as { chrome: typeof import('webextension-polyfill') }).chrome;
        const tab = (await c.tabs.query({})).find((t) => t.url === pageUrl)!;
        return c.tabs.sendMessage(tab.id!, { kind: 'rescan' });
      }, page.url());
      expect(answer).toEqual({ ok: true });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await expect(page.locator('[data-reauth-state], [data-reauth-assist], [data-reauth-control]')).toHaveCount(0);
      await expect(page.locator('reauth-assist-mark, reauth-assist-summary')).toHaveCount(0);
      expect((await reports(worker)).filter((r) => r.mailboxes.length > 0 || r.bannerPresent)).toEqual([]);
    });
  }
});
