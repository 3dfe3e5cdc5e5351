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
