/**
 * Detection on markup nobody here wrote: one logical mailbox list (tests/support/markup-variants.ts) in 20
 * shapes with seeded class names and wrapper depth (REAUTH_SEED=<n> explores other seeds; CI uses the fixed
 * default). Every shape must give the marks the logical list says, and the marks must not change the page's
 * layout: each row's cells (children of anything that arranges them: table rows, ARIA rows, flex and grid
 * containers) are counted and measured on the same page without the extension (a host it does not run on)
 * and with it.
 */
import type { Page } from '@playwright/test';
import { test, expect } from '../support/extension';
import {
  CONTACT_DOMAIN,
  LONG_SHAPES,
  MAILBOXES,
  POOL,
  longList,
  SHAPES,
  renderShape,
  seedFromEnv,
  type Mailbox,
  type Shape,
} from '../support/markup-variants';

const SEED = seedFromEnv();
const WITH = 'acme.freshdesk.com';
const WITHOUT = 'acme.example.org';

interface MarkedRow {
  state: string | null;
  scenario: string | null;
  primary: boolean;
  addresses: string[];
  marks: number;
}

/** Every element with our row attribute (open shadow roots included), the mailboxes its words hold, its marks. */
function markedRows(page: Page): Promise<MarkedRow[]> {
  return page.evaluate((contactDomain) => {
    const ADDRESS = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
    const ours = (n: Node) => n.nodeType === 1 && (n as Element).tagName.startsWith('REAUTH-ASSIST');
    const all: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        all.push(el);
        if (el.shadowRoot && !ours(el)) walk(el.shadowRoot);
      }
    };
    walk(document);
    // Words, and where a page may write an address outside them: mailto: links, tooltips (not buttons' names).
    const words = (el: Element) => {
      let text = '';
      const visit = (n: Node) => {
        // An address split by inline markup at its '@' reads as one.
        if (n.nodeType === 3) text = `${(n as Text).data.startsWith('@') ? text.trimEnd() : text}${(n as Text).data} `;
        else if (ours(n)) return;
        else if (n.nodeType === 1 && !(n as Element).matches('button, [role="button"]')) {
          const e = n as Element;
          const href = e.getAttribute('href') ?? '';
          text += ` ${href.startsWith('mailto:') ? href.slice(7) : ''} ${e.getAttribute('title') ?? ''} `;
          text += ` ${e.getAttribute('aria-label') ?? ''} `;
        }
        const shadow = (n as Element).shadowRoot;
        if (shadow) visit(shadow);
        for (const c of n.childNodes) visit(c);
      };
      visit(el);
      return text;
    };
    const inside = (mark: Element, row: Element) => {
      for (let n: Node | null = mark; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) if (n === row) return true;
      return false;
    };
    const marks = all.filter((el) => el.tagName === 'REAUTH-ASSIST-MARK');
    return all
      .filter((el) => el.hasAttribute('data-reauth-state'))
      .map((el) => ({
        state: el.getAttribute('data-reauth-state'),
        scenario: el.getAttribute('data-reauth-scenario'),
        primary: el.getAttribute('data-reauth-primary') === 'true',
        // A row's own mailbox: not the helpdesk's forwarding address, not a contact named beside it.
        addresses: [...new Set((words(el).match(ADDRESS) ?? []).map((a) => a.toLowerCase()))].filter(
          (a) => !a.endsWith('freshdesk.com') && !a.endsWith(contactDomain),
        ),
        marks: marks.filter((m) => inside(m, el)).length,
      }));
  }, CONTACT_DOMAIN);
}

function expected(list: readonly Mailbox[]): MarkedRow[] {
  return list.map((m) => ({
    state: m.expect.state,
    scenario: m.expect.scenario ?? null,
    primary: m.primary,
    addresses: [m.address],
    marks: m.expect.state === 'needs-reauth' ? 1 : 0,
  }));
}

const byAddress = (rows: MarkedRow[]) => [...rows].sort((a, b) => a.addresses.join().localeCompare(b.addresses.join()));

interface RowLayout {
  size: number[];
  siblings: number;
  cells: (string | number)[][];
}

/**
 * Each logical row: its size, its parent's child count, and every cell (child of an arranging element) relative
 * to it.
 */
function layout(page: Page): Promise<RowLayout[]> {
  return page.evaluate(() => {
    const rows: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.hasAttribute('data-variant-row')) rows.push(el);
        if (el.shadowRoot && !el.tagName.startsWith('REAUTH-ASSIST')) walk(el.shadowRoot);
      }
    };
    walk(document);
    const arranges = (el: Element) =>
      el.tagName === 'TR' ||
      el.getAttribute('role') === 'row' ||
      /^(?:inline-)?(?:flex|grid)$|^contents$|^(?:inline-)?table$|^table-row/.test(getComputedStyle(el).display);
    const r2 = (v: number) => Math.round(v * 2) / 2;
    return rows.map((row) => {
      const rb = row.getBoundingClientRect();
      const cells: (string | number)[][] = [];
      const visit = (el: Element) => {
        const kids = [...(el.shadowRoot ? el.shadowRoot.children : []), ...el.children];
        const arranging = arranges(el);
        for (const kid of kids) {
          if (arranging) {
            const b = kid.getBoundingClientRect();
            cells.push([kid.tagName, r2(b.x - rb.x), r2(b.y - rb.y), r2(b.width), r2(b.height)]);
          }
          if (!kid.tagName.startsWith('REAUTH-ASSIST')) visit(kid);
        }
      };
      visit(row);
      const parent = row.parentNode as Element | ShadowRoot;
      return { size: [r2(rb.width), r2(rb.height)], siblings: parent.children.length, cells };
    });
  });
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(() => (window as unknown as { variantReady: Promise<void> }).variantReady);
}

async function show(page: Page, offset: number): Promise<void> {
  await page.evaluate((o) => (window as unknown as { variant: { show(o: number): void } }).variant.show(o), offset);
}

test.describe(`markup variants (seed ${SEED})`, () => {
  for (const shape of SHAPES) {
    test(`${shape}: the marks the logical list says, and no cell moves`, async ({ context, fixtures }) => {
      const path = `/a/admin/email/variant-${shape}`;
      fixtures.route(path, renderShape(shape as Shape, SEED));
      const page = await context.newPage();
      await open(page, fixtures.url(WITH, path));
      await expect(page.locator('[data-reauth-assist="banner"]')).toHaveCount(1);

      let final = 0;
      if (shape === 'recycled-rows') {
        // The same row elements show other mailboxes as the list scrolls: the marks follow the mailboxes.
        for (let offset = 0; offset + POOL <= MAILBOXES.length; offset++) {
          await show(page, offset);
          await expect
            .poll(async () => byAddress(await markedRows(page)))
            .toEqual(byAddress(expected(MAILBOXES.slice(offset, offset + POOL))));
          final = offset;
        }
      } else {
        await expect.poll(async () => byAddress(await markedRows(page))).toEqual(byAddress(expected(MAILBOXES)));
      }
      // Settled: the marks stay as they are.
      await page.waitForTimeout(300);
      expect(byAddress(await markedRows(page))).toEqual(
        byAddress(expected(shape === 'recycled-rows' ? MAILBOXES.slice(final, final + POOL) : MAILBOXES)),
      );

      const bare = await context.newPage();
      await open(bare, fixtures.url(WITHOUT, path));
      if (shape === 'recycled-rows') await show(bare, final);
      const before = await layout(bare);
      const after = await layout(page);
      expect(before.length).toBeGreaterThan(0);
      expect(after).toEqual(before);
    });
  }
});

/** Seven times the logical list (63 mailboxes): more children than a list read child by child needs. */
const LONG = longList(7);

test.describe(`markup variants, ${LONG.length} mailboxes (seed ${SEED})`, () => {
  for (const shape of LONG_SHAPES) {
    test(`${shape}: every mailbox marked as the list says, and no cell moves`, async ({ context, fixtures }) => {
      const path = `/a/admin/email/long-${shape}`;
      fixtures.route(path, renderShape(shape, SEED, LONG));
      // Marks are drawn as their rows come near the viewport: a tall one has every row near it.
      const tall = { width: 1100, height: 2600 };
      const page = await context.newPage();
      await page.setViewportSize(tall);
      await open(page, fixtures.url(WITH, path));
      await expect.poll(async () => byAddress(await markedRows(page))).toEqual(byAddress(expected(LONG)));
      await page.waitForTimeout(300);
      expect(byAddress(await markedRows(page))).toEqual(byAddress(expected(LONG)));

      const bare = await context.newPage();
      await bare.setViewportSize(tall);
      await open(bare, fixtures.url(WITHOUT, path));
      expect(await layout(page)).toEqual(await layout(bare));
    });
  }
});
