/**
 * Popup opening benchmark in Debian Chromium with the built extension ($REAUTH_OUT/chrome-mv3): the time from the
 * popup page's navigation start to its first complete render (components/popup-ready.ts sets data-popup-ready
 * and the performance mark `reauth-popup-ready` once the tabs, sign-in, companion and picker state are known and
 * drawn), opened RUNS times:
 *   ours      the popup over a Freshdesk tab with five mailboxes (three needing reauthorization), Client IDs set;
 *   no data   the same popup with no helpdesk tab open (the empty state: the same page, nothing to list);
 *   floor     the same navigations' DOMContentLoaded: the page's HTML, CSS and script loaded and run, before any
 *             answer from the worker (what no implementation of this popup can beat).
 * Prints the medians, the ratios and the machine load. The target is 100 ms for `ours`.
 */
import { cpus, loadavg } from 'node:os';
import type { BrowserContext } from '@playwright/test';
import { EXTENSION_ID, extensionWorker, launchWithExtension } from '../tests/support/extension';
import { serveFixture } from '../tests/support/extension-state';
import { startFixtureServer } from '../tests/support/fixture-server';

const RUNS = Math.max(9, Number(process.env.BENCH_RUNS ?? 15));
const TARGET_MS = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Opening {
  ready: number;
  domContentLoaded: number;
}

async function openOnce(context: BrowserContext): Promise<Opening> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await page.locator('[data-popup-ready="true"]').waitFor();
  const opening = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const [ready] = performance.getEntriesByName('reauth-popup-ready');
    return { ready: ready?.startTime ?? Number.NaN, domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN };
  });
  await page.close();
  return opening;
}

async function openings(context: BrowserContext): Promise<Opening[]> {
  await openOnce(context); // the first opening compiles the page's script: not what an admin sees each time
  const all: Opening[] = [];
  for (let i = 0; i < RUNS; i++) all.push(await openOnce(context));
  return all;
}

const fixtures = await startFixtureServer();
const context = await launchWithExtension();
try {
  const worker = await extensionWorker(context);
  await worker.evaluate(async () =>
    chrome.storage.local.set({
      signinSettings: { microsoft: { clientId: 'bench-client' }, google: { clientId: 'bench-client' }, generic: [] },
    }),
  );
  const helpdesk = await context.newPage();
  await helpdesk.goto(
    serveFixture(fixtures, 'freshdesk/a/admin/email/index.html', '/a/admin/email', 'acme.freshdesk.com'),
  );
  await helpdesk.locator('[data-reauth-state]').nth(4).waitFor({ state: 'attached' });
  const ours = await openings(context);
  await helpdesk.close();
  const empty = await openings(context);

  const oursMs = median(ours.map((o) => o.ready));
  const emptyMs = median(empty.map((o) => o.ready));
  const floorMs = median(ours.map((o) => o.domContentLoaded));
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`Popup opened ${RUNS} times each (median, navigation start -> first complete render):`);
  console.log(`  ours, 5 mailboxes listed:        ${f(oursMs)}   (target ${TARGET_MS} ms)`);
  console.log(`  no data (empty state):           ${f(emptyMs)}`);
  console.log(`  floor (DOMContentLoaded):        ${f(floorMs)}`);
  console.log(`  ratio ours / floor:              ${(oursMs / floorMs).toFixed(2)}`);
  console.log(`  ratio ours / no data:            ${(oursMs / emptyMs).toFixed(2)}`);
  console.log(`  worst of ours:                   ${f(Math.max(...ours.map((o) => o.ready)))}`);
  console.log(
    `  machine load: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} cores`,
  );
  console.log(oursMs <= TARGET_MS ? `  within ${TARGET_MS} ms` : `  OVER ${TARGET_MS} ms`);
} finally {
  await context.close();
  await fixtures.close();
}
