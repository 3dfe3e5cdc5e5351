// @vitest-environment happy-dom
/**
 * The page watcher leaves elements that keep ticking (words that change as noise, again and again) out of what
 * its observer receives, and still follows everything around them: their siblings, rows added later, and the
 * ticking elements' own words once they can matter again (read twice a second).
 * What the observer receives is worked out from the calls the watcher makes (observe, disconnect) by the DOM
 * standard's rules: happy-dom keeps delivering below a node whose subtree observation was replaced by a flat
 * one, browsers do not (tests/browser/detection.spec.ts and the benchmark follow that in Chromium).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Sift, type Watcher, watchPage } from '../../entrypoints/helpdesk.content/observe';

const ROWS = 20;
const row = (i: number) =>
  `<div class="row"><span class="addr">m${i}@acme.com</span> fetched <span class="ago">0s</span>` +
  `<span class="status" title="">Active</span></div>`;
const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const tick = (n: number) => {
  for (const ago of document.querySelectorAll('.ago')) ago.textContent = `${n}s`;
};

let watcher: Watcher | null = null;
/** The watcher's registrations by the DOM standard: one per node, replaced by a later observe() of that node. */
let plan: Map<Node, MutationObserverInit>;
let observeCalls = 0;
let disconnects = 0;
beforeEach(() => {
  plan = new Map();
  observeCalls = 0;
  disconnects = 0;
  const { observe, disconnect } = MutationObserver.prototype;
  vi.spyOn(MutationObserver.prototype, 'observe').mockImplementation(function (this: MutationObserver, node, options) {
    plan.set(node, options!);
    observeCalls++;
    observe.call(this, node, options);
  });
  vi.spyOn(MutationObserver.prototype, 'disconnect').mockImplementation(function (this: MutationObserver) {
    plan.clear();
    disconnects++;
    disconnect.call(this);
  });
});
afterEach(() => {
  watcher?.stop();
  watcher = null;
  vi.restoreAllMocks();
});

type Kind = 'childList' | 'characterData' | 'attributes';
/** Whether a record of this kind about `target` reaches the watcher (DOM standard, "queue a mutation record"). */
function reaches(target: Node, kind: Kind, attribute = 'title'): boolean {
  for (let node: Node | null = target; node; node = node.parentNode) {
    const options = plan.get(node);
    if (!options || (node !== target && !options.subtree) || !options[kind]) continue;
    if (kind === 'attributes' && options.attributeFilter && !options.attributeFilter.includes(attribute)) continue;
    return true;
  }
  return false;
}

/** Counters receive nothing but their tooltips; every other node in the list has each kind of change followed. */
function expectLeftOut(counters: readonly Element[]): void {
  const list = document.getElementById('list')!;
  const inside = (node: Node) => counters.some((c) => c !== node && c.contains(node));
  for (const counter of counters) {
    expect(reaches(counter, 'childList')).toBe(false);
    expect(reaches(counter.firstChild!, 'characterData')).toBe(false);
    expect(reaches(counter, 'attributes')).toBe(true);
  }
  const walker = document.createTreeWalker(list, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    if (counters.includes(node as Element) || inside(node)) continue;
    const what = `${node.nodeName} ${node.textContent}`;
    if (node.nodeType === 3) expect(reaches(node, 'characterData'), what).toBe(true);
    else {
      expect(reaches(node, 'childList'), what).toBe(true);
      expect(reaches(node, 'attributes'), what).toBe(true);
      expect(reaches(node, 'attributes', 'class'), what).toBe(false);
    }
  }
}

/**
 * A sift that notes which elements the records it gets are about, calls a counter (.ago) ticking the first time
 * its words change, and says a record can matter (and its element with it) when the words say "reauthorize".
 */
function recordingSift() {
  const seen: string[] = [];
  const sift: Sift = (records, log) => {
    let matters = false;
    for (const r of records) {
      const el = (r.target.nodeType === 1 ? r.target : r.target.parentNode) as Element;
      seen.push(el.id || `${el.className}: ${el.textContent}`);
      if (/reauthori/i.test(el.textContent ?? '')) {
        matters = true;
        log.touched.dirty.add(el);
      } else if (el.className === 'ago') log.touched.ticking.push(el);
    }
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

    tick(1);
    await settle(20);
    // Observed whole at first: every counter's record arrives (and the sifter names them ticking).
    expect(seen.filter((c) => c.startsWith('ago')).length).toBeGreaterThanOrEqual(ROWS);
    expectLeftOut([...document.querySelectorAll('.ago')]);
    seen.length = 0;

    // A sibling of a counter (an element, and text beside it), a row added later and a change inside it.
    document.querySelector('.status')!.textContent = 'Reauthorization required';
    document.querySelector('.row')!.childNodes[1]!.textContent = ' reauthorize now ';
    document.getElementById('list')!.insertAdjacentHTML('beforeend', row(ROWS));
    await settle(20);
    document.querySelector('.row:last-child .status')!.textContent = 'Disconnected';
    await settle(20);
    expect([...new Set(seen)]).toEqual([
      'status: Reauthorization required',
      'row: m0@acme.com reauthorize now 1sReauthorization required',
      'list',
      'status: Disconnected',
    ]);
    seen.length = 0;

    // The added row's counter ticks too: left out as well, by adding to what is observed (nothing re-observed).
    const before = observeCalls;
    tick(2);
    await settle(20);
    expect(seen).toContain('ago: 2s');
    // The row flat, its address, its text and its status whole, its counter for its attributes.
    expect(observeCalls - before).toBe(5);
    expect(disconnects).toBe(0);
    expectLeftOut([...document.querySelectorAll('.ago')]);
    seen.length = 0;

    // A counter whose own words become a status is read again, and observed again from then on; the others not.
    const [first, ...others] = document.querySelectorAll('.ago');
    first!.textContent = 'Reauthorization required';
    await settle(700);
    expect(scans.length).toBeGreaterThan(0);
    expect(reaches(first!, 'childList')).toBe(true);
    expectLeftOut(others);
    first!.textContent = 'Active';
    tick(3);
    await settle(20);
    expect(seen).toContain('ago: 3s');
  });

  it('forgets elements that are gone, and leaves a re-rendered list out again when it ticks', async () => {
    document.body.innerHTML = `<div id="list">${Array.from({ length: ROWS }, (_, i) => row(i)).join('')}</div>`;
    const { sift, seen } = recordingSift();
    watcher = watchPage(window, () => undefined, sift);
    tick(1);
    await settle(20);
    document.getElementById('list')!.innerHTML = Array.from({ length: ROWS }, (_, i) => row(i)).join('');
    await settle(20);
    seen.length = 0;
    tick(2);
    await settle(20);
    expect(seen.filter((c) => c.startsWith('ago')).length).toBeGreaterThanOrEqual(ROWS);
    expectLeftOut([...document.querySelectorAll('.ago')]);
  });
});
