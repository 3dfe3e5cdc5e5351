/**
 * The measured half of scripts/bench-companion.ts, run in its own process so its memory is the verifier's
 * alone. The parent bundles this file with the companion's build (scripts/build-companion.mjs) and runs it
 * with plain Node, as `npm start` runs the companion: no tsx loader in the figures.
 *
 *   node <bundle> <input.json>   (BENCH_MODE=floor|verify)
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import pLimit from 'p-limit';
import type { ResolveRule } from '../companion/src/outbound';
import { verifyMany } from '../companion/src/verify/pool';
import type { VerifyTarget } from '../lib/verification';

export interface WorkerInput {
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

export interface RunFigures {
  wallMs: number;
  perMailboxMs: number[];
  peakRssMb: number;
  /** RSS of the worker before the run: Node and the loaded bundle. */
  baselineRssMb: number;
  failures: number;
  /** Verification only: mean time of each step per mailbox. */
  stepMeanMs?: Record<string, number>;
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
  const payload = Buffer.from(`user=${target.address}\x01auth=Bearer ${target.auth.accessToken}\x01\x01`).toString(
    'base64',
  );
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
  const payload = Buffer.from(`user=${target.auth.user}\x01auth=Bearer ${target.auth.accessToken}\x01\x01`).toString(
    'base64',
  );
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
        const secure = tls.connect(
          { socket: plain, servername: target.smtp.host, secureContext: floorContext(input.ca) },
          () => {
            secure.write('EHLO bench.local\r\n');
          },
        );
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

const input = process.argv[2];
if (!input) throw new Error('usage: node <bundle> <input.json>');
await worker(input);
