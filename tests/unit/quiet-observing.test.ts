// @vitest-environment happy-dom
/**
 * The page watcher leaves elements that keep ticking (words that change as noise, again and again) out of what
 * its observer receives, and still follows everything around them: their siblings, rows added later, and the
 * ticking elements' own words once they can matter again (read twice a second).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { watchPage, type Sift, type Watcher } from '../../entrypoints/helpdesk.content/observe';

const ROWS = 20;
const row = (i: number) =>
  `<div class="row"><span class="addr">m${i}@acme.com</span><span class="ago">0s</span>` +
  `<span class="status">Active</span></div>`;
const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

let watcher: Watcher | null = null;
afterEach(() => {
  watcher?.stop();
  watcher = null;
});

/**
 * A sift that notes which elements the records it gets are about, calls every .ago element ticking once, and
 * says a record can matter when its element's words say "reauthorize".
 */
function recordingSift() {
  const seen: string[] = [];
  let offered = false;
  const sift: Sift = (records, log) => {
    let matters = false;
    for (const r of records) {
      const el = (r.target.nodeType === 1 ? r.target : r.target.parentNode) as Element;
      seen.push(el.id || `${el.className}: ${el.textContent}`);
      matters ||= /reauthori/i.test(el.textContent ?? '');
    }
    if (!offered) log.touched.ticking.push(...document.querySelectorAll('.ago'));
    offered = true;
    return matters;
  };
  return { sift, seen };
}

describe('observing around ticking elements', () => {
  it('receives no records from them, and every other change', async () => {
    document.body.innerHTML = `<div id="list">${Array.from({ length: ROWS }, (_, i) => row(i)).join('')}</div>`;
    const { sift, seen } = recordingSift();
    const scans: number[] = [];
    watcher = watchPage(window, () => scans.push(1), sift);
    const tick = (n: number) => {
      for (const ago of document.querySelectorAll('.ago')) ago.textContent = `${n}s`;
    };

    tick(1);
    await settle(20);
    // Observed whole at first: every counter's record arrives (and the sifter names them ticking).
    expect(seen.filter((c) => c.startsWith('ago')).length).toBeGreaterThanOrEqual(ROWS);
    seen.length = 0;

    tick(2);
    await settle(20);
    expect(seen).toEqual([]);

    // A sibling of a counter, a row added later and a change inside it are still followed.
    document.querySelector('.status')!.textContent = 'Reauthorization required';
    document.getElementById('list')!.insertAdjacentHTML('beforeend', row(ROWS));
    await settle(20);
    document.querySelector('.row:last-child .status')!.textContent = 'Disconnected';
    await settle(20);
    expect([...new Set(seen)]).toEqual(['status: Reauthorization required', 'list', 'status: Disconnected']);
    seen.length = 0;

    // A counter whose own words become a status is read again, and observed again from then on.
    const first = document.querySelector('.ago')!;
    first.textContent = 'Reauthorization required';
    await settle(700);
    expect(scans.length).toBeGreaterThan(0);
    first.textContent = 'Active';
    tick(3);
    await settle(20);
    expect(seen).toContain('ago: 3s');
  });
});
