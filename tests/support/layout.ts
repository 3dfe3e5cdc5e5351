/**
 * The page's own layout, to prove our marks and panels never change it: every table row, ARIA row and grid
 * or flex container with its size, its child count and each child's box within it. Taken on a page where the
 * extension does not run (an origin not added) and on the same page where it does; they must be equal. (A
 * panel or a note in ordinary flow may move what follows it down the page; it never changes a row.)
 */
import { type BrowserContext, expect, type Page } from '@playwright/test';

export interface RowLayout {
  /** What the row is: tag, id or role, and its index. */
  row: string;
  children: number;
  boxes: string[];
}

export function rowLayouts(page: Page): Promise<RowLayout[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('*')].filter((el) => {
      if (el.tagName.startsWith('REAUTH-ASSIST-')) return false;
      if (el.matches('tr, thead, tbody, tfoot, table, [role="row"], [role="table"], [role="grid"], [role="rowgroup"]'))
        return true;
      const display = getComputedStyle(el).display;
      return /grid|flex/.test(display) && el.tagName !== 'HTML' && el.tagName !== 'BODY';
    });
    return rows.map((el, i) => {
      const children = [...el.children];
      const box = el.getBoundingClientRect();
      return {
        row:
          `${i}:${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` +
          `${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''}` +
          ` ${Math.round(box.width)}x${Math.round(box.height)}`,
        children: children.length,
        // Each child's box within its row: a column shifted, a cell grown or an item added shows here.
        boxes: children.map((c) => {
          const r = c.getBoundingClientRect();
          return (
            `${c.tagName.toLowerCase()} ${Math.round(r.x - box.x)},${Math.round(r.y - box.y)}` +
            ` ${Math.round(r.width)}x${Math.round(r.height)}`
          );
        }),
      };
    });
  });
}

/**
 * Opens `path` on an origin the extension does not run on and on one it does, waits for `ready` on the
 * second, and compares every row's children and boxes (nothing of ours inside a row, nothing moved).
 */
export async function expectLayoutUnchanged(
  page: Page,
  before: string,
  after: string,
  ready: (page: Page) => Promise<void>,
): Promise<RowLayout[]> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(before);
  await page.waitForLoadState('load');
  await page.waitForTimeout(400); // a page that renders its list after load (as a single-page app does)
  const untouched = await rowLayouts(page);
  await page.goto(after);
  await ready(page);
  const touched = await rowLayouts(page);
  expect(untouched.length).toBeGreaterThan(0);
  expect(touched).toEqual(untouched);
  // And none of ours in the flow is a child of a row, table section or grid/flex container of the page.
  const misplaced = await page.evaluate(() =>
    [...document.querySelectorAll('reauth-assist-field-mark, reauth-assist-panel, reauth-assist-mark')]
      .filter((el) => {
        const parent = el.parentElement!;
        if (
          parent.matches(
            'tr, thead, tbody, tfoot, table, [role="row"], [role="table"], [role="grid"], [role="rowgroup"]',
          )
        )
          return true;
        // Out of the flow (a pill inside a cell) takes no place; anything in the flow must be beside the grid.
        return getComputedStyle(el).position !== 'absolute' && /grid|flex/.test(getComputedStyle(parent).display);
      })
      .map((el) => el.parentElement!.outerHTML.slice(0, 80)),
  );
  expect(misplaced).toEqual([]);
  return touched;
}

/**
 * A test body: `path` served on `unlistedHost` (the extension does not run there) and on `host` (it does) must
 * lay out every row alike once `ready` holds.
 */
export function sameLayoutWithExtension(
  unlistedHost: string,
  host: string,
  path: string,
  ready: (page: Page) => Promise<void>,
) {
  return async ({ context, fixtures }: { context: BrowserContext; fixtures: { port: number } }) => {
    const at = (h: string) => `https://${h}:${fixtures.port}${path}`;
    await expectLayoutUnchanged(await context.newPage(), at(unlistedHost), at(host), ready);
  };
}
