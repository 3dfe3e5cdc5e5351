/**
 * Accessibility of what we draw on helpdesk pages, checked by axe-core on our own elements (their shadow roots
 * included) in light and dark: the marks closed and open, the banner summary with its help open, and the
 * SupportCenter Plus and Salesorder panels and field marks. Zero serious or critical violations; every action
 * reachable by keyboard with a visible focus ring. Built extension in Debian Chromium, replica pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { addHelpdeskOrigin } from '../support/custom-origin';
import { test, expect } from '../support/extension';
import { FIXTURES_DIR } from '../support/fixture-server';

const SCHEMES = ['light', 'dark'] as const;

/** Serious and critical violations in our elements, as "rule: target" lines (empty when there are none). */
async function violations(page: Page, selectors: string[]): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  for (const selector of selectors) builder = builder.include(selector);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`));
}

/** Tabs through `count` stops from the current focus; each focused element of ours shows a solid outline. */
async function tabStopsHaveRings(page: Page, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el || !(el.getRootNode() instanceof ShadowRoot)) return null;
      const style = getComputedStyle(el);
      return `${el.localName}${el.textContent ? `:${el.textContent.trim().slice(0, 30)}` : ''} ${style.outlineStyle}`;
    });
    if (stop) seen.push(stop);
  }
  return seen;
}

async function focusFirstOurs(locator: Locator): Promise<void> {
  await locator.evaluate((el: HTMLElement) => el.focus({ preventScroll: true }));
}

for (const scheme of SCHEMES) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme });

    test('Freshdesk: marks (closed, open) and the banner summary (help open)', async ({ context, fixtures }) => {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      fixtures.route(
        '/a/admin/email',
        readFileSync(join(FIXTURES_DIR, 'freshdesk', 'a/admin/email/index.html'), 'utf8'),
      );
      await page.goto(fixtures.url('acme.freshdesk.com', '/a/admin/email'));
      await expect(page.locator('reauth-assist-mark')).toHaveCount(3);
      await expect(page.locator('reauth-assist-summary')).toHaveCount(1);
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');

      expect(await violations(page, ['reauth-assist-mark', 'reauth-assist-summary'])).toEqual([]);

      // The banner's help open, its copy button reachable.
      const help = page.locator('reauth-assist-summary details[data-assist="more-help"]');
      await help.locator('summary').click();
      await expect(help.locator('[data-assist="copy-ips"]')).toBeVisible();
      expect(await violations(page, ['reauth-assist-summary'])).toEqual([]);

      // Each mark open (the primary one too): the popover, its buttons and its steps.
      for (let i = 0; i < 3; i++) {
        const mark = page.locator('reauth-assist-mark').nth(i);
        await focusFirstOurs(mark.locator('button.pill'));
        await page.keyboard.press('Enter');
        await expect(mark.locator('ol.steps li').first()).toBeVisible();
        expect(await violations(page, ['reauth-assist-mark'])).toEqual([]);
        // Keyboard: from the popover, Tab reaches the close button and the re-authorize button, each with a ring.
        const stops = await tabStopsHaveRings(page, 2);
        expect(stops.length).toBe(2);
        for (const stop of stops) expect(stop).toMatch(/ solid$/);
        await page.keyboard.press('Escape');
      }
    });

    for (const [host, path] of [
      ['servicedesk.contoso-it.test', '/supportcenter/app/admin/mail-server-settings/incoming/'],
      ['crm.contoso-sales.test', '/salesorder/setup/configuration/email/mail-accounts/'],
      ['crm.contoso-sales.test', '/salesorder/setup/configuration/email/mail-accounts/new-microsoft-365/'],
    ] as const) {
      test(`${path}: the panel and field marks`, async ({ context, fixtures }) => {
        await addHelpdeskOrigin(context, `https://${host}`);
        const page = await context.newPage();
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`https://${host}:${fixtures.port}${path}`);
        const panel = page.locator('reauth-assist-panel');
        await expect(panel).toBeVisible();
        await expect(panel.locator('button').first()).toBeVisible();
        const ours = ['reauth-assist-panel'];
        if ((await page.locator('reauth-assist-field-mark').count()) > 0) ours.push('reauth-assist-field-mark');
        expect(await violations(page, ours)).toEqual([]);

        // Keyboard: every control of the panel is a tab stop with a visible ring.
        const controls = await panel
          .locator('button:visible, select:visible, input:visible, textarea:visible, a[href]:visible, summary:visible')
          .count();
        await panel.locator('section').evaluate((el: HTMLElement) => {
          el.tabIndex = -1;
          el.focus();
        });
        const stops = await tabStopsHaveRings(page, controls);
        expect(stops.length).toBe(controls);
        for (const stop of stops) expect(stop).toMatch(/ solid$/);
      });
    }
  });
}
