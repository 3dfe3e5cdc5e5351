/**
 * Servers that misbehave, met by the companion as users run it (a child process): a mail port that accepts
 * and never speaks, one that drips a byte at a time. The companion still stops on SIGTERM with more checks
 * due than --concurrency, and a stalled STARTTLS port is reported as a timeout, not as a wrong SSL/TLS setting.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NDJSON_CONTENT_TYPE, mailboxPath, verifyStreamLineSchema } from '../../lib/companion-api';
import type { VerifyStreamLine } from '../../lib/companion-api';
import {
  api, handOverSynthetic, startChildCompanion, syntheticHandoff, tempDataDir, waitFor,
} from './companion-support';

interface MisbehavingServer {
  port: number;
  connections: number;
  close(): Promise<void>;
}

/** Accepts connections and then does what `behave` says (nothing at all, by default). */
async function misbehavingServer(behave: (socket: Socket) => void = () => {}): Promise<MisbehavingServer> {
  const sockets = new Set<Socket>();
  const state = { port: 0, connections: 0 };
  const server: Server = createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  return Object.assign(state, {
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  });
}

/** One byte every 200 ms, never a whole line: no idle timer fires, no greeting ever completes. */
const drip = (socket: Socket) => {
  const timer = setInterval(() => socket.write('*'), 200);
  socket.on('close', () => clearInterval(timer));
};

describe('stopping with more checks due than --concurrency (SIGTERM)', () => {
  it('settles the queued checks and exits, instead of answering on for ever', async () => {
    const silent = await misbehavingServer();
    const companion = await startChildCompanion(tempDataDir(), ['--concurrency', '2', '--check-interval', '3600']);
    try {
      const imap = { host: '127.0.0.1', port: silent.port, security: 'starttls' };
      for (let i = 0; i < 10; i++) await handOverSynthetic(companion, `silent${i}@contoso.test`, { imap });
      // Two checks hang on the silent server, eight wait in the queue.
      await waitFor('checks hanging on the silent server', () => silent.connections >= 2);
      companion.process.kill('SIGTERM');
      const exited = () => companion.process.exitCode !== null || companion.process.signalCode !== null;
      await waitFor('the companion to exit', exited, 30_000);
      expect(companion.process.exitCode).toBe(0);
      expect(companion.output()).toContain('SIGTERM: stopping the companion');
    } finally {
      await companion.kill('SIGKILL');
      await silent.close();
    }
  }, 60_000);
});

describe('a STARTTLS port that stalls or drips bytes', () => {
  let stall: MisbehavingServer;
  let dripping: MisbehavingServer;
  let companion: Awaited<ReturnType<typeof startChildCompanion>>;

  beforeAll(async () => {
    stall = await misbehavingServer();
    dripping = await misbehavingServer(drip);
    // The ports users configure (143 and 587 are STARTTLS ports), sent to the misbehaving servers.
    companion = await startChildCompanion(tempDataDir(), [
      '--check-interval', '3600', '--step-timeout', '1',
      '--resolve', `imap.stall.test:143:127.0.0.1:${stall.port}`,
      '--resolve', `smtp.stall.test:587:127.0.0.1:${stall.port}`,
      '--resolve', `imap.drip.test:143:127.0.0.1:${dripping.port}`,
      '--resolve', `smtp.drip.test:587:127.0.0.1:${dripping.port}`,
    ]);
  });
  afterAll(async () => {
    await companion?.kill();
    await stall?.close();
    await dripping?.close();
  });

  async function verify(address: string, kind: 'stall' | 'drip'): Promise<VerifyStreamLine[]> {
    const call = api(companion.url, companion.secret);
    const body = syntheticHandoff(address, {
      imap: { host: `imap.${kind}.test`, port: 143, security: 'starttls' },
      smtp: { host: `smtp.${kind}.test`, port: 587, security: 'starttls' },
    });
    expect((await call('POST', mailboxPath(address, '/tokens'), body)).status).toBe(201);
    const res = await call('POST', mailboxPath(address, '/verify'), {});
    expect(res.headers.get('content-type')).toContain(NDJSON_CONTENT_TYPE);
    return res.text.trim().split('\n').map((line) => verifyStreamLineSchema.parse(JSON.parse(line)));
  }

  for (const kind of ['stall', 'drip'] as const) {
    it(`says the ${kind === 'stall' ? 'stalling' : 'dripping'} server timed out`, async () => {
      const lines = await verify(`${kind}@contoso.test`, kind);
      const final = (id: string) => lines.filter((l) => l.type === 'step' && l.step.id === id).at(-1);
      const tls = final('tls');
      const smtp = final('smtp-connect');
      expect(tls?.type === 'step' && tls.step.diagnosis).toBe('connection-timeout');
      expect(smtp?.type === 'step' && smtp.step.diagnosis).toBe('connection-timeout');
      const verdict = lines.at(-1)!;
      expect(verdict.type).toBe('verdict');
      if (verdict.type === 'verdict') {
        expect(verdict.verdict.headline).toMatch(/did not answer on port 143 in time/);
        expect(verdict.verdict.headline).not.toMatch(/SSL\/TLS setting/);
      }
    }, 30_000);
  }
});
