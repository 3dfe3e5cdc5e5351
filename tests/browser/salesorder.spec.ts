/// <reference types="chrome" />
/**
 * Salesorder (replicas written from seed 004: a div/flex app with ARIA roles and labels), on the admin's own
 * domain added in the options page, with the built extension in Chromium: the Generic accounts on Microsoft
 * 365 listed and exported as CSV before anything is deleted; the Corporate account form's checks; the Test
 * Connection result explained; and, against the local identity provider, companion, Dovecot and SMTP: the
 * SMTP AUTH prerequisite checked for real by Verify, and the folder mapping suggested from Dovecot's
 * special-use flags and applied through the page's own dropdown events.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { ACCOUNTS } from '../stack';
import { openVerifyPage, signInOnVerifyPage, useAssistE2E } from '../support/assist-e2e';
import { startChildCompanion, tempDataDir, type ChildCompanion } from '../companion/companion-support';
import { addHelpdeskOrigin } from '../support/custom-origin';
import { startDnsServer, type TestDnsServer } from '../support/dns-server';
import { test, expect } from '../support/extension';
import { popupTabFor } from '../support/popup-tab';
import { sameLayoutWithExtension } from '../support/layout';
import { openOptions, pairCompanion } from '../support/options-page';

const HOST = 'crm.contoso-sales.test';
const ORIGIN = `https://${HOST}`;
const LIST = '/salesorder/setup/configuration/email/mail-accounts/';
const FORM = '/salesorder/setup/configuration/email/mail-accounts/new-microsoft-365/';
/** A second list layout: a plain table, other column names, a Status column, no server columns. */
const VARIANT = '/salesorder/variant/mail-accounts/';

const assistPanel = (page: Page) => page.locator('reauth-assist-panel');
const mark = (page: Page, field: string) => page.locator(`reauth-assist-field-mark[data-reauth-field="${field}"]`);

test.describe('mail accounts and the Corporate account form', () => {
  test.beforeEach(async ({ context }) => {
    await addHelpdeskOrigin(context, ORIGIN);
  });

  test(
    'lists the Generic accounts on Microsoft 365 (and those the page cannot tell), exports ' +
      'them as CSV or copies them before anything is deleted',
    async ({ context, fixtures }) => {
      const page = await context.newPage();
      await page.goto(`https://${HOST}:${fixtures.port}${LIST}`);
      const box = assistPanel(page);
      await expect(box).toHaveAttribute('data-reauth-accounts', '2');
      await expect(box).toHaveAttribute('data-reauth-unsure', '1');
      await expect(box.locator('[data-assist="accounts-summary"]')).toContainText(
        '3 of 5 mail accounts need attention.',
      );
      await expect(box.locator('[data-assist="accounts-summary"]')).toContainText(
        '2 Generic accounts on Microsoft 365 must be deleted before you configure OAuth',
      );
      await expect(box.locator('[data-assist="delete"] tr[data-account]')).toHaveText([
        'Sales inboxSales Teamsales@contoso.testsales@contoso.test',
        'Accounts, EUAnna "Accounts" Bergaccounts@contoso.testaccounts@contoso.test',
      ]);
      await expect(box.locator('[data-assist="unsure-accounts"] tr[data-account]')).toHaveText([
        'Old supportSupportoldsupport@contoso.testoldsupport@contoso.testnslookup -type=mx contoso.test',
      ]);
      await expect(box.locator('[data-assist="unsure"]')).toContainText('MX records');
      await expect(box.locator('[data-assist="unsure"]')).toContainText('The companion is not paired');
      // The Corporate account and the account on another server are not listed; each listed row is marked.
      await expect(page.locator('reauth-assist-field-mark[data-reauth-rule="generic-on-microsoft-365"]')).toHaveCount(
        2,
      );
      await expect(page.locator('[data-account-id="11"] reauth-assist-field-mark')).toContainText(
        'delete it before configuring OAuth',
      );
      await expect(page.locator('[data-account-id="13"] reauth-assist-field-mark')).toHaveCount(0);
      await expect(page.locator('[data-account-id="15"] reauth-assist-field-mark')).toHaveCount(0);

      const download = page.waitForEvent('download');
      await box.locator('[data-assist="csv"]').click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('salesorder-generic-mail-accounts.csv');
      expect(await readFile((await file.path())!, 'utf8')).toBe(
        'Account,Sender name,Sender email,Username\r\n' +
          'Sales inbox,Sales Team,sales@contoso.test,sales@contoso.test\r\n' +
          '"Accounts, EU","Anna ""Accounts"" Berg",accounts@contoso.test,accounts@contoso.test\r\n' +
          'Old support,Support,oldsupport@contoso.test,oldsupport@contoso.test\r\n',
      );
      await expect(box.locator('[data-assist="export-status"]')).toContainText(
        'Downloaded salesorder-generic-mail-accounts.csv',
      );

      // Copy: one account a line, tab-separated (pastes into a spreadsheet's columns).
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `${ORIGIN}:${fixtures.port}` });
      await box.locator('[data-assist="copy"]').click();
      await expect(box.locator('[data-assist="export-status"]')).toContainText(
        'Copied: account, sender name, sender email, username',
      );
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        'Sales inbox\tSales Team\tsales@contoso.test\tsales@contoso.test\n' +
          'Accounts, EU\tAnna "Accounts" Berg\taccounts@contoso.test\taccounts@contoso.test\n' +
          'Old support\tSupport\toldsupport@contoso.test\toldsupport@contoso.test',
      );

      // The admin deletes one in the page (its own re-render): the list follows.
      await page.locator('[data-delete="11"]').click();
      await expect(box).toHaveAttribute('data-reauth-accounts', '1');
      await expect(box.locator('tr[data-account]')).toHaveCount(2);
    },
  );

  test(
    'a list laid out and worded differently, companion not paired: the failing row gets ' +
      "Salesorder's steps, Gmail is never listed, the rest is unsure with the command; the " +
      'popup counts the same mail accounts',
    async ({ context, fixtures }) => {
      const page = await context.newPage();
      await page.goto(`https://${HOST}:${fixtures.port}${VARIANT}`);
      const box = assistPanel(page);
      await expect(box).toHaveAttribute('data-reauth-total', '4');
      await expect(box).toHaveAttribute('data-reauth-accounts', '0');
      await expect(box).toHaveAttribute('data-reauth-unsure', '2');
      await expect(box.locator('[data-assist="accounts-summary"]')).toContainText(
        '2 of 4 mail accounts need attention.',
      );
      await expect(box.locator('[data-assist="unsure-accounts"] [data-assist="mx-command"]')).toHaveText([
        'nslookup -type=mx contoso.test',
        'nslookup -type=mx fabrikam.test',
      ]);
      await expect(box.locator('tr[data-account="orders.contoso@gmail.com"]')).toHaveCount(0);
      await expect(page.locator('#a2 reauth-assist-field-mark')).toHaveCount(0);
      await expect(page.locator('#a4 reauth-assist-field-mark')).toHaveCount(0);

      // "Authentication failed" in the list's own Status column: explained, with Salesorder's steps, never Freshdesk's.
      const failure = box.locator('[data-failure="sales@contoso.test"]');
      await expect(failure).toHaveAttribute('data-outcome', 'imap-disabled-or-wrong-user');
      await expect(failure).toContainText('the list says Authentication failed');
      await expect(failure.locator('[data-assist="salesorder-steps"]')).toContainText('Edit this Generic account');
      await expect(page.locator('body')).not.toContainText('Admin > Channels > Email');
      await expect(page.locator('reauth-assist-mark')).toHaveCount(0);
      await expect(page.locator('[data-reauth-state]')).toHaveCount(0);

      // Salesorder's offer to do it: a prepared mail to its support with the list.
      const support = box.locator('[data-assist="mail-support"]');
      await expect(support).toHaveAttribute('href', /^mailto:support@salesorder\.com\?subject=/);
      expect(decodeURIComponent((await support.getAttribute('href'))!)).toContain(
        'Sales\t\tsales@contoso.test\tsales@contoso.test',
      );

      const tab = await popupTabFor(context, HOST);
      await expect(tab.getByTestId('summary')).toHaveText('2 of 4 mail accounts need attention');
      await expect(tab.locator('li.mailbox[data-address="sales@contoso.test"] .scenario')).toContainText(
        'nslookup -type=mx contoso.test',
      );
      await expect(tab).not.toContainText('Scenario');
    },
  );

  for (const [name, path] of [
    ['mail accounts (ARIA grid)', LIST],
    ['mail accounts (table)', VARIANT],
    ['Corporate account form', FORM],
  ] as const) {
    test(
      `${name}: every row's and grid's children and boxes are the same with the extension running`,
      sameLayoutWithExtension('unlisted-crm.contoso-sales.test', HOST, path, async (p) => {
        await expect(assistPanel(p)).toBeVisible();
        await expect(p.locator('reauth-assist-field-mark').first()).toBeAttached();
      }),
    );
  }

  test(
    'Corporate account: Use OAuth unticked and a username that is not the mailbox are ' + 'marked; fixed, the marks go',
    async ({ context, fixtures }) => {
      const page = await context.newPage();
      await page.goto(`https://${HOST}:${fixtures.port}${FORM}`);
      await expect(mark(page, 'useOAuth')).toHaveAttribute('data-reauth-rule', 'use-oauth-unticked');
      await expect(mark(page, 'useOAuth')).toContainText('Tick Use OAuth');
      await expect(mark(page, 'username')).toHaveAttribute('data-reauth-rule', 'username-not-mailbox');
      await expect(mark(page, 'username')).toContainText(
        'Username CONTOSO\\support is not the mailbox address support@contoso.test.',
      );

      await page.getByRole('checkbox', { name: 'Use OAuth' }).check();
      await page.getByRole('textbox', { name: 'Username' }).fill('support@contoso.test');
      await expect(page.locator('reauth-assist-field-mark')).toHaveCount(0);
      await expect(assistPanel(page).locator('[data-assist="summary"]')).toHaveText(
        'Use OAuth is ticked and the username is the mailbox address.',
      );
    },
  );

  test(
    'Test Connection results explained: SMTP AUTH off for the tenant, admin consent with the ' +
      'admin-consent URL, success',
    async ({ context, fixtures }) => {
      const page = await context.newPage();
      const outcome = assistPanel(page).locator('[data-assist="test-connection"]');

      await page.goto(`https://${HOST}:${fixtures.port}${FORM}?test=smtp-auth-disabled`);
      await expect(outcome).toHaveAttribute('data-outcome', 'none');
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await expect(outcome).toHaveAttribute('data-outcome', 'smtp-auth-disabled-tenant');
      await expect(outcome).toContainText('Turn off SMTP AUTH protocol for your organization');

      await page.goto(`https://${HOST}:${fixtures.port}${FORM}?test=admin-consent`);
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await expect(outcome).toHaveAttribute('data-outcome', 'admin-consent');
      await expect(outcome.locator('[data-assist="admin-consent"]')).toHaveAttribute(
        'href',
        'https://login.microsoftonline.com/contoso.test/adminconsent' +
          '?client_id=5a1e5a1e-0000-4000-8000-5a1e50de0700' +
          '&redirect_uri=https%3A%2F%2Fapp.salesorder.test%2Foauth%2Fmicrosoft%2Fcallback',
      );

      await page.goto(`https://${HOST}:${fixtures.port}${FORM}?test=ok`);
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await expect(outcome).toHaveAttribute('data-outcome', 'ok');
    },
  );

  test('folders cannot be asked for a mailbox not verified from this page', async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(`https://${HOST}:${fixtures.port}${FORM}`);
    await assistPanel(page).locator('[data-assist="list-folders"]').click();
    await expect(assistPanel(page).locator('[data-assist="folders"]')).toHaveText(
      'Verify support@contoso.test from this page first (sign in as support@contoso.test ' +
        'on the verify page): its folders are listed with that sign-in.',
    );
  });
});

test.describe(
  "where each Generic account's mail is hosted: MX records through the paired companion and " +
    'a real DNS server on loopback',
  () => {
    let dns: TestDnsServer;
    let companion: ChildCompanion;

    test.beforeAll(async () => {
      dns = await startDnsServer({
        'contoso.test': { mx: [['contoso-test.mail.protection.outlook.com', 0]] },
        'fabrikam.test': {
          mx: [
            ['aspmx.l.google.com', 1],
            ['alt1.aspmx.l.google.com', 5],
          ],
        },
      });
      companion = await startChildCompanion(tempDataDir(), ['--check-interval', '3600', '--dns-server', dns.address]);
    });
    test.afterAll(async () => {
      await companion?.kill();
      await dns?.close();
    });

    test(
      'Microsoft 365 by MX is must-delete, Google by MX and Gmail are not; headline, table, ' + 'marks and popup agree',
      async ({ context, fixtures }) => {
        const options = await openOptions(context);
        await pairCompanion(options, companion.url, companion.secret!);
        await options.close();
        await addHelpdeskOrigin(context, ORIGIN);

        const page = await context.newPage();
        await page.goto(`https://${HOST}:${fixtures.port}${VARIANT}`);
        const box = assistPanel(page);
        await expect(box).toHaveAttribute('data-reauth-accounts', '1');
        await expect(box).toHaveAttribute('data-reauth-unsure', '0');
        await expect(box.locator('[data-assist="accounts-summary"]')).toContainText(
          '1 of 4 mail accounts need attention. 1 Generic account on Microsoft 365 must be deleted',
        );
        await expect(box.locator('[data-assist="delete"] tr[data-account]')).toHaveText([
          'Salessales@contoso.testsales@contoso.test',
        ]);
        await expect(box.locator('[data-assist="unsure"]')).toHaveCount(0);
        await expect(page.locator('#a1 reauth-assist-field-mark')).toHaveAttribute(
          'data-reauth-rule',
          'generic-on-microsoft-365',
        );
        await expect(page.locator('#a1 reauth-assist-field-mark')).toContainText(
          "its domain's MX records are Microsoft 365's",
        );
        await expect(page.locator('#a3 reauth-assist-field-mark')).toHaveCount(0);
        await expect(box.locator('[data-failure="sales@contoso.test"] [data-assist="salesorder-steps"]')).toContainText(
          'New Microsoft 365 Account (Corporate)',
        );
        // The companion asked this server.
        expect(
          dns.queries
            .filter((q) => q.type === 15)
            .map((q) => q.name)
            .sort(),
        ).toEqual(['contoso.test', 'fabrikam.test']);

        const tab = await popupTabFor(context, HOST);
        await expect(tab.getByTestId('summary')).toHaveText('1 of 4 mail accounts need attention');
        await expect(tab.locator('li.mailbox')).toHaveCount(1);
        await expect(tab.locator('li.mailbox[data-address="sales@contoso.test"] .scenario')).toContainText(
          'Generic account on Microsoft 365',
        );
      },
    );
  },
);

test.describe('SMTP AUTH prerequisite and folder mapping (real identity provider, companion, Dovecot and SMTP)', () => {
  test.describe.configure({ mode: 'serial' });
  const e2e = useAssistE2E(test, ORIGIN);

  async function openForm(sender: string): Promise<Page> {
    const page = await e2e().context.newPage();
    await page.goto(`https://${HOST}:${e2e().fixtures.port}${FORM}`);
    await page.getByRole('textbox', { name: 'Sender email' }).fill(sender);
    await page.getByRole('textbox', { name: 'Username' }).fill(sender);
    await page.getByRole('checkbox', { name: 'Use OAuth' }).check();
    await expect(page.locator('reauth-assist-field-mark')).toHaveCount(0);
    return page;
  }

  test(
    '"Turn off SMTP AUTH protocol for your organization" still checked: Verify\'s SMTP step ' +
      'finds it and says where to uncheck it',
    async () => {
      test.setTimeout(120_000);
      const address = ACCOUNTS.smtpDisabled.email;
      const page = await openForm(address);
      const verify = await openVerifyPage(e2e().context, () =>
        assistPanel(page).locator('[data-assist="verify-smtp"]').click(),
      );
      await expect(verify.locator(`[data-verify-request="${address}"]`)).toContainText(
        'Turn off SMTP AUTH protocol for your organization',
      );
      await signInOnVerifyPage(e2e().context, verify, address);
      const box = verify.locator(`[data-verify-request] [data-verify-mailbox="${address}"]`);
      await box.locator('[data-verify="start"]').click();
      await expect(box.locator('[data-verdict]')).toBeVisible({ timeout: 60_000 });
      await expect(box.locator('[data-step-id="smtp-auth"]')).toHaveAttribute('data-step-status', 'failed');
      await expect(box.locator('[data-verdict]')).toContainText('Turn off SMTP AUTH protocol for your organization');
    },
  );

  test(
    'folder list from Dovecot with special-use flags; the suggested mapping applied through ' +
      "the dropdowns' own change events",
    async () => {
      test.setTimeout(120_000);
      const address = ACCOUNTS.support.email;
      const page = await openForm(address);
      const verify = await openVerifyPage(e2e().context, () =>
        assistPanel(page).locator('[data-assist="verify-smtp"]').click(),
      );
      await signInOnVerifyPage(e2e().context, verify, address);

      await page.bringToFront();
      const box = assistPanel(page);
      await box.locator('[data-assist="list-folders"]').click();
      const rows = box.locator('[data-assist="folders"] tr[data-folder]');
      await expect(rows.first()).toBeVisible({ timeout: 20_000 });
      const table = await rows.evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      expect(table).toEqual(
        expect.arrayContaining([
          ['INBOX', '', 'Inbox'],
          ['Sent', '\\Sent', 'Sent'],
          ['Drafts', '\\Drafts', 'Drafts'],
          ['Junk', '\\Junk', 'Junk'],
          ['Trash', '\\Trash', 'Deleted items'],
          ['Archive', '\\Archive', 'Archive'],
        ]),
      );

      await box.locator('[data-assist="apply-mapping"]').click();
      const selected = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('#mapping select')].map((s) => [
            s.getAttribute('data-role'),
            (s as HTMLSelectElement).value,
          ]),
        ),
      );
      expect(selected).toEqual({
        inbox: 'INBOX',
        sent: 'Sent',
        drafts: 'Drafts',
        junk: 'Junk',
        trash: 'Trash',
        archive: 'Archive',
      });
      // The page's own listener saw every change.
      await expect(page.locator('#mappingNote')).toHaveText('6 of 6 folders mapped. Save your changes.');
      const events = await page.evaluate(
        () => (window as unknown as { __soEvents: Array<{ role: string; value: string }> }).__soEvents,
      );
      expect(events.map((e) => e.role).sort()).toEqual(['archive', 'drafts', 'inbox', 'junk', 'sent', 'trash']);
      await expect(box.locator('[data-assist="apply-status"]')).toContainText('Applied 6');
    },
  );
});
