/**
 * Benchmark: verify 200 mailboxes against the local Dovecot and SMTP server, and the same run's floor.
 *
 *   npx tsx scripts/bench-companion.ts [--mailboxes 200] [--concurrency 8] [--rounds 2]
 *
 * The parent process starts the real stack (tests/stack) and signs in headlessly; the measured work runs
 * in a child process (scripts/bench-companion-worker.ts, bundled and run with plain Node as `npm start` runs
 * the companion) so its peak memory is the verifier's alone, not the test servers' nor tsx's. Both share the
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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import type { ResolveRule } from '../companion/src/outbound';
import type { VerifyTarget } from '../lib/verification';
// @ts-expect-error: a plain .mjs build script, no types of its own
import { buildNodeBundle } from './build-companion.mjs';
import type { RunFigures, WorkerInput } from './bench-companion-worker';
import { percentile } from './bench-stats';

const { values: args } = parseArgs({
  options: {
    mailboxes: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
  },
});



// ------------------------------------------------------------------------------------------- parent

/** The worker, bundled like the companion's `npm start` build. */
const WORKER_BUNDLE = join(import.meta.dirname, '..', process.env.REAUTH_OUT ?? '.output-bench', 'bench-companion-worker.mjs');

function runWorker(file: string, mode: 'floor' | 'verify'): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', WORKER_BUNDLE, file], {
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

await buildNodeBundle(join(import.meta.dirname, 'bench-companion-worker.ts'), WORKER_BUNDLE);
await parent();
