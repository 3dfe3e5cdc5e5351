/**
 * Benchmark: the running companion itself, watching many mailboxes against the real Dovecot, SMTP server
 * and identity provider on loopback. Its peak memory and how late its health checks run.
 *
 *   npx tsx scripts/bench-companion-server.ts [--sizes 5,200,1000] [--interval 60] [--duration 150] [--concurrency 8]
 *     [--node-options=--import=/path/to/probe.mjs]   (extra Node flags for the companion, investigations)
 *
 * The companion runs as `npm start` runs it: the esbuild bundle (scripts/build-companion.mjs) with plain Node and
 * the same flags (COMPANION_NODE_FLAGS), default log level, as a child process, so its memory is its own (the
 * test servers live in this process and in Dovecot). Each size gets a fresh companion and data folder: N distinct
 * stack mailboxes (REAUTH_STACK_BENCH_MAILBOXES adds box1..boxN@contoso.test), each handed over with its own tokens,
 * all checked every `--interval` seconds (the default 300 s would need a much longer run; 60 s is 5 times the default
 * load).
 *
 * Peak RSS: the kernel's high-water mark (VmHWM) of the companion process. Lateness: for each finished check,
 * when its result was saved minus when it was due (read from the schedule table through a second, read-only
 * SQLite connection, so measuring costs the companion nothing). It includes the check itself; the smallest
 * size is the baseline: the same checks with no queue (the 1 s tick plus one check's duration). The first
 * round (every mailbox due at its handoff) is reported apart from the rounds after it.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pLimit from 'p-limit';
// @ts-expect-error: a plain .mjs build script, no types of its own
import { buildNodeBundle, COMPANION_NODE_FLAGS } from './build-companion.mjs';
import { percentile } from './bench-stats';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5,200,1000' },
    interval: { type: 'string', default: '60' },
    duration: { type: 'string', default: '150' },
    concurrency: { type: 'string', default: '8' },
    /** Extra Node flags for the companion (investigations), e.g. --node-options=--max-semi-space-size=1 */
    'node-options': { type: 'string', default: '' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const intervalS = Number(args.interval);
const durationMs = Number(args.duration) * 1000;

process.env.REAUTH_STACK_BENCH_MAILBOXES = String(Math.max(...sizes));
const { startMailStack } = await import('../tests/stack');
const { startChildCompanion, tempDataDir, tokensHandoffBody, api } = await import(
  '../tests/companion/companion-support'
);
const { stackCompanionArgs } = await import('../tests/support/stack-routing');
const { mailboxPath } = await import('../lib/companion-api');

/** companion/dist's depth: the bundle finds ../../package.json as the real one does. */
const BUNDLE = join(import.meta.dirname, '..', process.env.REAUTH_OUT ?? '.output-bench', 'companion', 'main.mjs');

function memoryKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

interface SizeFigures {
  size: number;
  startRssMb: number;
  peakRssMb: number;
  endRssMb: number;
  firstRound: number[];
  later: number[];
  failedChecks: number;
  checks: number;
  loadAverage: number;
}

type Issued = Awaited<ReturnType<Awaited<ReturnType<typeof startMailStack>>['idp']['issueTokens']>>;

type Stack = Awaited<ReturnType<typeof startMailStack>>;

async function runSize(stack: Stack, size: number, tokens: Issued[]): Promise<SizeFigures> {
  const dataDir = tempDataDir();
  const companion = await startChildCompanion(
    dataDir,
    [
      ...stackCompanionArgs(stack),
      ...['--check-interval', String(intervalS), '--concurrency', args.concurrency, '--rate-limit', '1000000'],
    ],
    {},
    [...(COMPANION_NODE_FLAGS as string[]), ...args['node-options'].split(' ').filter(Boolean), BUNDLE],
  );
  const pid = companion.process.pid!;
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const startRssMb = memoryKb(pid).rss / 1024;
    const addresses = Array.from({ length: size }, (_, i) => `box${i + 1}@contoso.test`);
    const db = new Database(join(dataDir, 'companion.sqlite'), { readonly: true });
    type Row = { address: string; due: number | null; checked: number | null; ready: number | null };
    const read = db.prepare<[], Row>(
      'SELECT address, next_run_at AS due, last_checked_at AS checked, last_ready AS ready FROM schedule',
    );
    const due = new Map<string, number>();
    const seen = new Map<string, number>();
    const firstRound: number[] = [];
    const later: number[] = [];
    let checks = 0;
    let failedChecks = 0;
    // The window starts once every mailbox is handed over; sampling runs from the first handoff on, so the
    // first round's due times are seen too.
    let end = Number.POSITIVE_INFINITY;
    const sampling = (async () => {
      while (Date.now() < end) {
        for (const row of read.all()) {
          const before = seen.get(row.address);
          if (row.checked !== null && row.checked !== before) {
            const wasDue = due.get(row.address);
            if (wasDue !== undefined) {
              (before === undefined ? firstRound : later).push(row.checked - wasDue);
              checks += 1;
              if (row.ready !== 1) failedChecks += 1;
            }
            seen.set(row.address, row.checked);
          }
          if (row.due !== null) due.set(row.address, row.due);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    console.error(`  ${size} mailboxes: handing them over, then measuring for ${durationMs / 1000} s...`);
    const call = api(companion.url, companion.secret);
    const limit = pLimit(8);
    await Promise.all(
      addresses.map((address, i) =>
        limit(async () => {
          const res = await call('POST', mailboxPath(address, '/tokens'), tokensHandoffBody(tokens[i]!, address));
          if (res.status !== 201) throw new Error(`handoff of ${address}: ${res.status} ${res.text}`);
        }),
      ),
    );
    end = Date.now() + durationMs;
    await sampling;
    db.close();
    const { rss, hwm } = memoryKb(pid);
    return {
      size,
      startRssMb,
      peakRssMb: hwm / 1024,
      endRssMb: rss / 1024,
      firstRound: firstRound.sort((a, b) => a - b),
      later: later.sort((a, b) => a - b),
      failedChecks,
      checks,
      loadAverage: os.loadavg()[0]!,
    };
  } finally {
    // SIGKILL: nothing of this run is kept, so no graceful stop is needed (nor measured).
    await companion.kill('SIGKILL');
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2).padStart(7);
}

await buildNodeBundle(undefined, BUNDLE);
const stack = await startMailStack();
try {
  // Tokens are issued once, before any companion runs (the identity provider shares this process); every
  // size hands over the first N. They live an hour: no refresh falls in a run.
  const largest = Math.max(...sizes);
  console.error(`Issuing tokens for ${largest} mailboxes...`);
  const issue = pLimit(8);
  const tokens = await Promise.all(
    Array.from({ length: largest }, (_, i) =>
      issue(() => stack.idp.issueTokens({ account: `box${i + 1}@contoso.test` })),
    ),
  );
  const figures: SizeFigures[] = [];
  for (const size of sizes) figures.push(await runSize(stack, size, tokens));
  console.log(`\nThe companion bundle (plain Node ${process.version}) watching N mailboxes, ` +
    `a check every ${intervalS} s, ` +
    `concurrency ${args.concurrency}, ${durationMs / 1000} s each\n`);
  const columns = ['mailboxes', 'RSS at start MB', 'peak RSS MB', 'RSS at end MB', 'checks', 'failed',
    'first round p50/p95/max s', 'after it p50/p95/max s', 'load avg'];
  console.log(`| ${columns.join(' | ')} |`);
  console.log(`|${columns.map((c) => '-'.repeat(c.length + 2)).join('|')}|`);
  for (const f of figures) {
    const pct = (xs: number[]) =>
      `${seconds(percentile(xs, 50))} ${seconds(percentile(xs, 95))} ${seconds(xs.at(-1) ?? 0)}`;
    console.log(
      `| ${String(f.size).padStart(9)} | ${f.startRssMb.toFixed(1).padStart(15)} | ` +
        `${f.peakRssMb.toFixed(1).padStart(11)} | ${f.endRssMb.toFixed(1).padStart(13)} | ` +
        `${String(f.checks).padStart(6)} | ${String(f.failedChecks).padStart(6)} | ` +
        `${pct(f.firstRound).padStart(25)} | ${pct(f.later).padStart(22)} | ${f.loadAverage.toFixed(1).padStart(8)} |`,
    );
  }
  const baseline = figures[0]!;
  console.log(`\nlateness includes the check itself; ${baseline.size} mailboxes is the baseline (no queue): ` +
    `p50 ${seconds(percentile(baseline.later, 50)).trim()} s after the first round.`);
  for (const f of figures.slice(1)) {
    const ratio = percentile(f.later, 95) / Math.max(1, percentile(baseline.later, 95));
    const lateness = f.later.length === 0
      ? 'the first round did not finish in the window (the machine checks slower than one round per interval)'
      : `lateness p95 after the first round ${ratio.toFixed(2)}x the baseline's`;
    console.log(`${f.size} mailboxes: peak RSS ${f.peakRssMb.toFixed(1)} MB (target for 200: < 150 MB), ${lateness}`);
  }
  if (figures.some((f) => f.failedChecks > 0)) process.exitCode = 1;
} finally {
  await stack.stop();
}
