/**
 * Benchmark: a team companion at MSP scale (issue 14). N mailboxes (default 10,000) checked every interval
 * (default 300 s: 33 checks a second) against the real Dovecot, SMTP server and identity provider on loopback,
 * by 1, 2 and 3 companion instances sharing one store, each run for the given time. Never a timed test.
 *
 *   npx tsx scripts/bench-scale.ts       (part of npm run bench; configured by environment variables:)
 *   BENCH_SCALE_MAILBOXES=10000 BENCH_SCALE_INTERVAL_S=300 BENCH_SCALE_DURATION_S=600 BENCH_SCALE_INSTANCES=1,2,3
 *   BENCH_SCALE_STORE=postgres|sqlite (sqlite: one instance) BENCH_SCALE_CONCURRENCY=48 (checks at once, per instance)
 *   BENCH_SCALE_CPU_PROF=DIR: V8 CPU profiles of the instances into DIR (they are then stopped with SIGTERM)
 *   BENCH_SCALE_START_AT=ISO time: prepare (bundle, mail stack, tokens, PostgreSQL) now, start the runs then
 *
 * Each run: a fresh store, the instances started as `npm start` runs the bundle (one sealing key for all, from
 * REAUTH_ASSIST_KEY), then the mailboxes handed over through the instances' API in turn, paced at N / interval a
 * second, so the first round is spread over one interval as a running service's is; the window starts at the first
 * handoff. Measured from outside: finished checks read from the store every second (a second reader, never the
 * companions' API), CPU and peak RSS of each process tree from /proc, PostgreSQL connections from
 * pg_stat_activity, and every IMAP login from Dovecot's own log (a check the 1 s polling could miss still logs in).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import { mailboxPath } from '../lib/companion-api';
import {
  api,
  type ChildCompanion,
  startChildCompanion,
  tempDataDir,
  tokensHandoffBody,
} from '../tests/companion/companion-support';
import type { MailStack, TokenSet } from '../tests/stack';
import { startTestPostgres, type TestPostgres } from '../tests/support/postgres';
import { stackCompanionArgs } from '../tests/support/stack-routing';
import { percentile } from './bench-stats';
// @ts-expect-error: a plain .mjs build script, no types of its own
import { buildNodeBundle, COMPANION_NODE_FLAGS } from './build-companion.mjs';
import { loadAverage, machineCpu, memoryMb, processCpuSeconds, treeCpuSeconds } from './bench-proc';
import { type ObservedCheck, type ScheduleFigures, scheduleFigures, twiceInServerLog } from './bench-scale-figures';
import {
  type CheckReader,
  postgresCheckLog,
  postgresConnections,
  postmasterPid,
  sqliteCheckLog,
} from './bench-scale-store';

const setting = (name: string, fallback: string) => process.env[`BENCH_SCALE_${name}`] ?? fallback;
const MAILBOXES = Number(setting('MAILBOXES', '10000'));
const INTERVAL_S = Number(setting('INTERVAL_S', '300'));
const DURATION_S = Number(setting('DURATION_S', '600'));
const INSTANCES = setting('INSTANCES', '1,2,3').split(',').map(Number);
const STORE = setting('STORE', 'postgres');
// An instance finishes at most --concurrency / (check duration) checks a second: 33 a second with checks of 1-2 s on
// a loaded machine needs 33-66 in flight across the instances, so 48 each lets one instance try for the target.
const CONCURRENCY = setting('CONCURRENCY', '48');
const CPU_PROFILE_DIR = process.env.BENCH_SCALE_CPU_PROF;
const BUNDLE = join(import.meta.dirname, '..', process.env.REAUTH_OUT ?? '.output-bench', 'companion', 'main.mjs');

interface StackInfo {
  idp: { port: number };
  mailHostMap: MailStack['mailHostMap'];
  imapDir: string;
  tokensFile: string;
  issueSeconds: number;
}

interface RunFigures extends ScheduleFigures {
  instances: number;
  windowS: number;
  twiceInDovecotLog: number;
  logins: number;
  perInstance: Array<{ cpuPercent: number; peakRssMb: number }>;
  stackNodeCpuPercent: number;
  dovecotCpuPercent: number;
  postgresCpuPercent?: number;
  harnessCpuPercent: number;
  machineBusyPercent: number;
  pgConnectionsMax?: number;
  pgActiveMax?: number;
  loadStart: string;
  loadEnd: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startStack(): Promise<{ info: StackInfo; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bench-scale-stack.ts')], {
    env: { ...process.env, REAUTH_STACK_BENCH_MAILBOXES: String(MAILBOXES) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<StackInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the benchmark's mail stack exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as StackInfo));
  });
  return { info, child };
}

/** IMAP logins of the benchmark mailboxes in Dovecot's logs ("Mon DD HH:MM:SS imap-login: Info: Login: user=<...>"). */
function dovecotLogins(dir: string, from: number, to: number): Map<string, Array<{ checkedAt: number }>> {
  const logins = new Map<string, Array<{ checkedAt: number }>>();
  const year = new Date(from).getUTCFullYear();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const m = /^(\w{3} +\d+ \d\d:\d\d:\d\d) .*Login: user=<(box\d+@[^>]+)>/.exec(line);
      if (!m) continue;
      const at = Date.parse(`${m[1]} ${year}`);
      // Whole seconds, in the machine's zone like Date.parse: widen the window by a second on each side.
      if (at < from - 1000 || at > to + 1000) continue;
      logins.set(m[2]!, [...(logins.get(m[2]!) ?? []), { checkedAt: at }]);
    }
  }
  return logins;
}

async function startInstances(count: number, stack: StackInfo, storeArgs: string[]): Promise<ChildCompanion[]> {
  const key = randomBytes(32).toString('base64');
  const args = [
    ...stackCompanionArgs(stack),
    ...['--check-interval', String(INTERVAL_S), '--concurrency', CONCURRENCY, '--rate-limit', '1000000'],
    ...storeArgs,
  ];
  const profile = CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : [];
  const program = [...(COMPANION_NODE_FLAGS as string[]), ...profile, BUNDLE];
  const instances: ChildCompanion[] = [];
  // One after the other: the first start creates the schema and the pairing secret the others share.
  for (let i = 0; i < count; i++) {
    instances.push(await startChildCompanion(tempDataDir(), args, { REAUTH_ASSIST_KEY: key }, program));
  }
  if (!instances[0]!.secret) throw new Error('the first instance printed no pairing secret');
  return instances;
}

/** Hands mailbox i over at start + i * interval / N, to the instances in turn; returns when each was handed over. */
async function handOver(instances: ChildCompanion[], tokens: TokenSet[], start: number): Promise<Map<string, number>> {
  const handedOver = new Map<string, number>();
  const calls = instances.map((c) => api(c.url, instances[0]!.secret));
  const limit = pLimit(16);
  const spacing = (INTERVAL_S * 1000) / MAILBOXES;
  await Promise.all(
    tokens.map((set, i) =>
      limit(async () => {
        await sleep(start + i * spacing - Date.now());
        const address = `box${i + 1}@contoso.test`;
        handedOver.set(address, Date.now());
        const res = await calls[i % calls.length]!(
          'POST',
          mailboxPath(address, '/tokens'),
          tokensHandoffBody(set, address),
        );
        if (res.status !== 201) throw new Error(`handoff of ${address}: ${res.status} ${res.text}`);
      }),
    ),
  );
  return handedOver;
}

async function runOnce(count: number, stack: StackInfo, stackPid: number, tokens: TokenSet[], pg?: TestPostgres) {
  const database = `scale_${count}_${Date.now()}`;
  let storeArgs: string[] = [];
  if (pg) {
    await pg.createDatabase(database);
    storeArgs = ['--store', pg.url(database)];
  } else if (count > 1) {
    throw new Error('The embedded SQLite store serves one instance: use BENCH_SCALE_STORE=postgres for more.');
  }
  const instances = await startInstances(count, stack, storeArgs);
  const reader: CheckReader = pg ? postgresCheckLog(pg.url(database)) : sqliteCheckLog(instances[0]!.dataDir);
  const pgPid = pg && (await postmasterPid(pg.url()));
  const pids = instances.map((c) => c.process.pid!);
  const cpuBefore = pids.map(processCpuSeconds);
  const stackBefore = treeCpuSeconds(stackPid);
  const pgBefore = pgPid && treeCpuSeconds(pgPid);
  const harnessBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const loadStart = loadAverage();
  const start = Date.now() + 1000;
  const end = start + DURATION_S * 1000;
  const seen: ObservedCheck[] = [];
  let pgConnectionsMax = 0;
  let pgActiveMax = 0;
  const poll = async () => {
    seen.push(...(await reader.next()));
  };
  let polls = 0;
  const sampling = (async () => {
    while (Date.now() < end) {
      await poll();
      if (pg && polls++ % 5 === 0) {
        const byState = await postgresConnections(pg.url(), database);
        pgConnectionsMax = Math.max(
          pgConnectionsMax,
          Object.values(byState).reduce((a, b) => a + b, 0),
        );
        pgActiveMax = Math.max(pgActiveMax, byState.active ?? 0);
      }
      await sleep(1000);
    }
  })();
  console.error(
    `  ${count} instance(s): handing over ${MAILBOXES} mailboxes over ${INTERVAL_S} s, ${DURATION_S} s window`,
  );
  try {
    const handedOver = await handOver(instances, tokens, start);
    await sampling;
    await poll();
    const wall = (Date.now() - start) / 1000;
    const machineAfter = machineCpu();
    const harness = process.cpuUsage(harnessBefore);
    const stackAfter = treeCpuSeconds(stackPid);
    const percent = (seconds: number) => (100 * seconds) / wall;
    const schedule = scheduleFigures({
      handedOver,
      checks: seen,
      intervalMs: INTERVAL_S * 1000,
      windowStart: start,
      windowEnd: end,
    });
    const logins = dovecotLogins(stack.imapDir, start, end);
    const figures: RunFigures = {
      ...schedule,
      instances: count,
      windowS: DURATION_S,
      twiceInDovecotLog: twiceInServerLog(logins, seen, INTERVAL_S * 1000).length,
      logins: [...logins.values()].reduce((n, l) => n + l.length, 0),
      perInstance: pids.map((pid, i) => ({
        cpuPercent: percent(processCpuSeconds(pid) - cpuBefore[i]!),
        peakRssMb: memoryMb(pid).peak,
      })),
      stackNodeCpuPercent: percent(stackAfter.own - stackBefore.own),
      dovecotCpuPercent: percent(stackAfter.descendants - stackBefore.descendants),
      harnessCpuPercent: percent((harness.user + harness.system) / 1e6),
      machineBusyPercent: (100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total),
      loadStart,
      loadEnd: loadAverage(),
    };
    if (pgPid && pgBefore) {
      const after = treeCpuSeconds(pgPid);
      figures.postgresCpuPercent = percent(after.own + after.descendants - pgBefore.own - pgBefore.descendants);
      figures.pgConnectionsMax = pgConnectionsMax;
      figures.pgActiveMax = pgActiveMax;
    }
    return figures;
  } finally {
    reader.close();
    // SIGKILL: nothing of a run is kept, and PostgreSQL ends a killed client's sessions itself. A profile is written
    // only on a normal exit.
    await Promise.all(instances.map((c) => c.kill(CPU_PROFILE_DIR ? 'SIGTERM' : 'SIGKILL')));
  }
}

function report(all: RunFigures[]): void {
  const need = MAILBOXES / INTERVAL_S;
  const pct = (xs: number[]) =>
    xs.length
      ? `${percentile(xs, 50).toFixed(1)} / ${percentile(xs, 95).toFixed(1)} / ${xs.at(-1)!.toFixed(1)}`
      : 'none in the window';
  console.log(
    `\n${MAILBOXES} mailboxes, a check every ${INTERVAL_S} s (${need.toFixed(1)} checks/s needed), ` +
      `store ${STORE}, concurrency ${CONCURRENCY} per instance, ${DURATION_S} s per run, Node ${process.version}\n`,
  );
  const columns = [
    'instances',
    'checks/s (need)',
    'checks',
    'failed',
    'lateness 1st round p50/p95/max s',
    'lateness after p50/p95/max s',
    'check duration p50/p95 s',
    'waiting at end (oldest s)',
    'twice (DB / Dovecot log)',
    'skipped',
    'checks per instance',
    'CPU % per instance',
    'peak RSS MB per instance',
    'PG conns max (active)',
    'CPU % IdP+SMTP / Dovecot / PG / harness',
    'machine busy %',
    'load start -> end',
  ];
  console.log(`| ${columns.join(' | ')} |`);
  console.log(`|${columns.map(() => '---').join('|')}|`);
  for (const f of all) {
    const cells = [
      String(f.instances),
      `${f.checksPerSecond.toFixed(1)} (${need.toFixed(1)})`,
      String(f.checks),
      String(f.failed),
      pct(f.firstRoundLateness),
      pct(f.laterLateness),
      f.durations.length
        ? `${percentile(f.durations, 50).toFixed(2)} / ${percentile(f.durations, 95).toFixed(2)}`
        : 'not logged',
      `${f.waitingAtEnd} (${f.oldestWaitingS.toFixed(0)})`,
      `${f.twice.length} / ${f.twiceInDovecotLog}`,
      `${f.skipped.length} (never checked ${f.neverChecked})`,
      Object.values(f.byInstance).join(', '),
      f.perInstance.map((p) => p.cpuPercent.toFixed(0)).join(', '),
      f.perInstance.map((p) => p.peakRssMb.toFixed(0)).join(', '),
      f.pgConnectionsMax === undefined ? '-' : `${f.pgConnectionsMax} (${f.pgActiveMax})`,
      [f.stackNodeCpuPercent, f.dovecotCpuPercent, f.postgresCpuPercent, f.harnessCpuPercent]
        .map((v) => (v === undefined ? '-' : v.toFixed(0)))
        .join(' / '),
      f.machineBusyPercent.toFixed(0),
      `${f.loadStart} -> ${f.loadEnd}`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(
    '\nLateness: when a check started minus the due time it served (check log; where the store logs no start, ' +
      "when it ended). CPU % is of one core (the machine has two, shared); IMAP logins in Dovecot's log: " +
      `${all.map((f) => `${f.logins} for ${f.checks} checks`).join(', ')}.`,
  );
  // CPU time each part spent per finished check, and what the needed rate would take on an otherwise idle machine.
  for (const f of all) {
    const perCheck = (percent: number | undefined) => ((percent ?? 0) * 10 * f.windowS) / Math.max(1, f.checks);
    const parts = {
      companions: perCheck(f.perInstance.reduce((a, p) => a + p.cpuPercent, 0)),
      'IdP+SMTP': perCheck(f.stackNodeCpuPercent),
      Dovecot: perCheck(f.dovecotCpuPercent),
      PostgreSQL: perCheck(f.postgresCpuPercent),
    };
    const total = Object.values(parts).reduce((a, b) => a + b, 0);
    console.log(
      `${f.instances} instance(s): CPU per check ${Object.entries(parts)
        .map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`)
        .join(', ')}; ${need.toFixed(1)} checks/s would take ${((total * need) / 1000).toFixed(1)} cores`,
    );
  }
  for (const f of all) {
    if (f.twice.length) console.log(`${f.instances} instance(s): checked twice: ${f.twice.slice(0, 5).join(', ')}`);
    if (f.skipped.length) console.log(`${f.instances} instance(s): skipped: ${f.skipped.slice(0, 5).join(', ')}`);
  }
}

await buildNodeBundle(undefined, BUNDLE);
console.error(`Starting the mail stack and signing in ${MAILBOXES} mailboxes...`);
const { info, child } = await startStack();
console.error(`  tokens issued in ${info.issueSeconds.toFixed(0)} s`);
const tokens = JSON.parse(readFileSync(info.tokensFile, 'utf8')) as TokenSet[];
const pg = STORE === 'postgres' ? await startTestPostgres() : undefined;
const startAt = process.env.BENCH_SCALE_START_AT ? Date.parse(process.env.BENCH_SCALE_START_AT) : Date.now();
if (startAt > Date.now()) {
  console.error(`  ready; the runs start at ${new Date(startAt).toISOString()}`);
  await sleep(startAt - Date.now());
}
try {
  const all: RunFigures[] = [];
  for (const count of INSTANCES) all.push(await runOnce(count, info, child.pid!, tokens, pg));
  report(all);
  if (all.some((f) => f.twice.length || f.twiceInDovecotLog)) process.exitCode = 1;
} finally {
  pg?.destroy();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
