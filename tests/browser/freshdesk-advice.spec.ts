/**
 * The Freshdesk article's advice beyond one mailbox's steps, on the page (built extension, Debian Chromium,
 * fixtures under Freshdesk's real paths): Freshdesk's 18 IP addresses copied in one click, the retry policy,
 * ports; the banner that stays while every mailbox is connected; Save, the Others section, switching
 * accounts and Scenario 4 in the marks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRESHDESK_IP_ADDRESSES } from '../../lib/advice';
import { test, expect } from '../support/extension';
import { FIXTURES_DIR, type FixtureServer } from '../support/fixture-server';

const HOST = 'acme.freshdesk.com';
const PAGE = readFileSync(join(FIXTURES_DIR, 'freshdesk', 'a/admin/email/index.html'), 'utf8');

function serve(fixtures: FixtureServer, html: string): string {
  fixtures.route('/a/admin/email', html);
  return fixtures.url(HOST, '/a/admin/email');
}

test('the 18 IP addresses to allowlist, copied in one click; retries and ports explained', async ({
  context,
  fixtures,
}) => {
  const page = await context.newPage();
  const url = serve(fixtures, PAGE);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  await page.goto(url);
  const help = page.locator('reauth-assist-summary details[data-assist="more-help"]');
  await help.locator('summary').click();
  await expect(help.locator('[data-assist="ip-list"]')).toHaveText(FRESHDESK_IP_ADDRESSES.join(', '));
  await expect(help.locator('[data-assist="ip-list"]')).toContainText('13.232.159.149');
  await expect(help.locator('[data-assist="ip-list"]')).toContainText('65.1.183.201');

  await help.locator('[data-assist="copy-ips"]').click();
  await expect(help.locator('[data-assist="copy-ips-status"]')).toHaveText('Copied 18 addresses, one a line.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.split('\n')).toEqual([...FRESHDESK_IP_ADDRESSES]);
  expect(copied.split('\n')).toHaveLength(18);

  await expect(help.locator('[data-assist="retry-policy"]')).toContainText('up to 8 times over about 12 minutes');
  await expect(help.locator('[data-assist="retry-policy"]')).toContainText('nothing to do');
  await expect(help.locator('[data-assist="ports"] li')).toHaveText([
    /IMAP port 993 and SMTP port 465/,
    /port 587 with STARTTLS and does not answer on 465/,
  ]);
  // Broken mailboxes on the page: the "banner still showing" advice is not what this page needs.
  await expect(page.locator('reauth-assist-summary [data-assist="banner-still-showing"]')).toHaveCount(0);
});

test(
  'the marks carry Save, the Others section, switching accounts and Scenario 4 when the ' +
    'standard steps did not help',
  async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.goto(serve(fixtures, PAGE));
    const billing = page.locator('#row-billing reauth-assist-mark');
    await billing.locator('button.pill').click();
    const notes = billing.locator('ul.notes');
    await expect(notes).toContainText('Click Save at the end');
    await expect(notes).toContainText('Others section');
    await expect(notes).toContainText('From Gmail to Microsoft: choose Microsoft Office 365, Sign in with Microsoft');
    await expect(notes).toContainText('Standard steps did not clear it? If this is the primary address (Scenario 4)');
  },
);

test(
  'the banner still shows while every support email is connected: refresh / private window, ' +
    'the agent address, secondary addresses and team inboxes',
  async ({ context, fixtures }) => {
    const page = await context.newPage();
    const connected = PAGE.replace(
      /<span class="status-error">[^<]*<\/span>/g,
      '<span class="status-ok">Connected</span>',
    ).replace(/<a href="#reauthorize-billing" class="reauth-link">Re-authorize<\/a>/, '');
    await page.goto(serve(fixtures, connected));
    const summary = page.locator('reauth-assist-summary');
    await expect(summary).toHaveAttribute(
      'data-reauth-summary',
      'None of the 5 support emails on this page needs reauthorization · 5 connected',
    );
    const still = summary.locator('[data-assist="banner-still-showing"]');
    await expect(still).toContainText('The banner still shows, yet every support email here is connected');
    await expect(still.locator('li')).toHaveText([
      /Refresh Freshdesk, or clear the browser's cache and cookies; a private \(incognito\) window/,
      /agent email address changed/,
      /secondary addresses and team inboxes/,
    ]);
  },
);
