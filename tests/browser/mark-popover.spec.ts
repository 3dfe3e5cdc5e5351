/**
 * A mark opens as a popover in the top layer, next to its pill, and the helpdesk page does not move: every row's
 * box and the scroll position are the same before, while and after a mark is open, whether it is opened and
 * closed by mouse (click, click outside) or keyboard (Enter, Escape). Built extension in Debian Chromium,
 * Freshdesk replica pages under their real paths.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../support/extension';
import { FIXTURES_DIR, type FixtureServer } from '../support/fixture-server';

const HOST = 'acme.freshdesk.com';
/** Rows below the list, so the page scrolls and a jump of the scroll position would show. */
const SPACER = '<div id="spacer" style="height: 1500px"></div></body>';

function serve(fixtures: FixtureServer, file: string, path: string): string {
  const html = readFileSync(join(FIXTURES_DIR, 'freshdesk', file), 'utf8').replace('</body>', SPACER);
  fixtures.route(path, html);
  return fixtures.url(HOST, path);
}

interface Layout {
  scrollY: number;
  boxes: string[];
}

/** Every element of the page's own (not ours) with its box in document coordinates, and the scroll position. */
function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const boxes: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.localName.startsWith('reauth-assist-')) continue;
      const r = el.getBoundingClientRect();
      boxes.push(`${el.localName}#${el.id} ${r.left},${r.top + window.scrollY} ${r.width}x${r.height}`);
    }
    return { scrollY: window.scrollY, boxes };
  });
}

const pills = (page: Page) => page.locator('reauth-assist-mark button.pill');
const popoverOf = (mark: Locator) => mark.locator('[popover]');

function isOpen(pop: Locator): Promise<boolean> {
  return pop.evaluate((el) => el.matches(':popover-open'));
}

/** What has focus, seen from the mark's shadow root: 'pill', 'popover', 'inside' or 'elsewhere'. */
function focusIn(mark: Locator): Promise<string> {
  return mark.evaluate((host) => {
    const active = host.shadowRoot?.activeElement ?? null;
    if (!active) return 'elsewhere';
    if (active.classList.contains('pill')) return 'pill';
    if (active.hasAttribute('popover')) return 'popover';
    return active.closest('[popover]') ? 'inside' : 'elsewhere';
  });
}

async function pillCenter(pill: Locator): Promise<{ x: number; y: number }> {
  const box = (await pill.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

for (const [file, path] of [
  ['a/admin/email/index.html', '/a/admin/email'],
  ['a/admin/email/grid.html', '/a/admin/email/grid'],
  ['a/admin/email/cards.html', '/a/admin/email/cards'],
] as const) {
  test(`${path}: opening and closing every mark moves nothing on the page`, async ({ context, fixtures }) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 700 });
    await page.goto(serve(fixtures, file, path));
    await expect(pills(page).first()).toBeVisible();
    const count = await pills(page).count();
    expect(count).toBeGreaterThan(1);
    await page.evaluate(() => window.scrollTo(0, 30));
    const before = await layout(page);
    expect(before.scrollY).toBe(30);

    for (let i = 0; i < count; i++) {
      const mark = page.locator('reauth-assist-mark').nth(i);
      const pill = mark.locator('button.pill');
      const pop = popoverOf(mark);
      await expect(pill).toHaveAttribute('aria-expanded', 'false');
      await expect(pill).toHaveAttribute('aria-controls', (await pop.getAttribute('id'))!);

      // Mouse: click the pill; the popover opens in the top layer, next to the pill, with focus inside it.
      const at = await pillCenter(pill);
      await page.mouse.click(at.x, at.y);
      await expect.poll(() => isOpen(pop)).toBe(true);
      await expect(pill).toHaveAttribute('aria-expanded', 'true');
      await expect(mark.locator('ol.steps li').first()).toBeVisible();
      await expect.poll(() => focusIn(mark)).toBe('popover');
      const pillBox = (await pill.boundingBox())!;
      const popBox = (await pop.boundingBox())!;
      // Below the pill (or above it when there is no room), overlapping it horizontally.
      const nextTo = popBox.y >= pillBox.y + pillBox.height - 1 || popBox.y + popBox.height <= pillBox.y + 1;
      expect(nextTo).toBe(true);
      expect(Math.abs(popBox.y - (pillBox.y + pillBox.height)) < 12 || popBox.y + popBox.height <= pillBox.y + 1).toBe(
        true,
      );
      expect(popBox.x < pillBox.x + pillBox.width && popBox.x + popBox.width > pillBox.x).toBe(true);
      expect(await layout(page)).toEqual(before);

      // Mouse: a click outside (on the page's heading) closes it; the page keeps the focus it gave.
      await page.mouse.click(5, 5 + 0);
      await expect.poll(() => isOpen(pop)).toBe(false);
      await expect(pill).toHaveAttribute('aria-expanded', 'false');
      expect(await layout(page)).toEqual(before);

      // Keyboard: Enter on the pill opens it with focus inside; Tab reaches its buttons with a visible ring;
      // Escape closes it and gives the focus back to the pill.
      await pill.evaluate((el: HTMLElement) => el.focus({ preventScroll: true }));
      await page.keyboard.press('Enter');
      await expect.poll(() => isOpen(pop)).toBe(true);
      await expect.poll(() => focusIn(mark)).toBe('popover');
      await page.keyboard.press('Tab');
      await expect.poll(() => focusIn(mark)).toBe('inside');
      const ring = await mark.evaluate((host) => getComputedStyle(host.shadowRoot!.activeElement!).outlineStyle);
      expect(ring).toBe('solid');
      expect(await layout(page)).toEqual(before);
      await page.keyboard.press('Escape');
      await expect.poll(() => isOpen(pop)).toBe(false);
      await expect.poll(() => focusIn(mark)).toBe('pill');
      await expect(pill).toHaveAttribute('aria-expanded', 'false');
      expect(await layout(page)).toEqual(before);

      // The close button closes it too, focus back on the pill.
      await page.keyboard.press('Space');
      await expect.poll(() => isOpen(pop)).toBe(true);
      await mark.locator('button.close').click();
      await expect.poll(() => isOpen(pop)).toBe(false);
      await expect.poll(() => focusIn(mark)).toBe('pill');
      expect(await layout(page)).toEqual(before);
    }
  });
}

test('one mark open at a time; the popover follows its pill when the page scrolls', async ({ context, fixtures }) => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.goto(serve(fixtures, 'a/admin/email/index.html', '/a/admin/email'));
  const first = page.locator('reauth-assist-mark').nth(0);
  const second = page.locator('reauth-assist-mark').nth(1);
  await expect(first.locator('button.pill')).toBeVisible();
  await first.locator('button.pill').evaluate((el: HTMLElement) => el.focus({ preventScroll: true }));
  await page.keyboard.press('Enter');
  await expect.poll(() => isOpen(popoverOf(first))).toBe(true);
  const gap = async () => {
    const pill = (await first.locator('button.pill').boundingBox())!;
    const pop = (await popoverOf(first).boundingBox())!;
    return Math.round(pop.y - pill.y);
  };
  const before = await gap();
  await page.evaluate(() => window.scrollTo(0, 40));
  await expect.poll(gap).toBe(before);
  await second.locator('button.pill').evaluate((el: HTMLElement) => el.focus({ preventScroll: true }));
  await page.keyboard.press('Enter');
  await expect.poll(() => isOpen(popoverOf(second))).toBe(true);
  expect(await isOpen(popoverOf(first))).toBe(false);
});
