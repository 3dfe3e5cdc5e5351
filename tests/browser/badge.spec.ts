/// <reference types="chrome" />
/**
 * The toolbar badge, read from the extension's worker: the number of mailboxes needing reauthorization in
 * that tab, per tab, following the page live, empty when none or when the tab leaves the helpdesk.
 */
import Color from 'colorjs.io';
import { test, expect } from '../support/extension';
import { badgeText, badgeTitle, serveFixture, tabIdOf } from '../support/extension-state';

const EMAIL_PAGE = 'freshdesk/a/admin/email/index.html';

test('counts the affected mailboxes of each tab separately and follows the page', async ({
  context,
  worker,
  fixtures,
}) => {
  const acme = await context.newPage();
  await acme.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'acme.freshdesk.com'));
  const acmeTab = await tabIdOf(worker, acme);
  await expect.poll(() => badgeText(worker, acmeTab)).toBe('3');
  expect(await badgeTitle(worker, acmeTab)).toBe('Reauth Assist: 3 support mailboxes need reauthorization');

  // Another tab, nothing broken there: its badge stays empty while the first keeps its count.
  const globex = await context.newPage();
  await globex.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'globex.freshdesk.com'));
  await expect(globex.locator('[data-reauth-state]')).toHaveCount(5);
  await globex.evaluate(() => {
    for (const status of document.querySelectorAll('.status-error')) {
      status.className = 'status-ok';
      status.textContent = 'Active';
    }
    // Migrated to OAuth: no Basic authentication and no Re-authorize link left either.
    document.querySelector('#row-billing .auth')?.remove();
    document.querySelector('#row-billing .reauth-link')?.remove();
  });
  await expect(globex.locator('[data-reauth-state="needs-reauth"]')).toHaveCount(0);
  const globexTab = await tabIdOf(worker, globex);
  await expect.poll(() => badgeText(worker, globexTab)).toBe('');
  expect(await badgeText(worker, acmeTab)).toBe('3');

  // One mailbox on the first page is reauthorized: the count follows.
  await acme.evaluate(() => {
    const status = document.querySelector('#row-sales .status-error')!;
    status.className = 'status-ok';
    status.textContent = 'Active';
  });
  await expect.poll(() => badgeText(worker, acmeTab)).toBe('2');

  // Leaving the helpdesk clears it.
  fixtures.route('/news', '<title>News</title><p>Nothing to see</p>');
  await acme.goto(fixtures.url('news.example.test', '/news'));
  await expect.poll(() => badgeText(worker, acmeTab)).toBe('');
  expect(await badgeTitle(worker, acmeTab)).toBe('Reauth Assist');
});

/** WCAG 2.1 contrast ratio of two opaque RGBA colours as chrome.action reports them (0..255 per channel). */
function contrast([r1, g1, b1]: number[], [r2, g2, b2]: number[]): number {
  const color = (r: number, g: number, b: number) => new Color('srgb', [r / 255, g / 255, b / 255]);
  return color(r1!, g1!, b1!).contrast(color(r2!, g2!, b2!), 'WCAG21');
}

test('the badge text is readable on its background: WCAG contrast of at least 4.5:1, opaque', async ({
  context,
  worker,
  fixtures,
}) => {
  const page = await context.newPage();
  await page.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'acme.freshdesk.com'));
  const tabId = await tabIdOf(worker, page);
  await expect.poll(() => badgeText(worker, tabId)).toBe('3');
  // The helpdesk tab's badge and the global one (the companion's count on every other tab).
  const faces = await worker.evaluate(
    async (id) => [
      [
        await chrome.action.getBadgeBackgroundColor({ tabId: id }),
        await chrome.action.getBadgeTextColor({ tabId: id }),
      ],
      [await chrome.action.getBadgeBackgroundColor({}), await chrome.action.getBadgeTextColor({})],
    ],
    tabId,
  );
  for (const [background, text] of faces) {
    expect(background![3]).toBe(255);
    expect(text![3]).toBe(255);
    // 4.5:1 is WCAG's minimum for normal-size text (1.4.3); the badge's text is small.
    expect(contrast(text!, background!)).toBeGreaterThanOrEqual(4.5);
  }
});

test('a help article quoting the banner gets no badge', async ({ context, worker, fixtures }) => {
  fixtures.route(
    '/support/solutions/articles/50000001',
    `<title>Reauthorize your email</title><article><p>If you see a banner stating, 'Please reauthorize your Email
    settings', do this.</p><table><tr><td>billing@acme.com</td><td>Reauthorization ` +
      `required</td></tr></table></article>`,
  );
  const article = await context.newPage();
  await article.goto(fixtures.url('acme.freshdesk.com', '/support/solutions/articles/50000001'));
  // Positive control opened after the article: once its badge shows, the article's page had its chance.
  const admin = await context.newPage();
  await admin.goto(serveFixture(fixtures, EMAIL_PAGE, '/a/admin/email', 'acme.freshdesk.com'));
  const adminTab = await tabIdOf(worker, admin);
  await expect.poll(() => badgeText(worker, adminTab)).toBe('3');
  expect(await badgeText(worker, await tabIdOf(worker, article))).toBe('');
});
