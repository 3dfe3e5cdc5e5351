/**
 * Benchmark: verify 200 mailboxes against the local Dovecot and SMTP server, and the same run's floor.
 *
 *   npx tsx scripts/bench-companion.ts [--mailboxes 200] [--concurrency 8] [--rounds 2]
 *
 * The parent process starts the real stack (tests/stack) and signs in headlessly; the measured work runs
 * in a child process so its peak memory is the verifier's alone, not the test servers'. Both share the
 * machine's cores with the servers, the same for the verification and for the floor.
 *
 * Mailboxes: the stack has a handful of Microsoft mailboxes; the 200 verifications cycle through 5 of
 * them, each verification with its own freshly issued access token (so every AUTHENTICATE is a real
 * introspection of a distinct token).
 *
 * Verification: DNS/resolve, TCP, TLS, IMAP AUTHENTICATE, LIST + SELECT INBOX, newest message, SMTP
 * connect + STARTTLS + AUTH XOAUTH2 (no round trip: it writes to the mailbox).
 * Floor: one TLS connect + `A1 AUTHENTICATE XOAUTH2 <base64>` per mailbox with node:tls and nothing else,
 * at the same concurrency, against the same IMAP server. A second floor adds the bare SMTP sign-in
 * (EHLO, STARTTLS, EHLO, AUTH XOAUTH2) since a verification must do both: two TLS handshakes and two
 * token introspections per mailbox, so about twice the first floor is the least it can cost.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import type { ResolveRule } from '../companion/src/outbound';
import { verifyMany } from '../companion/src/verify/pool';
import type { VerifyTarget } from '../lib/verification';

interface WorkerInput {
  targets: VerifyTarget[];
  resolve: ResolveRule[];
  ca: string;
  concurrency: number;
  /** Where the floor connects: the address:port outlook.office365.com:993 maps to. */
  imapAddress: string;
  imapPort: number;
  /** Where smtp.office365.com:587 maps to (the two-protocol floor). */
  smtpAddress: string;
  smtpPort: number;
  /** Floor run that also does the bare SMTP sign-in, as a verification does both. */
  floorWithSmtp?: boolean;
}

interface RunFigures {
  wallMs: number;
  perMailboxMs: number[];
  peakRssMb: number;
  /** RSS of the worker before the run: Node, tsx's loader and the loaded modules. */
  baselineRssMb: number;
  failures: number;
  /** Verification only: mean time of each step per mailbox. */
  stepMeanMs?: Record<string, number>;
}

const { values: args } = parseArgs({
  options: {
    mailboxes: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    worker: { type: 'string' },
  },
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Samples RSS every 20 ms while `work` runs; returns the peak in MB. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

// ------------------------------------------------------------------------------------------- worker

async function runVerification(input: WorkerInput): Promise<RunFigures> {
  const started = new Map<number, number>();
  const perMailboxMs: number[] = [];
  const stepMs = new Map<string, number>();
  let failures = 0;
  const t0 = performance.now();
  const { peakRssMb } = await withPeakRss(() =>
    verifyMany(input.targets, {
      concurrency: input.concurrency,
      resolve: input.resolve,
      extraCaPem: input.ca,
      onStep: (i, step) => {
        if (step.id === 'dns' && step.status === 'running') started.set(i, performance.now());
        if (step.durationMs !== undefined) stepMs.set(step.id, (stepMs.get(step.id) ?? 0) + step.durationMs);
      },
      onVerdict: (i, verdict) => {
        perMailboxMs.push(performance.now() - started.get(i)!);
        if (!verdict.ready) {
          failures += 1;
          if (failures <= 3) console.error(`verification ${i} not ready: ${verdict.headline}`);
        }
      },
    }),
  );
  const stepMeanMs = Object.fromEntries([...stepMs].map(([id, ms]) => [id, ms / input.targets.length]));
  return { wallMs: performance.now() - t0, perMailboxMs, peakRssMb, failures, baselineRssMb: 0, stepMeanMs };
}

let sharedContext: tls.SecureContext | undefined;
/** Built once, like the verifier's: the floor must not pay for parsing the root store per connection. */
function floorContext(ca: string): tls.SecureContext {
  sharedContext ??= tls.createSecureContext({ ca: [...tls.rootCertificates, ca], minVersion: 'TLSv1.2' });
  return sharedContext;
}

/** The least any client can do: TLS, greeting, one AUTHENTICATE, close. */
function bareAuthenticate(input: WorkerInput, target: VerifyTarget): Promise<boolean> {
  const payload = Buffer.from(`user=${target.address}\x01auth=Bearer ${target.auth.accessToken}\x01\x01`).toString('base64');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: input.imapAddress,
      port: input.imapPort,
      servername: target.imap.host,
      secureContext: floorContext(input.ca),
    });
    let buffer = '';
    let sent = false;
    socket.setTimeout(15_000, () => socket.destroy(new Error('floor client timed out')));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (!sent && buffer.includes('\r\n')) {
        sent = true;
        socket.write(`A1 AUTHENTICATE XOAUTH2 ${payload}\r\n`);
      }
      const tagged = /^A1 (OK|NO|BAD)/m.exec(buffer);
      if (tagged) {
        socket.destroy();
        resolve(tagged[1] === 'OK');
      } else if (/^\+ /m.test(buffer)) {
        socket.write('\r\n'); // an error challenge: end the exchange to get the tagged NO
        buffer = buffer.replace(/^\+ .*\r\n/m, '');
      }
    });
    socket.on('error', reject);
  });
}

/** The least an SMTP client can do on 587: greeting, EHLO, STARTTLS, TLS, EHLO, AUTH XOAUTH2, close. */
function bareSmtpAuthenticate(input: WorkerInput, target: VerifyTarget): Promise<boolean> {
  const payload = Buffer.from(`user=${target.auth.user}\x01auth=Bearer ${target.auth.accessToken}\x01\x01`).toString('base64');
  return new Promise((resolve, reject) => {
    const plain = net.connect({ host: input.smtpAddress, port: input.smtpPort });
    plain.setTimeout(15_000, () => plain.destroy(new Error('floor client timed out')));
    plain.on('error', reject);
    let buffer = '';
    let stage: 'greeting' | 'ehlo' | 'starttls' = 'greeting';
    // A reply is complete at its last line: "250 ..." (a space after the code, not a dash).
    const complete = () => /(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(buffer);
    const onPlain = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (!complete()) return;
      const reply = buffer;
      buffer = '';
      if (stage === 'greeting') {
        stage = 'ehlo';
        plain.write('EHLO bench.local\r\n');
      } else if (stage === 'ehlo') {
        stage = 'starttls';
        plain.write('STARTTLS\r\n');
      } else if (reply.startsWith('220')) {
        plain.removeListener('data', onPlain);
        const secure = tls.connect({ socket: plain, servername: target.smtp.host, secureContext: floorContext(input.ca) }, () => {
          secure.write('EHLO bench.local\r\n');
        });
        let authSent = false;
        secure.on('error', reject);
        secure.on('data', (d) => {
          buffer += d.toString('latin1');
          if (!complete()) return;
          const r = buffer;
          buffer = '';
          if (!authSent) {
            authSent = true;
            secure.write(`AUTH XOAUTH2 ${payload}\r\n`);
          } else if (r.startsWith('334')) {
            secure.write('\r\n');
          } else {
            secure.destroy();
            resolve(r.startsWith('235'));
          }
        });
      } else {
        plain.destroy();
        resolve(false);
      }
    };
    plain.on('data', onPlain);
  });
}

async function runFloor(input: WorkerInput): Promise<RunFigures> {
  const limit = pLimit(input.concurrency);
  const perMailboxMs: number[] = [];
  let failures = 0;
  const t0 = performance.now();
  const { peakRssMb } = await withPeakRss(() =>
    Promise.all(
      input.targets.map((target) =>
        limit(async () => {
          const s = performance.now();
          let ok = await bareAuthenticate(input, target).catch(() => false);
          if (input.floorWithSmtp) ok = (await bareSmtpAuthenticate(input, target).catch(() => false)) && ok;
          perMailboxMs.push(performance.now() - s);
          if (!ok) failures += 1;
        }),
      ),
    ),
  );
  return { wallMs: performance.now() - t0, perMailboxMs, peakRssMb, failures, baselineRssMb: 0 };
}

async function worker(file: string): Promise<void> {
  const input = JSON.parse(readFileSync(file, 'utf8')) as WorkerInput;
  const mode = process.env.BENCH_MODE;
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const figures = mode === 'floor' ? await runFloor(input) : await runVerification(input);
  process.stdout.write(`${JSON.stringify({ ...figures, baselineRssMb })}\n`);
}

// ------------------------------------------------------------------------------------------- parent

function runWorker(file: string, mode: 'floor' | 'verify'): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--worker', file], {
      env: { ...process.env, BENCH_MODE: mode },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${mode} worker exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as RunFigures);
    });
  });
}

async function parent(): Promise<void> {
  const { startMailStack, ACCOUNTS } = await import('../tests/stack');
  const count = Number(args.mailboxes);
  const concurrency = Number(args.concurrency);
  const accounts = [ACCOUNTS.support, ACCOUNTS.wrongUser, ACCOUNTS.delegate, ACCOUNTS.otherTenant, ACCOUNTS.personal].map((a) => a.email);

  const stack = await startMailStack();
  const dir = mkdtempSync(join(tmpdir(), 'reauth-bench-'));
  try {
    const issue = pLimit(8);
    const issueTargets = () =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          issue(async (): Promise<VerifyTarget> => {
            const account = accounts[i % accounts.length]!;
            const tokens = await stack.idp.issueTokens({ account });
            return {
              address: account,
              imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
              smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
              provider: 'microsoft',
              auth: { user: account, accessToken: tokens.access_token, expiresAt: Date.now() + tokens.expires_in * 1000 },
            };
          }),
        ),
      );
    const resolve: ResolveRule[] = Object.entries(stack.mailHostMap).map(([hostPort, to]) => {
      const [host, port] = hostPort.split(':');
      return { host: host!, port: Number(port), address: to.host, targetPort: to.port };
    });
    const imap = stack.mailHostMap['outlook.office365.com:993']!;
    const smtp = stack.mailHostMap['smtp.office365.com:587']!;
    const write = (name: string, targets: VerifyTarget[], floorWithSmtp = false) => {
      const file = join(dir, name);
      const input: WorkerInput = {
        targets, resolve, ca: stack.ca, concurrency, floorWithSmtp,
        imapAddress: imap.host, imapPort: imap.port, smtpAddress: smtp.host, smtpPort: smtp.port,
      };
      writeFileSync(file, JSON.stringify(input), { mode: 0o600 });
      return file;
    };

    console.error(`Issuing ${count} tokens x3 (a fresh set for each run)...`);
    const floorFile = write('floor.json', await issueTargets());
    const floor2File = write('floor2.json', await issueTargets(), true);
    const verifyFile = write('verify.json', await issueTargets());

    // Warm both servers once (Dovecot's login and auth processes), then measure.
    await runWorker(write('warm.json', (await issueTargets()).slice(0, concurrency), true), 'floor');
    // The machine is shared: rounds alternate the three runs and the best (fastest) round of each counts.
    const best = (a: RunFigures | undefined, b: RunFigures) => (a && a.wallMs <= b.wallMs ? a : b);
    let floor: RunFigures | undefined;
    let floor2: RunFigures | undefined;
    let verify: RunFigures | undefined;
    for (let round = 0; round < Number(args.rounds); round++) {
      floor = best(floor, await runWorker(floorFile, 'floor'));
      verify = best(verify, await runWorker(verifyFile, 'verify'));
      floor2 = best(floor2, await runWorker(floor2File, 'floor'));
    }
    if (!floor || !floor2 || !verify) throw new Error('--rounds must be at least 1');

    const row = (name: string, f: RunFigures) => {
      const sorted = [...f.perMailboxMs].sort((a, b) => a - b);
      return `| ${name.padEnd(35)} | ${f.wallMs.toFixed(0).padStart(9)} | ${percentile(sorted, 50).toFixed(1).padStart(8)} | ${percentile(sorted, 95).toFixed(1).padStart(8)} | ${f.peakRssMb.toFixed(1).padStart(11)} | ${f.baselineRssMb.toFixed(1).padStart(11)} | ${String(f.failures).padStart(8)} |`;
    };
    console.log(`\n${count} mailboxes (5 stack mailboxes, one token each), concurrency ${concurrency}, best of ${args.rounds} rounds, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}\n`);
    console.log('| run                                 | wall (ms) | p50 (ms) | p95 (ms) | peak RSS MB | RSS at start | failures |');
    console.log('|-------------------------------------|-----------|----------|----------|-------------|-------------|----------|');
    console.log(row('floor: TLS + AUTHENTICATE (bare)', floor));
    console.log(row('floor, IMAP + SMTP sign-in (bare)', floor2));
    console.log(row('verifyMailbox (IMAP 5 steps + SMTP)', verify));
    const steps = Object.entries(verify.stepMeanMs ?? {}).map(([id, ms]) => `${id} ${ms.toFixed(1)}`).join(', ');
    console.log(`\nverification, mean ms per step: ${steps}`);
    const ratio = verify.wallMs / floor.wallMs;
    console.log(`\nwall time ratio verify/floor: ${ratio.toFixed(2)}x (target <= 2x): ${ratio <= 2 ? 'met' : 'NOT met'}`);
    console.log(`peak RSS of the verifier: ${verify.peakRssMb.toFixed(1)} MB (target < 150 MB): ${verify.peakRssMb < 150 ? 'met' : 'NOT met'}`);
    if (floor.failures || floor2.failures || verify.failures) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stack.stop();
  }
}

if (args.worker) await worker(args.worker);
else await parent();
