/**
 * In-page detection on Freshdesk replica pages (tests/fixtures/freshdesk), with the built extension in
 * Debian Chromium. Pages are served under their real paths (/a/admin/email, /support/...) on *.freshdesk.com.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
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

/** A new tab at url, once the content script has drawn its marks there. */
async function openMarked(context: BrowserContext, url: string, marks: number): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.locator('reauth-assist-mark')).toHaveCount(marks);
  return page;
}

/** A page whose table body gets these rows in one insertion 50 ms after load (a list rendered at once). */
async function openListRenderedLater(
  context: BrowserContext,
  fixtures: FixtureServer,
  path: string,
  rows: string[],
): Promise<Page> {
  const insert = `document.getElementById('list').insertAdjacentHTML('beforeend', ${JSON.stringify(rows.join(''))})`;
  fixtures.route(
    path,
    `<!doctype html><title>Email</title><table><tbody id="list"></tbody></table><script>
      setTimeout(() => ${insert}, 50);
      </script>`,
  );
  const page = await context.newPage();
  await page.goto(fixtures.url(HOST, path));
  return page;
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
        {
          address: 'billing@acme.com',
          state: 'needs-reauth',
          scenario: 'microsoft-basic-auth',
          primary: false,
          provider: 'microsoft',
          statusText: 'Reauthorization required',
        },
        {
          address: 'sales@acme.com',
          state: 'needs-reauth',
          scenario: 'password-expired',
          primary: false,
          provider: 'google',
          statusText: 'Reauthorization required',
        },
        {
          address: 'help@acme.com',
          state: 'needs-reauth',
          scenario: 'microsoft-oauth-expired',
          primary: true,
          provider: 'microsoft',
          statusText: 'Your Microsoft Office 365 credentials have expired. Please sign in again',
        },
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
      'Reauth Assist: 3 of 5 support emails need reauthorization: billing@acme.com, sales@acme.com, help@acme.com · ' +
        '2 connected',
    );
    await expect(summary.locator('a[data-address]')).toHaveText([
      'billing@acme.com',
      'sales@acme.com',
      'help@acme.com',
    ]);
  });

  test('the script started again in the page (an extension update or reload) takes over from the copy there', async ({
    context,
    fixtures,
    worker,
  }) => {
    const url = serve(fixtures, 'a/admin/email/index.html', '/a/admin/email');
    const page = await openMarked(context, url, 3);
    const first = await page.locator('reauth-assist-mark').first().elementHandle();
    await worker.evaluate(async (origin) => {
      const [tab] = await chrome.tabs.query({ url: `${origin}/*` });
      await chrome.scripting.executeScript({ target: { tabId: tab!.id! }, files: ['content-scripts/helpdesk.js'] });
    }, new URL(url).origin);
    // The copy that was there took its marks away; the new one marked the same rows, once.
    await expect.poll(() => first!.evaluate((el) => el.isConnected)).toBe(false);
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
    await expect(page.locator('[data-reauth-state="needs-reauth"]')).toHaveCount(3);
  });

  test('each broken row gets one mark with its scenario steps and the control to press outlined', async ({
    context,
    fixtures,
  }) => {
    const page = await openMarked(context, serve(fixtures, 'a/admin/email/index.html', '/a/admin/email'), 3);

    const billing = row(page, 'row-billing').locator('reauth-assist-mark');
    await expect(billing.locator('button.pill')).toHaveText(
      'Needs reauthorization: Microsoft 365 still on Basic authentication',
    );
    // The steps are built when the admin opens the mark.
    await expect(billing.locator('ol.steps')).toHaveCount(0);
    await billing.locator('button.pill').click();
    await expect(billing.locator('ol.steps li').nth(1)).toHaveText(
      'Click the Re-authorize link next to this Microsoft Office 365 address.',
    );
    await expect(billing.locator('ul.notes')).toContainText(
      'One mailbox that needs reauthorization shows the banner to every agent',
    );
    await expect(billing.locator('ol.primary-steps')).toHaveCount(0);
    await expect(row(page, 'row-billing').locator('a.reauth-link')).toHaveAttribute(
      'data-reauth-control',
      'reauthorize-link',
    );

    // No Re-authorize link in the Gmail row: the pencil (edit) icon is what to press (Scenario 2).
    await expect(row(page, 'row-sales').locator('button.icon-btn')).toHaveAttribute('data-reauth-control', 'edit-icon');
    await expect(row(page, 'row-sales').locator('reauth-assist-mark button.pill')).toHaveText(
      'Needs reauthorization: Password expired or changed (Gmail or Other mailbox)',
    );

    // The broken primary mailbox also gets the Scenario 4 steps. An open mark covers the rows below it: Escape first.
    await page.keyboard.press('Escape');
    const help = row(page, 'row-help').locator('reauth-assist-mark');
    await expect(help.locator('button.pill')).toHaveText('Needs reauthorization: Microsoft 365 OAuth sign-in expired');
    await help.locator('button.pill').click();
    await expect(help.locator('ol.primary-steps li')).toHaveText([
      'Go to Admin > Channels > Email.',
      'Make this primary address non-primary (make another connected address primary for now).',
      'Reauthorize this address as described above.',
      'Make it primary again.',
    ]);
    await expect(row(page, 'row-help').locator('button.icon-btn')).toHaveAttribute('data-reauth-control', 'edit-icon');
    await expect(page.locator('[data-reauth-control]')).toHaveCount(3);
    const outline = await row(page, 'row-billing')
      .locator('a.reauth-link')
      .evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
  });
});

test.describe('the page keeps working', () => {
  test("the page's own click handlers still fire and its computed styles are unchanged", async ({
    context,
    fixtures,
  }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/index.html', '/a/admin/email'));
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
    await row(page, 'row-billing').locator('td').first().click();
    await row(page, 'row-team').locator('td').nth(1).click();
    expect(await page.evaluate(() => (window as unknown as { __rowClicks: string[] }).__rowClicks)).toEqual([
      'row-billing',
      'row-team',
    ]);

    const after = await page.evaluate(() => {
      const out: Record<number, string> = {};
      document
        .querySelectorAll(
          'tr.email-row, tr.email-row td, .status-error, .status-ok, .banner-wrapper, .badge-primary, button.icon-btn',
        )
        .forEach((el, i) => {
          const cs = getComputedStyle(el);
          out[i] = [
            cs.color,
            cs.backgroundColor,
            cs.fontFamily,
            cs.fontWeight,
            cs.padding,
            cs.display,
            cs.borderBottom,
          ].join('|');
        });
      return out;
    });
    const before = await page.evaluate(
      () => (window as unknown as { __stylesBefore: Record<number, string> }).__stylesBefore,
    );
    expect(Object.keys(before).length).toBeGreaterThan(20);
    expect(after).toEqual(before);
    // Classes and inline styles of page elements are untouched; our UI lives in shadow roots.
    await expect(row(page, 'row-billing')).toHaveAttribute('class', 'email-row');
    await expect(page.locator('[style]')).toHaveCount(0);
    expect(
      await page
        .locator('reauth-assist-mark')
        .first()
        .evaluate((el) => el.shadowRoot?.mode),
    ).toBe('open');
    // The mark's text is not part of the row's own text (it is in the mark's shadow root).
    expect(await row(page, 'row-billing').evaluate((el) => el.textContent)).not.toContain('Needs reauthorization');
  });

  test('a summary link scrolls to and flashes its row; the worker can reveal and rescan too', async ({
    context,
    worker,
    fixtures,
  }) => {
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
        await c.tabs.sendMessage(tab.id!, { kind: 'reveal-in-page', address: 'sales@acme.com' }),
        await c.tabs.sendMessage(tab.id!, { kind: 'reveal-in-page', address: 'nobody@acme.com' }),
        await c.tabs.sendMessage(tab.id!, { kind: 'rescan' }),
      ];
    }, url);
    expect(answers).toEqual([
      { ok: true, data: { found: true } },
      { ok: true, data: { found: false } },
      { ok: true, data: null },
    ]);
    await expect(row(page, 'row-sales')).toHaveAttribute('data-reauth-flash', 'true');
  });
});

test.describe('varied markup', () => {
  test('the banner worded without "Please", in a status toast, is the banner: marked and summarised', async ({
    context,
    fixtures,
  }) => {
    fixtures.route(
      '/a/admin/email/toast',
      '<!doctype html><title>Email</title><div role="status" id="toast">Reauthorize your email settings: one or ' +
        'more support mailboxes cannot fetch mail.</div><table><tbody>' +
        '<tr><td>support@acme.com</td><td>Gmail</td><td>Reauthorization required</td></tr>' +
        '<tr><td>sales@acme.com</td><td>Gmail</td><td>Connected</td></tr></tbody></table>',
    );
    const page = await openMarked(context, fixtures.url(HOST, '/a/admin/email/toast'), 1);
    await expect(page.locator('#toast')).toHaveAttribute('data-reauth-assist', 'banner');
    await expect(page.locator('[data-reauth-summary]')).toHaveAttribute(
      'data-reauth-summary',
      /^1 of 2 support emails needs reauthorization: support@acme\.com/,
    );
  });

  test('a mailbox in both an incoming and an outgoing list is reported broken when one of its rows is', async ({
    context,
    worker,
    fixtures,
  }) => {
    await recordReports(worker);
    const status = (address: string, incoming: string, outgoing: string) => [
      `<tr><td>${address}</td><td>Microsoft 365</td><td>${incoming}</td></tr>`,
      `<tr><td>${address}</td><td>Microsoft 365</td><td>${outgoing}</td></tr>`,
    ];
    const [supportIn, supportOut] = status('support@acme.com', 'Connected', 'Authentication unsuccessful');
    const [salesIn, salesOut] = status('sales@acme.com', 'Connected', 'Connected');
    fixtures.route(
      '/a/admin/email/in-out',
      '<!doctype html><title>Email</title><div role="alert">Please reauthorize your Email settings.</div>' +
        `<h3>Incoming</h3><table><tbody>${supportIn}${salesIn}</tbody></table>` +
        `<h3>Outgoing</h3><table><tbody>${supportOut}${salesOut}</tbody></table>`,
    );
    const page = await openMarked(context, fixtures.url(HOST, '/a/admin/email/in-out'), 1);
    await expect(page.locator('tr[data-reauth-state="needs-reauth"]')).toHaveCount(1);
    await expect
      .poll(async () => (await lastReport(worker))?.mailboxes.map((m) => `${m.address} ${m.state}`))
      .toEqual(['support@acme.com needs-reauth', 'sales@acme.com connected']);
  });

  test('ARIA grid with statuses given only as icon aria-label or title (tooltip-only)', async ({
    context,
    worker,
    fixtures,
  }) => {
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
    // The page's own button (our mark's pill is a button too).
    await expect(row(page, 'g-press').locator('[role="gridcell"] > button')).toHaveAttribute(
      'data-reauth-control',
      'sign-in-with-microsoft',
    );
    await expect(page.locator('[data-reauth-assist="banner"]')).toHaveClass('fd-alert');
    await expect
      .poll(async () => (await lastReport(worker))?.mailboxes.map((m) => [m.address, m.statusText]))
      .toEqual([
        ['orders@acme.com', 'Outgoing: Unexpected error'],
        ['returns@acme.com', 'Reauthorization required'],
        ['press@acme.com', 'Disconnected after 8 failed retries'],
        ['news@acme.com', 'Connected'],
      ]);
  });

  test("a status only in an image's alt text or a tooltip library's attribute: marked, followed as it changes", async ({
    context,
    fixtures,
  }) => {
    const path = '/a/admin/email/image-status';
    fixtures.route(
      path,
      '<!doctype html><title>Email</title><table><tbody>' +
        '<tr id="a"><td>a@acme.com</td><td>Gmail</td><td><img alt="Access revoked" src="data:," width="12"></td>' +
        '<td><a href="#">Edit</a></td></tr>' +
        '<tr id="b"><td>b@acme.com</td><td>Gmail</td><td><i data-bs-original-title="Connected">•</i></td>' +
        '<td><a href="#">Edit</a></td></tr>' +
        '<tr id="c"><td>c@acme.com</td><td>Gmail</td><td><i data-original-title="Active">•</i></td><td></td></tr>' +
        '</tbody></table>',
    );
    const page = await context.newPage();
    await page.goto(fixtures.url(HOST, path));
    await expect(row(page, 'a')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(row(page, 'b')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(row(page, 'c')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(1);

    // The page changes only the attributes: the marks follow.
    await page.evaluate(() => {
      document.querySelector('#a img')!.setAttribute('alt', 'Connected');
      document.querySelector('#b i')!.setAttribute('data-bs-original-title', 'Authentication failed');
    });
    await expect(row(page, 'a')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(row(page, 'b')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(row(page, 'b').locator('reauth-assist-mark')).toHaveCount(1);
    await expect(page.locator('reauth-assist-mark')).toHaveCount(1);
  });

  test('older admin screens: the fix as an input button named by its value; a status in aria-labelledby', async ({
    context,
    fixtures,
  }) => {
    const path = '/a/admin/email/input-buttons';
    fixtures.route(
      path,
      '<!doctype html><title>Email</title><span id="st-bad" hidden>Access revoked</span>' +
        '<span id="st-ok" hidden>Connected</span><table><tbody>' +
        '<tr id="a"><td>a@acme.com</td><td>Microsoft 365</td><td><input type="button" value="Re-authorize"></td></tr>' +
        '<tr id="b"><td>b@acme.com</td><td>Gmail</td><td><input type="submit" value="Reauthorize"></td></tr>' +
        '<tr id="c"><td>c@acme.com</td><td>Gmail</td><td><i aria-labelledby="st-bad">•</i></td></tr>' +
        '<tr id="d"><td>d@acme.com</td><td>Gmail</td><td><i aria-labelledby="st-ok">•</i></td></tr>' +
        '<tr id="e"><td>e@acme.com</td><td>Gmail</td><td><i aria-description="Sync failed">•</i></td></tr>' +
        '</tbody></table>',
    );
    const page = await context.newPage();
    await page.goto(fixtures.url(HOST, path));
    await expect(row(page, 'a')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    // A Microsoft mailbox offered Re-authorize: Freshdesk's migration from Basic authentication (Scenario 1).
    await expect(row(page, 'a')).toHaveAttribute('data-reauth-scenario', 'microsoft-basic-auth');
    await expect(row(page, 'a').locator('input')).toHaveAttribute('data-reauth-control', 'reauthorize-link');
    await expect(row(page, 'b')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(row(page, 'b').locator('input')).toHaveAttribute('data-reauth-control', 'reauthorize-link');
    await expect(row(page, 'c')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(row(page, 'd')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(row(page, 'e')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(4);

    // The page points an icon at another status: the mark follows.
    await page.evaluate(() => document.querySelector('#d i')!.setAttribute('aria-labelledby', 'st-bad'));
    await expect(row(page, 'd')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(5);
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
    await expect(row(page, 'card-main').locator('a.btn').first()).toHaveAttribute(
      'data-reauth-control',
      'reauthorize-link',
    );
    await row(page, 'card-main').locator('reauth-assist-mark button.pill').click();
    await expect(row(page, 'card-main').locator('reauth-assist-mark ol.primary-steps li')).toHaveCount(4);
    await expect(page.locator('[data-reauth-assist="banner"]')).toHaveClass('top-notice');
    await expect(page.locator('reauth-assist-summary')).toHaveAttribute(
      'data-reauth-summary',
      '2 of 4 support emails need reauthorization: main@acme.com, jobs@gmail.com · 2 connected',
    );
  });

  test('a row whose last cell holds only an svg icon: the mark sits in that cell and shows', async ({
    context,
    fixtures,
  }) => {
    const icon = '<svg width="12" height="12" viewBox="0 0 12 12"><circle cx="6" cy="6" r="5"></circle></svg>';
    const tr = (id: string, address: string, status: string) =>
      `<tr id="${id}"><td>${address}</td><td>${status}</td><td>${icon}</td></tr>`;
    fixtures.route(
      '/a/admin/email/icons',
      '<!doctype html><title>Email</title><table><tbody>' +
        tr('svg-broken', 'billing@acme.com', 'Reauthorization required') +
        tr('svg-ok', 'sales@acme.com', 'Connected') +
        '</tbody></table>',
    );
    const page = await openMarked(context, fixtures.url(HOST, '/a/admin/email/icons'), 1);
    const mark = row(page, 'svg-broken').locator('reauth-assist-mark');
    expect(await mark.evaluate((m) => m.parentElement?.localName)).toBe('td');
    await expect(mark.locator('button.pill')).toBeVisible();
    await expect(row(page, 'svg-ok')).toHaveAttribute('data-reauth-state', 'connected');
  });

  test('plain shadow hosts with light children, in a page of long help text: parsed, or attached later', async ({
    context,
    fixtures,
  }) => {
    const rows = (prefix: string) =>
      `<p id="${prefix}-a">${prefix}-a@acme.com · Gmail · Access revoked</p>` +
      `<p id="${prefix}-b">${prefix}-b@acme.com · Gmail · Active</p>`;
    fixtures.route(
      '/a/admin/email/plain-hosts',
      '<!doctype html><title>Email</title>' +
        `<p>${'Connect a support mailbox over IMAP and SMTP with OAuth. '.repeat(100)}</p>` +
        // Parsed with its shadow root: no script attaches it. The light child is slotted.
        `<div><template shadowrootmode="open"><slot></slot>${rows('parsed')}</template><span>Inbox</span></div>` +
        // A placeholder the page replaces by a shadow root once its data is there (no DOM mutation to see).
        '<div id="later"><span>Loading mailboxes...</span></div><script>setTimeout(() => {' +
        `document.getElementById('later').attachShadow({ mode: 'open' }).innerHTML = ${JSON.stringify(rows('late'))};` +
        '}, 600);</script>',
    );
    const page = await context.newPage();
    await page.goto(fixtures.url(HOST, '/a/admin/email/plain-hosts'));
    // Playwright's CSS engine pierces open shadow roots.
    for (const prefix of ['parsed', 'late']) {
      await expect(page.locator(`#${prefix}-a`)).toHaveAttribute('data-reauth-scenario', 'password-expired');
      await expect(page.locator(`#${prefix}-b`)).toHaveAttribute('data-reauth-state', 'connected');
    }
    await expect(page.locator('reauth-assist-mark')).toHaveCount(2);
  });

  test('design-system web components: rows and statuses inside open shadow roots', async ({
    context,
    worker,
    fixtures,
  }) => {
    await recordReports(worker);
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/shadow.html', '/a/admin/email/shadow'));
    // Playwright's CSS engine pierces open shadow roots.
    await expect(page.locator('#sr-alpha')).toHaveAttribute('data-reauth-scenario', 'microsoft-oauth-expired');
    await expect(page.locator('#sr-beta')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(page.locator('#sr-gamma')).toHaveAttribute('data-reauth-state', 'connected');
    // The page's own buttons (our mark's pill is a button too).
    await expect(page.locator('#sr-alpha td.actions > button')).toHaveAttribute(
      'data-reauth-control',
      'sign-in-with-microsoft',
    );
    const betaButton = page.locator('#sr-beta td.actions > button');
    await expect(betaButton).toHaveAttribute('data-reauth-control', 'reauthorize-link');
    await expect(page.locator('#sr-alpha reauth-assist-mark')).toHaveCount(1);
    // Our highlight reaches the control inside the page's shadow root (our stylesheet is added there).
    expect(await betaButton.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await expect(page.locator('.banner[data-reauth-assist="banner"]')).toHaveCount(1);

    // A status change inside the nested component's shadow root is followed.
    await page.evaluate(() =>
      (document.getElementById('list') as unknown as { setStatus(a: string, s: string): void }).setStatus(
        'beta@acme.com',
        'Active',
      ),
    );
    await expect(page.locator('#sr-beta')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(page.locator('#sr-beta')).not.toHaveAttribute('data-reauth-scenario', /.*/);
    await expect(page.locator('#sr-beta reauth-assist-mark')).toHaveCount(0);
    await expect(page.locator('#sr-beta td.actions > button')).not.toHaveAttribute('data-reauth-control', /.*/);
    await expect
      .poll(async () => (await lastReport(worker))?.mailboxes.map((m) => `${m.address} ${m.state}`))
      .toEqual(['alpha@acme.com needs-reauth', 'beta@acme.com connected', 'gamma@acme.com connected']);
  });

  // A list rendered after load whose rows hold everything in open shadow roots: 60 rows (a list long enough to
  // be read in one pass if it were plain), a third of them broken.
  const LATE_ROWS = 60;
  const lateBroken = Array.from({ length: LATE_ROWS }, (_, i) => i)
    .filter((i) => i % 3 === 0)
    .map((i) => `late${i}@acme.com`);
  /** Serves a page whose `insertRows()` (the script) adds the rows; inserts them once the first look is done and
   * checks every row is marked as its words say. */
  const lateRowsMarked = async (context: BrowserContext, fixtures: FixtureServer, path: string, script: string) => {
    fixtures.route(
      path,
      '<!doctype html><title>Email</title><div class="banner" role="alert">Please reauthorize your Email settings.' +
        `</div><h1>Email</h1><div id="list"></div><script>
function lateRowHtml(i) {
  const broken = i % 3 === 0;
  return '<span>late' + i + '@acme.com</span> <span>' + (broken ? 'Reauthorization required' : 'Connected') +
    '</span> <button>' + (broken ? 'Re-authorize' : 'Edit') + '</button>';
}
${script}</script>`,
    );
    const page = await context.newPage();
    await page.goto(fixtures.url(HOST, path));
    await expect(page.locator('.banner')).toHaveAttribute('data-reauth-assist', 'banner');
    await page.evaluate(() => (window as unknown as { insertRows(): void }).insertRows());
    // Playwright's CSS engine pierces open shadow roots.
    await expect(page.locator('[data-reauth-state]')).toHaveCount(LATE_ROWS);
    const broken = await page
      .locator('[data-reauth-state="needs-reauth"]')
      .evaluateAll((rows) => rows.map((r) => (r.shadowRoot ?? r).textContent?.match(/late\d+@acme\.com/)?.[0]));
    expect(broken).toEqual(lateBroken);
    await expect(page.locator('reauth-assist-mark').first()).toBeVisible();
  };

  const lateLists = [
    {
      // Like Lit: the shadow root is attached when the element is made, and filled a microtask after it connects.
      name: 'web-component rows inserted after load, each rendering into its shadow root a moment later',
      path: '/a/admin/email/late-components',
      script: `customElements.define('mail-row', class extends HTMLElement {
  constructor() { super(); this.attachShadow({ mode: 'open' }); }
  connectedCallback() { queueMicrotask(() => { this.shadowRoot.innerHTML = lateRowHtml(Number(this.dataset.i)); }); }
});
window.insertRows = () => {
  let html = '';
  for (let i = 0; i < ${LATE_ROWS}; i++) html += '<mail-row data-i="' + i + '" style="display:block"></mail-row>';
  document.getElementById('list').innerHTML = html;
};`,
    },
    {
      // Upgrading an element attaches its shadow root: no DOM mutation says so either.
      name: 'custom elements inserted after load and defined by the page only later',
      path: '/a/admin/email/late-defined',
      script: `window.insertRows = () => {
  let html = '';
  for (let i = 0; i < ${LATE_ROWS}; i++) html += '<late-row data-i="' + i + '" style="display:block"></late-row>';
  document.getElementById('list').innerHTML = html;
  setTimeout(() => customElements.define('late-row', class extends HTMLElement {
    constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = lateRowHtml(Number(this.dataset.i)); }
  }), 300);
};`,
    },
    {
      name: 'plain elements inserted after load, given their shadow roots later (no DOM mutation says so)',
      path: '/a/admin/email/late-plain-hosts',
      script: `window.insertRows = () => {
  const list = document.getElementById('list');
  for (let i = 0; i < ${LATE_ROWS}; i++) list.append(document.createElement('div'));
  setTimeout(() => {
    [...list.children].forEach((host, i) => { host.attachShadow({ mode: 'open' }).innerHTML = lateRowHtml(i); });
  }, 300);
};`,
    },
  ];
  for (const { name, path, script } of lateLists)
    test(name, ({ context, fixtures }) => lateRowsMarked(context, fixtures, path, script));

  test('an agent screen with the banner but no mailbox list points to Admin > Channels > Email', async ({
    context,
    worker,
    fixtures,
  }) => {
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
    [
      'a solution article',
      'support/solutions/articles/reauthorize.html',
      '/support/solutions/articles/50000001-why-do-i-see-please-reauthorize',
    ],
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
      expect(answer).toEqual({ ok: true, data: null });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await expect(page.locator('[data-reauth-state], [data-reauth-assist], [data-reauth-control]')).toHaveCount(0);
      await expect(page.locator('reauth-assist-mark, reauth-assist-summary')).toHaveCount(0);
      expect((await reports(worker)).filter((r) => r.mailboxes.length > 0 || r.bannerPresent)).toEqual([]);
    });
  }
});

test.describe('a single-page app that renders late, re-renders and navigates', () => {
  type App = {
    rerender(): void;
    setStatus(address: string, status: string, server?: string): void;
    setStatusInPlace(address: string, status: string): void;
    move(address: string, index: number): void;
    tick(): void;
    navigate(path: string): void;
    clicks: string[];
    renders(): number;
  };
  const app = (page: Page) => ({
    call: <K extends keyof App>(name: K, ...args: unknown[]) =>
      page.evaluate(
        ([n, a]) => {
          const target = (window as unknown as { app: Record<string, (...x: unknown[]) => unknown> }).app;
          return target[n as string]!(...(a as unknown[]));
        },
        [name, args] as const,
      ),
  });
  const item = (page: Page, address: string) => page.locator(`.item[data-address="${address}"]`);
  const frames = (page: Page, n = 3) =>
    page.evaluate(
      (count) =>
        new Promise<void>((resolve) => {
          let left = count;
          const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
          requestAnimationFrame(step);
        }),
      n,
    );

  test('marks appear when the rows render late, and move with re-rendered rows', async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/spa.html', '/a/admin/email/spa'));
    await expect(item(page, 'billing@acme.com')).toHaveAttribute('data-reauth-scenario', 'microsoft-basic-auth');
    await expect(item(page, 'sales@acme.com')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(item(page, 'help@acme.com')).toHaveAttribute('data-reauth-primary', 'true');
    await expect(item(page, 'support@acme.com')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);

    for (let i = 0; i < 3; i++) await app(page).call('rerender');
    expect(await app(page).call('renders')).toBe(4);
    // The new elements (data-render=4) carry the attributes and the marks; nothing is duplicated.
    await expect(page.locator('.item[data-render="4"][data-reauth-state]')).toHaveCount(5);
    await expect(page.locator('.item[data-render="4"] reauth-assist-mark')).toHaveCount(3);
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
    await expect(page.locator('[data-reauth-state]')).toHaveCount(5);
    await expect(page.locator('[data-reauth-control]')).toHaveCount(3);

    // Reordered: the marks follow their mailboxes.
    await app(page).call('move', 'help@acme.com', 4);
    await expect(page.locator('.item').last()).toHaveAttribute('data-address', 'help@acme.com');
    await expect(page.locator('.item').last()).toHaveAttribute('data-reauth-primary', 'true');
    await expect(page.locator('.item').last().locator('reauth-assist-mark')).toHaveCount(1);
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
  });

  test("a long list rendered at once: every broken row's control outlined, also one placed elsewhere", async ({
    context,
    fixtures,
  }) => {
    // Rows alike in words are told by their words; their controls are outlined in the marks' frame.
    const kinds = [
      ['Microsoft Office 365 (Basic)', 'Reauthorization required', '<a href="#" class="fix">Re-authorize</a>'],
      [
        'Gmail',
        'Reauthorization required',
        '<button class="fix" aria-label="Edit"><i class="ficon-edit"></i></button>',
      ],
      ['Gmail', 'Active', '<button aria-label="Edit"><i class="ficon-edit"></i></button>'],
    ];
    const rows = Array.from({ length: 90 }, (_, i) => {
      const [server, status, control] = kinds[i % 3]!;
      // Row 61 is like its kind in words, but its button sits in the first cell.
      const [first, last] = i === 61 ? [control, ''] : ['', control];
      const cells = [`${first}<span>m${i}@acme.com</span>`, server, status, last];
      return `<tr id="m${i}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    });
    const page = await openListRenderedLater(context, fixtures, '/a/admin/email/long', rows);
    await expect(page.locator('tr[data-reauth-state]')).toHaveCount(90);
    await expect(page.locator('tr[data-reauth-state="needs-reauth"]')).toHaveCount(60);
    await expect(page.locator('[data-reauth-control]')).toHaveCount(60);
    await expect(page.locator('tr[data-reauth-state="needs-reauth"] .fix[data-reauth-control]')).toHaveCount(60);
    await expect(row(page, 'm61').locator('.fix')).toHaveAttribute('data-reauth-control', 'edit-icon');
    await expect(row(page, 'm87').locator('.fix')).toHaveAttribute('data-reauth-control', 'reauthorize-link');
    await expect(page.locator('tr[data-reauth-state="connected"] [data-reauth-control]')).toHaveCount(0);
  });

  test('a long list rendered at once: a row naming its mailbox only in a mailto: link or a tooltip is marked', async ({
    context,
    fixtures,
  }) => {
    // Read row by row, the list's attributes are asked only where a row's words name no mailbox.
    const rows = Array.from(
      { length: 60 },
      (_, i) => `<tr id="m${i}"><td>m${i}@acme.com</td><td>Gmail</td><td>Active</td><td></td></tr>`,
    );
    // Their status only an icon's tooltip: no words beside the rows send the list to the general descent.
    rows.push(
      '<tr id="link"><td><a href="mailto:billing@acme.com">Billing team</a></td><td>Gmail</td>' +
        '<td><i class="dot" title="Reauthorization required"></i></td>' +
        '<td><button aria-label="Edit"><i class="ficon-edit"></i></button></td></tr>',
      '<tr id="tip"><td><span title="sales@acme.com">Sales team</span></td><td>Gmail</td>' +
        '<td><i class="dot" aria-label="Connected"></i></td><td></td></tr>',
      // A contact's mailto: link beside the mailbox's own address does not make the row two mailboxes.
      '<tr id="contact"><td>help@acme.com <a href="mailto:owner@acme.com">Owner</a></td><td>Gmail</td>' +
        '<td>Reauthorization required</td><td><a href="#">Re-authorize</a></td></tr>',
      // An address only on a button names what the button does, not the row's mailbox.
      '<tr id="button"><td>Care team</td><td>Gmail</td><td></td>' +
        '<td><button aria-label="Edit care@acme.com">Edit</button></td></tr>',
    );
    const page = await openListRenderedLater(context, fixtures, '/a/admin/email/attributes', rows);
    await expect(page.locator('tr[data-reauth-state]')).toHaveCount(63);
    await expect(row(page, 'link')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(row(page, 'tip')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(row(page, 'contact')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(row(page, 'button')).not.toHaveAttribute('data-reauth-state');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(2);
  });

  test('a fixed mailbox loses its mark; a newly broken one gets one; the banner summary follows', async ({
    context,
    worker,
    fixtures,
  }) => {
    await recordReports(worker);
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/spa.html', '/a/admin/email/spa'));
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);

    await app(page).call('setStatus', 'sales@acme.com', 'Active');
    await expect(item(page, 'sales@acme.com')).toHaveAttribute('data-reauth-state', 'connected');
    await expect(item(page, 'sales@acme.com')).not.toHaveAttribute('data-reauth-scenario', /.*/);
    await expect(item(page, 'sales@acme.com').locator('reauth-assist-mark')).toHaveCount(0);

    await app(page).call('setStatusInPlace', 'team@acme.com', 'Disconnected');
    await expect(item(page, 'team@acme.com')).toHaveAttribute('data-reauth-scenario', 'password-expired');
    await expect(item(page, 'team@acme.com').locator('reauth-assist-mark')).toHaveCount(1);
    await expect(page.locator('reauth-assist-summary')).toHaveAttribute(
      'data-reauth-summary',
      '3 of 5 support emails need reauthorization: billing@acme.com, help@acme.com, team@acme.com · 2 connected',
    );
    await expect
      .poll(async () =>
        (await lastReport(worker))?.mailboxes.filter((m) => m.state === 'needs-reauth').map((m) => m.address),
      )
      .toEqual(['billing@acme.com', 'help@acme.com', 'team@acme.com']);
  });

  test('History API navigation: pushState to tickets clears the marks, Back brings them again', async ({
    context,
    worker,
    fixtures,
  }) => {
    await recordReports(worker);
    const page = await context.newPage();
    const url = serve(fixtures, 'a/admin/email/spa.html', '/a/admin/email/spa');
    await page.goto(url);
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);

    await app(page).call('navigate', '/a/tickets/list');
    await expect(page.locator('h1')).toHaveText('Tickets');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(0);
    await expect(page.locator('[data-reauth-state]')).toHaveCount(0);
    await expect(page.locator('reauth-assist-summary')).toHaveAttribute(
      'data-reauth-summary',
      'Open Admin > Channels > Email to see which support email needs reauthorization.',
    );
    await expect
      .poll(async () => {
        const r = await lastReport(worker);
        return r && { url: r.url, banner: r.bannerPresent, count: r.mailboxes.length };
      })
      .toEqual({ url: fixtures.url(HOST, '/a/tickets/list'), banner: true, count: 0 });

    await page.goBack();
    await expect(page.locator('h1')).toHaveText('Email');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
    await expect.poll(async () => (await lastReport(worker))?.url).toBe(url);
    expect((await lastReport(worker))?.mailboxes).toHaveLength(5);
  });

  test('pushState to the same view with no DOM change still reports the new URL', async ({
    context,
    worker,
    fixtures,
  }) => {
    await recordReports(worker);
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/spa.html', '/a/admin/email/spa'));
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
    await page.evaluate(() => history.pushState({}, '', '/a/admin/email/spa?tab=all'));
    await expect
      .poll(async () => (await lastReport(worker))?.url)
      .toBe(fixtures.url(HOST, '/a/admin/email/spa?tab=all'));
  });

  test('no flicker and no duplicates while the page keeps changing around unchanged rows', async ({
    context,
    fixtures,
  }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/spa.html', '/a/admin/email/spa'));
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
    await frames(page);

    // Record, in the page, every change to our attributes and every mark added or removed from now on.
    await page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { __log: string[] }).__log = log;
      new MutationObserver((records) => {
        for (const r of records) {
          const who = (r.target as Element).closest?.('[data-address]')?.getAttribute('data-address') ?? '?';
          if (r.type === 'attributes')
            log.push(
              `${who} ${r.attributeName} ${r.oldValue} -> ${(r.target as Element).getAttribute(r.attributeName!)}`,
            );
          else
            for (const n of [...r.addedNodes, ...r.removedNodes])
              if (n.nodeName.startsWith('REAUTH-ASSIST'))
                log.push(`${who} ${r.addedNodes.length ? 'added' : 'removed'} ${n.nodeName}`);
        }
      }).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeOldValue: true,
        attributeFilter: [
          'data-reauth-state',
          'data-reauth-scenario',
          'data-reauth-primary',
          'data-reauth-control',
          'data-reauth-assist',
        ],
      });
    });

    // Unrelated churn: counters inside every row, a tooltip elsewhere, many frames.
    for (let i = 0; i < 10; i++) {
      await app(page).call('tick');
      await page.evaluate((n) => document.querySelector('h1')!.setAttribute('title', `Email (${n})`), i);
      await frames(page, 1);
    }
    // One real change, in place: only that row's attributes change, value to value.
    await app(page).call('setStatusInPlace', 'billing@acme.com', 'Active');
    await expect(item(page, 'billing@acme.com')).toHaveAttribute('data-reauth-state', 'connected');
    for (let i = 0; i < 5; i++) {
      await app(page).call('tick');
      await frames(page, 1);
    }
    await frames(page);
    const log = await page.evaluate(() => (window as unknown as { __log: string[] }).__log);
    expect(log.sort()).toEqual(
      [
        'billing@acme.com data-reauth-state needs-reauth -> connected',
        'billing@acme.com data-reauth-scenario microsoft-basic-auth -> null',
        'billing@acme.com data-reauth-control reauthorize-link -> null',
        'billing@acme.com removed REAUTH-ASSIST-MARK',
      ].sort(),
    );
    await expect(page.locator('reauth-assist-mark')).toHaveCount(2);
    await expect(page.locator('reauth-assist-summary')).toHaveCount(1);
  });

  test('counters ticking in every row: a status beside them, their words, re-rendered rows are followed', async ({
    context,
    fixtures,
  }) => {
    const page = await openMarked(context, serve(fixtures, 'a/admin/email/spa.html', '/a/admin/email/spa'), 3);
    const ticks = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await app(page).call('tick');
        await frames(page, 1);
      }
    };
    await ticks(6);
    // A status beside a ticking counter, changed in place.
    await app(page).call('setStatusInPlace', 'billing@acme.com', 'Active');
    await expect(item(page, 'billing@acme.com')).toHaveAttribute('data-reauth-state', 'connected');
    // A counter's own words turned into a status (the watcher reads left-out counters again).
    await page.evaluate(() => {
      document.querySelector('.item[data-address="team@acme.com"] .ago')!.textContent = 'Reauthorization required';
    });
    await expect(item(page, 'team@acme.com')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    // The list re-rendered (new elements, counters ticking again), then a status changed in place in it.
    await app(page).call('rerender');
    await expect(item(page, 'team@acme.com')).toHaveAttribute('data-reauth-state', 'connected');
    await ticks(6);
    await app(page).call('setStatusInPlace', 'support@acme.com', 'Reauthorization required');
    await expect(item(page, 'support@acme.com')).toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
  });

  test('the highlighted control still does what the page made it do', async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, 'a/admin/email/spa.html', '/a/admin/email/spa'));
    const edit = item(page, 'sales@acme.com').locator('button.edit-btn');
    await expect(edit).toHaveAttribute('data-reauth-control', 'edit-icon');
    await edit.click();
    expect(await page.evaluate(() => (window as unknown as { app: { clicks: string[] } }).app.clicks)).toEqual([
      'sales@acme.com',
    ]);
  });
});
