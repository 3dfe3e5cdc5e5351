/**
 * Where the content script's time goes: the benchmark page in Chromium with the built extension, sampled by
 * the V8 CPU profiler (CDP Profiler domain, every world of the page's isolate) while the page inserts rows
 * (and then keeps changing). Prints the top functions by self time, with their script, so a speed change
 * starts from a measurement.
 *
 * Run: REAUTH_OUT=.output-x npx wxt build && REAUTH_OUT=.output-x npx tsx scripts/profile-detection.ts [rows]
 * [tick|flip|touch]
 * (touch: what reading the rows' nodes costs at all, in an isolated world and in the main world)
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { openWithContentScript, runScript, withBenchBrowser } from './detection-bench-page';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

function summarise(profile: Profile, top = 25): string {
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const script = f.url ? f.url.replace(/^.*\//, '') : '';
    const key = `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `total sampled ${total.toFixed(1)} ms`,
    ...rows.map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`),
  ].join('\n');
}

/**
 * The floor under any scan that reads every row's nodes: the first touch of a node from an isolated world
 * (what a content script runs in) creates its JS wrapper; a second touch only reads. Fresh rows each run, on
 * a host the extension does not run on, read from a new isolated world and from the page's main world.
 */
const TOUCH = `(() => {
  const tb = document.getElementById('rows');
  const walk = () => { const t0 = performance.now(); const w = document.createTreeWalker(tb, 4); let n = 0;
    for (let x = w.nextNode(); x; x = w.nextNode()) n += x.parentNode.nodeType; return performance.now() - t0; };
  const elements = () => { const t0 = performance.now(); const l = tb.querySelectorAll('*'); let n = 0;
    for (let i = 0; i < l.length; i++) n += l[i].nodeType; return performance.now() - t0; };
  return [walk(), walk(), elements(), elements(), tb.querySelectorAll('*').length];
})()`;

async function touchCosts(context: BrowserContext, pageUrl: string, rows: number): Promise<void> {
  const results: Record<string, number[][]> = { isolated: [], main: [] };
  for (let i = 0; i < 7; i++) {
    for (const world of ['isolated', 'main'] as const) {
      const page = await context.newPage();
      await page.goto(pageUrl);
      const cdp = await context.newCDPSession(page);
      let contextId: number | undefined;
      if (world === 'isolated') {
        const { frameTree } = await cdp.send('Page.getFrameTree');
        contextId = (await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'touch' }))
          .executionContextId;
      }
      await page.evaluate(
        (n) => (window as unknown as { bench: { insert(n: number, wait: boolean): unknown } }).bench.insert(n, false),
        rows,
      );
      const r = await cdp.send('Runtime.evaluate', {
        expression: TOUCH,
        returnByValue: true,
        ...(contextId ? { contextId } : {}),
      });
      results[world]!.push(r.result.value as number[]);
      await page.close();
    }
  }
  const med = (runs: number[][], i: number) =>
    [...runs.map((r) => r[i]!)].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!.toFixed(1);
  for (const [world, runs] of Object.entries(results)) {
    console.log(
      `${world} world, ${rows} rows (${runs[0]![4]} elements), median of ${runs.length}: text nodes + parents ` +
        `first touch ${med(runs, 0)} ms, again ${med(runs, 1)} ms; ` +
        `elements first touch ${med(runs, 2)} ms, again ${med(runs, 3)} ms`,
    );
  }
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1500);
  if (process.argv[3] === 'touch') {
    await withBenchBrowser((context, url) => touchCosts(context, url('acme.example.org'), rows));
    return;
  }
  const churn = process.argv[3] as 'tick' | 'flip' | undefined;
  await withBenchBrowser(async (context, url) => {
    const page = await openWithContentScript(context, url('acme.freshdesk.com'));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const r = await page.evaluate(
      (n) => (window as unknown as { bench: { insert(n: number): Promise<unknown> } }).bench.insert(n),
      rows,
    );
    const insert = (await cdp.send('Profiler.stop')).profile as Profile;
    console.log(`insert ${rows} rows: ${JSON.stringify(r)}\n${summarise(insert)}`);
    const file = join(tmpdir(), `reauth-profile-insert-${rows}.cpuprofile`);
    writeFileSync(file, JSON.stringify(insert));
    console.log(`(full profile: ${file}, opens in Chromium DevTools > Performance)`);
    if (churn) {
      await page.waitForTimeout(300);
      await cdp.send('Profiler.start');
      await page.evaluate(
        (k) => (window as unknown as { bench: { churn(k: string, n: number): Promise<number> } }).bench.churn(k, 60),
        churn,
      );
      const p = (await cdp.send('Profiler.stop')).profile as Profile;
      console.log(`\nchurn ${churn}, 60 frames:\n${summarise(p)}`);
      const churnFile = join(tmpdir(), `reauth-profile-churn-${churn}.cpuprofile`);
      writeFileSync(churnFile, JSON.stringify(p));
      console.log(`(full profile: ${churnFile})`);
    }
  });
}

runScript(main);
