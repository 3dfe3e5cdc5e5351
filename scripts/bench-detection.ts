/**
 * Detection benchmark in real Chromium: the built extension ($REAUTH_OUT/chrome-mv3) beside the naive detector
 * of issue 10 (scripts/naive-detector: rows = tr, [role=row], li in the added nodes; one textContent per row and
 * two regular expressions; isolated world), each in its own Chromium, both open for the whole run.
 *
 * 1. Time to the last mark: a page inserts a 1,500-row (then 10,000-row) mailbox table in one task; a page
 *    MutationObserver notes performance.now() when the last row gets data-reauth-state. Runs alternate between
 *    the two extensions (ours first on even runs, the naive one first on odd runs), so both see the same
 *    machine; the medians and their ratio are printed. For ours the page then checks once per frame until every
 *    broken row on screen shows its visible mark (marks further down are built as rows come near the viewport).
 *    Then, THREAD_RUNS more interleaved runs of each, traced: the main thread's CPU time over the same span
 *    (scripts/bench-thread-time.ts), which a run that waits for a core does not inflate.
 * 2. Main-thread time per mutation batch on a page that keeps changing: the same page, once on a host the
 *    content script runs on and once on a host it does not, does identical work every frame; the difference
 *    in Chromium's ScriptDuration (CDP Performance metrics, all worlds) divided by the number of batches is
 *    the content script's cost per batch. The naive detector is measured the same way, and so is the floor
 *    (floorExtension(): an observer with observe.ts's own options and a callback that does nothing): what any
 *    detector that observes the document pays for the page's records before it does anything with them.
 * 3. Both content-script bundles, gzipped (the 20 kB target is the Freshdesk one's).
 *
 * Run: REAUTH_OUT=.output-a npx wxt build && REAUTH_OUT=.output-a npx tsx scripts/bench-detection.ts
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from '@playwright/test';
import { OBSERVE } from '../entrypoints/helpdesk.content/observe';
import { EXTENSION_DIR } from '../tests/support/extension';
import {
  insertRows,
  openWithContentScript,
  runScript,
  waitForContentScript,
  withBenchBrowsers,
} from './detection-bench-page';
import { insertThreadMs } from './bench-thread-time';

const NAIVE_DIR = fileURLToPath(new URL('./naive-detector/', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CHURN_FRAMES = 120;
const CHURN_RUNS = Number(process.env.BENCH_CHURN_RUNS ?? 5);
const THREAD_RUNS = Number(process.env.BENCH_THREAD_RUNS ?? 5);
const TARGETS = { ratio: 1.5, batchMs: 1, bundleKb: 20 };
/** BENCH_ONLY=insert or churn: one half of the benchmark, while working on it (`npm run bench` runs both). */
const ONLY = process.env.BENCH_ONLY ?? '';
/** BENCH_ROWS=1500: the insert runs at one list size only (default: 1,500 and 10,000). */
const SIZES = (process.env.BENCH_ROWS ?? '1500,10000').split(',').map(Number);

/**
 * The floor of the changing page, written for the run into a temporary folder: an extension on the naive
 * detector's pages whose observer has the content script's own options (observe.ts OBSERVE) and a callback
 * that does nothing. Chromium hands that callback every record of a batch as a script object, so its cost is
 * what any detector that observes the document pays per batch.
 */
function floorExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reauth-bench-floor-'));
  const naive = JSON.parse(readFileSync(join(NAIVE_DIR, 'manifest.json'), 'utf8')) as {
    content_scripts: { matches: string[]; run_at: string }[];
  };
  const manifest = {
    manifest_version: 3,
    name: 'Observer floor (benchmark baseline)',
    version: '1.0.0',
    content_scripts: naive.content_scripts.map((c) => ({ ...c, js: ['content.js'] })),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  // The banner attribute tells the bench the content script has run.
  const script =
    `for (const el of document.querySelectorAll('[role="alert"]')) el.setAttribute('data-reauth-assist', 'banner');\n` +
    `new MutationObserver(() => {}).observe(document, ${JSON.stringify(OBSERVE)});\n`;
  writeFileSync(join(dir, 'content.js'), script);
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface InsertResult {
  fromStart: number;
  fromEnd: number;
  insertMs: number;
  /** Insertion end -> every broken row on screen shows its mark (checked once per frame by the page). */
  visibleMarks: number;
  /** Insertion end -> the page's first frame with the new rows laid out (its own cost, extension or not). */
  firstFrame: number;
}

async function insertOnce(context: BrowserContext, url: string, rows: number, visible: boolean): Promise<InsertResult> {
  const page = await openWithContentScript(context, url);
  const r = await insertRows<InsertResult>(page, rows, visible);
  await page.close();
  if (Number.isNaN(r.fromEnd))
    throw new Error(`Not every one of ${rows} rows got marked within 60 s: detection is broken.`);
  return r;
}

type Who = 'ours' | 'naive';

/** `run` for ours and the naive detector in turns, the first one alternating, `runs` times each. */
async function inTurns<T>(
  runs: number,
  run: (who: Who) => Promise<T>,
  each?: (i: number, r: Record<Who, T[]>) => void,
) {
  const result: Record<Who, T[]> = { ours: [], naive: [] };
  for (let i = 0; i < runs; i++) {
    for (const who of i % 2 === 0 ? (['ours', 'naive'] as const) : (['naive', 'ours'] as const))
      result[who].push(await run(who));
    each?.(i, result);
  }
  return result;
}

/** Time to the last mark, RUNS times each (ours also waits for its marks on screen). */
function interleaved(ours: BrowserContext, naive: BrowserContext, url: string, rows: number) {
  return inTurns(
    RUNS,
    (who) => insertOnce(who === 'ours' ? ours : naive, url, rows, who === 'ours'),
    (i, r) =>
      console.error(
        `${rows} rows run ${i + 1}: ours ${r.ours.at(-1)!.fromEnd.toFixed(1)} ms, naive ` +
          `${r.naive.at(-1)!.fromEnd.toFixed(1)} ms`,
      ),
  );
}

/** Thread time of the same insertion, THREAD_RUNS times each (traced runs, apart from the timed ones). */
function interleavedThreadMs(ours: BrowserContext, naive: BrowserContext, url: string, rows: number) {
  return inTurns(THREAD_RUNS, (who) => insertThreadMs(who === 'ours' ? ours : naive, url, rows));
}

async function churnScriptMs(
  context: BrowserContext,
  url: string,
  kind: 'tick' | 'flip',
  withExtension: boolean,
): Promise<number> {
  const page = await context.newPage();
  await page.goto(url);
  if (withExtension) await waitForContentScript(page);
  await page.evaluate(() =>
    (window as unknown as { bench: { insert(n: number, wait: boolean): Promise<unknown> } }).bench.insert(1500, false),
  );
  await page.waitForTimeout(300);
  // Metrics accumulate only while the domain is enabled: one session, enabled before the measured work.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const scriptSeconds = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration')!.value;
  const before = await scriptSeconds();
  await page.evaluate(
    ([k, n]) =>
      (window as unknown as { bench: { churn(k: string, n: number): Promise<number> } }).bench.churn(
        k as string,
        n as number,
      ),
    [kind, CHURN_FRAMES] as const,
  );
  const after = await scriptSeconds();
  await cdp.detach();
  await page.close();
  return (after - before) * 1000;
}

async function main(): Promise<void> {
  const bundlePath = (name: string) => `${EXTENSION_DIR}content-scripts/${name}.js`;
  if (!existsSync(bundlePath('helpdesk')))
    throw new Error(
      `No build at ${EXTENSION_DIR}: run "REAUTH_OUT=${process.env.REAUTH_OUT ?? '.output'} npx wxt build" first.`,
    );
  const gzipKb = (name: string) => gzipSync(readFileSync(bundlePath(name)), { level: 9 }).length / 1024;
  const loadBefore = loadavg();

  const floorDir = floorExtension();
  await withBenchBrowsers([undefined, NAIVE_DIR, floorDir], async ([ours, naive, floor], url) => {
    const marked = url('acme.freshdesk.com');
    const unmarked = url('acme.example.org');

    const sizes = ONLY === 'churn' ? [] : SIZES;
    const inserts = new Map<number, Awaited<ReturnType<typeof interleaved>>>();
    for (const n of sizes) inserts.set(n, await interleaved(ours!, naive!, marked, n));
    const threads = new Map<number, Awaited<ReturnType<typeof interleavedThreadMs>>>();
    for (const n of sizes) threads.set(n, await interleavedThreadMs(ours!, naive!, marked, n));

    const churn: Record<string, { withExt: number[]; without: number[]; naive: number[]; floor: number[] }> = {
      tick: { withExt: [], without: [], naive: [], floor: [] },
      flip: { withExt: [], without: [], naive: [], floor: [] },
    };
    for (let i = 0; i < (ONLY === 'insert' ? 0 : CHURN_RUNS); i++) {
      for (const kind of ['tick', 'flip'] as const) {
        churn[kind]!.withExt.push(await churnScriptMs(ours!, marked, kind, true));
        churn[kind]!.without.push(await churnScriptMs(ours!, unmarked, kind, false));
        churn[kind]!.naive.push(await churnScriptMs(naive!, marked, kind, true));
        churn[kind]!.floor.push(await churnScriptMs(floor!, marked, kind, true));
        console.error(
          `churn ${kind}: with ${churn[kind]!.withExt.at(-1)!.toFixed(0)} ms, without ` +
            `${churn[kind]!.without.at(-1)!.toFixed(0)} ms, naive ${churn[kind]!.naive.at(-1)!.toFixed(0)} ms, ` +
            `floor ${churn[kind]!.floor.at(-1)!.toFixed(0)} ms`,
        );
      }
    }

    const rows: [string, string, string, string][] = [];
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const verdict = (v: number, target: number) => (v <= target ? 'ok' : 'OVER');
    for (const [size, r] of inserts) {
      const n = size.toLocaleString('en');
      const o = median(r.ours.map((x) => x.fromEnd));
      const nv = median(r.naive.map((x) => x.fromEnd));
      const ratio = o / nv;
      rows.push([`${n} rows: insertion end -> last row attribute, ours`, ms(o), '', `median of ${RUNS}, interleaved`]);
      rows.push([`${n} rows: the same, naive detector`, ms(nv), '', `median of ${RUNS}`]);
      rows.push([
        `${n} rows: ours / naive`,
        `${ratio.toFixed(2)}x`,
        `<= ${TARGETS.ratio}x`,
        verdict(ratio, TARGETS.ratio),
      ]);
      rows.push([
        `${n} rows: insertion end -> marks on screen, ours`,
        ms(median(r.ours.map((x) => x.visibleMarks))),
        '',
        `page's first frame at ${ms(median(r.ours.map((x) => x.firstFrame)))}`,
      ]);
      rows.push([`${n} rows: page's own insert`, ms(median([...r.ours, ...r.naive].map((x) => x.insertMs))), '', '']);
      const t = threads.get(size)!;
      const [to, tn] = [median(t.ours), median(t.naive)];
      rows.push([`${n} rows: the same span, main-thread CPU, ours`, ms(to), '', `median of ${THREAD_RUNS}, traced`]);
      rows.push([`${n} rows: the same span, main-thread CPU, naive`, ms(tn), '', `median of ${THREAD_RUNS}, traced`]);
      rows.push([`${n} rows: CPU ours / naive`, `${(to / tn).toFixed(2)}x`, '', 'waiting for a core left out']);
    }
    for (const kind of ONLY === 'insert' ? [] : (['tick', 'flip'] as const)) {
      const without = median(churn[kind]!.without);
      const delta = (median(churn[kind]!.withExt) - without) / CHURN_FRAMES;
      const naiveDelta = (median(churn[kind]!.naive) - without) / CHURN_FRAMES;
      const label = kind === 'tick' ? 'a counter ticks in every one of 1,500 rows' : "one of 1,500 rows' status flips";
      rows.push([
        `Content script per mutation batch: ${label}`,
        ms(delta),
        kind === 'tick' ? `< ${TARGETS.batchMs} ms` : '',
        kind === 'tick'
          ? `${verdict(delta, TARGETS.batchMs)}; median of ${CHURN_RUNS}`
          : `${CHURN_FRAMES} batches, ScriptDuration with - without`,
      ]);
      const floorDelta = (median(churn[kind]!.floor) - without) / CHURN_FRAMES;
      rows.push(['The same, naive detector', ms(naiveDelta), '', 'childList only; reads each added node']);
      rows.push([
        'The same, an observer with our options and an empty callback',
        ms(floorDelta),
        '',
        'the floor: what observing the page costs',
      ]);
    }
    rows.push([
      'Freshdesk content script bundle, gzipped',
      `${gzipKb('helpdesk').toFixed(1)} kB`,
      `<= ${TARGETS.bundleKb} kB`,
      verdict(gzipKb('helpdesk'), TARGETS.bundleKb),
    ]);
    rows.push([
      'Admin-added origins content script, gzipped',
      `${gzipKb('helpdesk-custom').toFixed(1)} kB`,
      '',
      'with the form assistants (zod checks their replies)',
    ]);

    const widths = [0, 1, 2, 3].map((i) =>
      Math.max(...rows.map((r) => r[i]!.length), ['measure', 'value', 'target', 'note'][i]!.length),
    );
    const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
    // Wall-clock figures: on a busy machine they grow with the load, so the load is part of the result.
    const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
    console.log(`\nReauth Assist detection benchmark (Chromium, ${EXTENSION_DIR}; baseline ${NAIVE_DIR})`);
    console.log(
      `${cpus().length} CPUs, load average (1/5/15 min) before ${load(loadBefore)}, after ${load(loadavg())}\n`,
    );
    console.log(line(['measure', 'value', 'target', 'note']));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of rows) console.log(line(r));
    for (const [size, r] of inserts) {
      const n = size.toLocaleString('en');
      console.log(`\nraw ${n} ours  (end->attribute ms): ${r.ours.map((x) => x.fromEnd.toFixed(1)).join(', ')}`);
      console.log(`raw ${n} naive (end->attribute ms): ${r.naive.map((x) => x.fromEnd.toFixed(1)).join(', ')}`);
      const t = threads.get(size)!;
      console.log(
        `raw ${n} main-thread CPU ms: ours ${t.ours.map((v) => v.toFixed(1)).join(', ')}; naive ${t.naive
          .map((v) => v.toFixed(1))
          .join(', ')}`,
      );
    }
    for (const kind of ONLY === 'insert' ? [] : (['tick', 'flip'] as const))
      console.log(
        `raw churn ${kind} ScriptDuration ms: with ${churn[kind]!.withExt.map((v) => v.toFixed(0)).join(', ')}; ` +
          `without ${churn[kind]!.without.map((v) => v.toFixed(0)).join(', ')}; ` +
          `naive ${churn[kind]!.naive.map((v) => v.toFixed(0)).join(', ')}; ` +
          `floor ${churn[kind]!.floor.map((v) => v.toFixed(0)).join(', ')}`,
      );
  }).finally(() => rmSync(floorDir, { recursive: true, force: true }));
}

runScript(main);
