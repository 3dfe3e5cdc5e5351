// @vitest-environment happy-dom
/**
 * Detection that follows the page's mutations (only the touched regions are scanned again) must end where a
 * whole-page scan of the same page ends: same rows, states, scenarios and primary flags, nothing stale.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { changeLog, type PageChanges } from '../../entrypoints/helpdesk.content/changes';
import { Detection } from '../../entrypoints/helpdesk.content/detection';
import { freshdesk } from '../../entrypoints/helpdesk.content/detectors/freshdesk';
import { OBSERVE } from '../../entrypoints/helpdesk.content/observe';
import { scanPage } from '../../entrypoints/helpdesk.content/scan';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/freshdesk');

function load(path: string): void {
  const html = readFileSync(resolve(FIXTURES, path), 'utf8');
  document.documentElement.innerHTML = html.replace(/<!doctype html>/i, '').replace(/<script[\s\S]*?<\/script>/gi, '');
}

/** What the page says now, by our attributes. */
function marked(): string[] {
  return [...document.querySelectorAll('[data-reauth-state]')]
    .map(
      (el) =>
        `${el.id || el.nodeName} ${el.getAttribute('data-reauth-state')} ${
          el.getAttribute('data-reauth-scenario') ?? '-'
        } ${el.getAttribute('data-reauth-primary') ?? '-'}`,
    )
    .sort();
}

/** What a whole-page scan finds on the same page. */
function scanned(): string[] {
  return scanPage(freshdesk, document)
    .rows.map((r) => {
      const c = r.classification;
      return `${r.row.id || r.row.nodeName} ${c.state} ${
        c.state === 'needs-reauth' ? c.scenario : '-'
      } ${r.primary ? 'true' : '-'}`;
    })
    .sort();
}

let observer: MutationObserver | null = null;
let scans = 0;

/** Detection fed by a MutationObserver, as on a real page; step() applies one change and updates. */
function follow(path: string) {
  load(path);
  const log: PageChanges = changeLog();
  observer = new MutationObserver(() => undefined);
  observer.observe(document, OBSERVE);
  const detection = new Detection({ detector: freshdesk, doc: document, send: () => undefined });
  detection.update(log);
  return {
    step(change: () => void): void {
      change();
      detection.sift(observer!.takeRecords(), log);
      expect(log.full).toBe(false);
      detection.update(log);
      scans++;
      expect(marked()).toEqual(scanned());
    },
  };
}

afterEach(() => {
  observer?.disconnect();
});

describe('incremental detection ends where a whole-page scan ends', () => {
  it('a table: status fixed in place, a status removed, a row added, a row removed', () => {
    const page = follow('a/admin/email/index.html');
    expect(marked()).toHaveLength(5);
    page.step(() => (document.querySelector('#row-sales .status-error')!.textContent = 'Active'));
    expect(document.getElementById('row-sales')!.getAttribute('data-reauth-state')).toBe('connected');
    page.step(() => {
      document.querySelector('#row-billing .status-error')!.remove();
      document.querySelector('#row-billing .reauth-link')!.remove();
    });
    page.step(() => {
      const row = document.getElementById('row-support')!.cloneNode(true) as Element;
      row.id = 'row-new';
      for (const el of row.querySelectorAll('[data-reauth-state], [data-reauth-control]'))
        el.removeAttribute('data-reauth-state');
      row.innerHTML = row.innerHTML
        .replace(/support@acme\.com/g, 'new@acme.com')
        .replace(/Active/g, 'Reauthorization required');
      document.querySelector('tbody')!.append(row);
    });
    expect(document.getElementById('row-new')!.getAttribute('data-reauth-state')).toBe('needs-reauth');
    page.step(() => document.getElementById('row-team')!.remove());
    expect(marked().some((m) => m.startsWith('row-team'))).toBe(false);
    expect(scans).toBe(4);
  });

  it('a card list (no row elements): cards added and removed, a status arriving after its address', () => {
    const page = follow('a/admin/email/cards.html');
    expect(marked()).toHaveLength(4);
    const cards = document.querySelector('.cards')!;
    page.step(() =>
      cards.insertAdjacentHTML(
        'beforeend',
        '<div class="card" id="card-late"><div class="card-head"><span class="addr">late@acme.com</span></div><div ' +
          'class="card-body"></div></div>',
      ),
    );
    expect(document.getElementById('card-late')!.hasAttribute('data-reauth-state')).toBe(false);
    // The status comes later, in its own element, as an app fetching it would render it.
    page.step(() =>
      document
        .querySelector('#card-late .card-body')!
        .insertAdjacentHTML('beforeend', '<div class="pill bad">Reauthorization required</div>'),
    );
    expect(document.getElementById('card-late')!.getAttribute('data-reauth-state')).toBe('needs-reauth');
    page.step(() => document.getElementById('card-care')!.remove());
    page.step(() => document.getElementById('card-shop')!.remove());
    page.step(() => document.getElementById('card-jobs')!.remove());
  });

  it('a counter ticking in every row changes no attribute', () => {
    const page = follow('a/admin/email/index.html');
    const before = marked();
    for (const cell of document.querySelectorAll('.email-row td:first-child'))
      cell.insertAdjacentHTML('beforeend', '<small class="ago">0s</small>');
    page.step(() => undefined);
    page.step(() => {
      for (const ago of document.querySelectorAll('.ago')) ago.textContent = 'fetched 1s ago';
    });
    expect(marked()).toEqual(before);
  });
});
