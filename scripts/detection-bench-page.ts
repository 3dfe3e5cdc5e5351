/**
 * The page the detection benchmark and profiler load: a Freshdesk-like email list whose rows the page itself
 * inserts (window.bench.insert) and keeps changing (window.bench.churn); and the browser they load it in.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { launchWithExtension } from '../tests/support/extension';
import { startFixtureServer } from '../tests/support/fixture-server';

export const BENCH_PATH = '/a/admin/email/bench';

/** Chromium with the built extension and a server with the bench page; url(host) is the page on that host. */
export async function withBenchBrowser(
  run: (context: BrowserContext, url: (host: string) => string) => Promise<void>,
): Promise<void> {
  await withBenchBrowsers([undefined], ([context], url) => run(context!, url));
}

/**
 * One Chromium per extension directory (undefined: the built Reauth Assist), all open at once so runs can be
 * interleaved, and one server with the bench page.
 */
export async function withBenchBrowsers(
  extensionDirs: readonly (string | undefined)[],
  run: (contexts: BrowserContext[], url: (host: string) => string) => Promise<void>,
): Promise<void> {
  const server = await startFixtureServer();
  server.route(BENCH_PATH, BENCH_PAGE);
  const contexts: BrowserContext[] = [];
  try {
    for (const extensionDir of extensionDirs) contexts.push(await launchWithExtension([], undefined, { extensionDir }));
    await run(contexts, (host) => server.url(host, BENCH_PATH));
  } finally {
    for (const context of contexts) await context.close();
    await server.close();
  }
}

/** Performance marks the bench page sets: its insertion ended, the last row got its attribute (bench-thread-time). */
export const INSERTED_MARK = 'reauth-bench-inserted';
export const MARKED_MARK = 'reauth-bench-marked';

/** The banner gets its attribute once the content script has run its first scan. */
export async function waitForContentScript(page: Page): Promise<void> {
  await page.waitForSelector('[data-reauth-assist="banner"]', { timeout: 10_000 });
}

/** A new page of `context` at `url`, once the content script has run. */
export async function openWithContentScript(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await waitForContentScript(page);
  return page;
}

/**
 * window.bench.insert on the page: `rows` rows in one task, resolved once every row is marked (`visible`: and
 * the broken rows on screen show their marks).
 */
export function insertRows<T>(page: Page, rows: number, visible: boolean): Promise<T> {
  return page.evaluate(
    ([n, v]) =>
      (window as unknown as { bench: { insert(n: number, wait: boolean, visible: boolean): Promise<T> } }).bench.insert(
        n as number,
        true,
        v as boolean,
      ),
    [rows, visible] as const,
  );
}

export function runScript(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
export const BENCH_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Email | bench</title></head><body>
<div class="banner" role="alert">Please reauthorize your Email settings. Learn more about it here or finish the setup \
in Email settings</div>
<table class="email-list"><thead><tr><th>Support email</th><th>Mail \
server</th><th>Status</th><th>Actions</th></tr></thead><tbody id="rows"></tbody></table>
<script>
const STATES = [
  ['Microsoft Office 365 (Basic)', 'Reauthorization required', '<a href="#">Re-authorize</a>'],
  ['Gmail', 'Reauthorization required', '<button aria-label="Edit"><i class="ficon-edit"></i></button>'],
  ['Microsoft Office 365 (OAuth)', 'Your Microsoft Office 365 credentials have expired. Please sign in again', \
'<button aria-label="Edit"><i class="ficon-edit"></i></button>'],
  ['Other', 'Active', '<button aria-label="Edit"><i class="ficon-edit"></i></button>'],
  ['Gmail', 'Connected', '<button aria-label="Edit"><i class="ficon-edit"></i></button>'],
];
function rowHtml(i) {
  const s = STATES[i % STATES.length];
  return '<tr data-i="' + i + '"><td><span class="email">mailbox' + i + '@acme.com</span> <span class="ago">fetched \
0s ago</span></td><td>' + s[0] +
    '</td><td><span class="status">' + s[1] + '</span></td><td>' + s[2] + '</td></tr>';
}
window.bench = {
  insert(n, waitForMarks = true, waitVisible = true) {
    const tbody = document.getElementById('rows');
    let html = '';
    for (let i = 0; i < n; i++) html += rowHtml(i);
    if (!waitForMarks) { tbody.insertAdjacentHTML('beforeend', html); return Promise.resolve(null); }
    return new Promise((resolve) => {
      let marked = 0;
      let start = 0, end = 0;
      const mo = new MutationObserver((records) => {
        for (const r of records) if (r.oldValue === null) marked++;
        if (marked < n) return;
        mo.disconnect();
        const now = performance.now();
        performance.mark('${MARKED_MARK}');
        const result = { fromStart: now - start, fromEnd: now - end, insertMs: end - start, visibleMarks: NaN, \
firstFrame: 0 };
        if (!waitVisible) { resolve(result); return; }
        // Then, each frame (outside the measured time above), until every broken row on screen shows its mark.
        const screenMarked = () => {
          for (const row of tbody.querySelectorAll('tr[data-reauth-state="needs-reauth"]')) {
            const box = row.getBoundingClientRect();
            if (box.top >= innerHeight) return true;
            if (box.bottom > 0 && !row.querySelector('reauth-assist-mark')) return false;
          }
          return true;
        };
        const poll = () => {
          // The page's own first frame with the new rows (layout of the whole list), with or without us.
          if (!result.firstFrame) { document.body.offsetHeight; result.firstFrame = performance.now() - end; }
          if (screenMarked()) { result.visibleMarks = performance.now() - end; resolve(result); }
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
      mo.observe(tbody, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: \
['data-reauth-state'] });
      start = performance.now();
      tbody.insertAdjacentHTML('beforeend', html);
      end = performance.now();
      performance.mark('${INSERTED_MARK}');
      setTimeout(() => resolve({ fromStart: NaN, fromEnd: NaN, insertMs: end - start, marked }), 60000);
    });
  },
  /** Change something every frame for n frames: 'tick' = every row's "fetched Ns ago" counter; 'flip' = one row's \
status. */
  churn(kind, frames) {
    return new Promise((resolve) => {
      let f = 0;
      const agos = document.querySelectorAll('.ago');
      const statuses = document.querySelectorAll('.status');
      const step = () => {
        if (kind === 'tick') for (const a of agos) a.textContent = 'fetched ' + f + 's ago';
        else { const s = statuses[(f * 7) % statuses.length]; s.textContent = s.textContent === 'Active' ? \
'Reauthorization required' : 'Active'; }
        if (++f < frames) requestAnimationFrame(step); else requestAnimationFrame(() => resolve(f));
      };
      requestAnimationFrame(step);
    });
  },
};
</script></body></html>`;
