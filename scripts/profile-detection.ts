/**
 * Where the content script's time goes: the benchmark page in Chromium with the built extension, sampled by
 * the V8 CPU profiler (CDP Profiler domain, every world of the page's isolate) while the page inserts rows
 * (and then keeps changing). Prints the top functions by self time, with their script, so a speed change
 * starts from a measurement.
 *
 * Run: REAUTH_OUT=.output-x npx wxt build && REAUTH_OUT=.output-x npx tsx scripts/profile-detection.ts [rows] [tick|flip]
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, withBenchBrowser } from './detection-bench-page';

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
  return [`total sampled ${total.toFixed(1)} ms`, ...rows.map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`)].join('\n');
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1500);
  const churn = process.argv[3] as 'tick' | 'flip' | undefined;
  await withBenchBrowser(async (context, url) => {
    const page = await context.newPage();
    await page.goto(url('acme.freshdesk.com'));
    await page.waitForSelector('[data-reauth-assist="banner"]', { timeout: 10_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const r = await page.evaluate((n) => (window as unknown as { bench: { insert(n: number): Promise<unknown> } }).bench.insert(n), rows);
    const insert = (await cdp.send('Profiler.stop')).profile as Profile;
    console.log(`insert ${rows} rows: ${JSON.stringify(r)}\n${summarise(insert)}`);
    const file = join(tmpdir(), `reauth-profile-insert-${rows}.cpuprofile`);
    writeFileSync(file, JSON.stringify(insert));
    console.log(`(full profile: ${file}, opens in Chromium DevTools > Performance)`);
    if (churn) {
      await page.waitForTimeout(300);
      await cdp.send('Profiler.start');
      await page.evaluate((k) => (window as unknown as { bench: { churn(k: string, n: number): Promise<number> } }).bench.churn(k, 60), churn);
      const p = (await cdp.send('Profiler.stop')).profile as Profile;
      console.log(`\nchurn ${churn}, 60 frames:\n${summarise(p)}`);
      const churnFile = join(tmpdir(), `reauth-profile-churn-${churn}.cpuprofile`);
      writeFileSync(churnFile, JSON.stringify(p));
      console.log(`(full profile: ${churnFile})`);
    }
  });
}

runScript(main);
