/**
 * Several companion instances (child processes, as users run them) sharing one real PostgreSQL (a throw-away
 * cluster of Debian's server), and the faults a team deployment meets: an instance killed with SIGKILL in the
 * middle of checks, PostgreSQL restarted mid-run, PostgreSQL stopped for 30 seconds. What is asserted is
 * read from the database's own check log (one row per completed check), not from the instances' word.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxPath } from '../../lib/companion-api';
import { CLIENTS, startIdentityProvider } from '../stack';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import {
  api,
  closedPort,
  idpArgs,
  writeConfidentialClients,
  startChildCompanion,
  syntheticHandoff,
  tempDataDir,
  waitFor,
  type ChildCompanion,
} from './companion-support';

interface CheckRow {
  address: string;
  due_at: number;
  started_at: number;
  checked_at: number;
  instance: string;
}

/** A mail port that accepts and never speaks: every check of a mailbox on it runs for the whole step timeout. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const instanceId = (companion: ChildCompanion) => /instance (\S+)\)/.exec(companion.output())?.[1] ?? '';
const alive = (companion: ChildCompanion) =>
  companion.process.exitCode === null && companion.process.signalCode === null;

describe('several instances on one PostgreSQL', () => {
  let pg: TestPostgres;
  const running: ChildCompanion[] = [];
  const servers: Array<{ close(): Promise<void> }> = [];
  const key = randomBytes(32).toString('base64');

  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await Promise.all(running.map((c) => c.kill('SIGKILL')));
    await Promise.all(servers.map((s) => s.close()));
    pg?.destroy();
  });

  /** `count` instances on database `db`, sharing one token key; the first start makes the pairing secret. */
  async function team(
    db: string,
    count: number,
    args: string[],
  ): Promise<{ instances: ChildCompanion[]; secret: string }> {
    await pg.createDatabase(db);
    const env = { REAUTH_ASSIST_STORE: pg.url(db), REAUTH_ASSIST_KEY: key };
    const first = await startChildCompanion(tempDataDir(), args, env);
    running.push(first);
    const instances = [first];
    for (let i = 1; i < count; i++) {
      const next = await startChildCompanion(tempDataDir(), args, env);
      running.push(next);
      expect(next.secret, 'the pairing lives in the database: later instances make none').toBeUndefined();
      instances.push(next);
    }
    return { instances, secret: first.secret! };
  }

  const checks = (db: string) =>
    pg.query<CheckRow>(db, 'SELECT address, due_at, started_at, checked_at, instance FROM check_log ORDER BY id');

  /** Hands over mailboxes round-robin through every instance: any instance serves the API. */
  async function handOver(instances: ChildCompanion[], secret: string, addresses: string[], port: number) {
    const server = { host: '127.0.0.1', port, security: 'tls' };
    for (const [i, address] of addresses.entries()) {
      const via = instances[i % instances.length]!;
      const res = await api(via.url, secret)(
        'POST',
        mailboxPath(address, '/tokens'),
        syntheticHandoff(address, { imap: server, smtp: server }),
      );
      expect(res.status, res.text).toBe(201);
    }
  }

  it('kill -9 of one of three mid-check: the others check its mailboxes within one lease, none twice', async () => {
    const silent = await silentServer();
    servers.push(silent);
    const leaseSeconds = 4;
    const { instances, secret } = await team('kill_one', 3, [
      '--check-interval',
      '3600',
      '--step-timeout',
      '2',
      '--concurrency',
      '3',
      '--lease-seconds',
      String(leaseSeconds),
    ]);
    const addresses = Array.from({ length: 12 }, (_, i) => `box${i}@team.test`);
    await handOver(instances, secret, addresses, silent.port);

    const [victim, ...others] = instances as [ChildCompanion, ...ChildCompanion[]];
    const victimId = instanceId(victim);
    const held = await waitFor('the victim holding leases mid-check', async () => {
      const rows = await pg.query<{ address: string }>(
        'kill_one',
        'SELECT address FROM schedule WHERE lease_owner = $1',
        [victimId],
      );
      return rows.length > 0 ? rows.map((r) => r.address) : undefined;
    });
    const killedAt = Date.now();
    await victim.kill('SIGKILL');

    const log = await waitFor(
      'every mailbox checked',
      async () => {
        const rows = await checks('kill_one');
        return new Set(rows.map((r) => r.address)).size === addresses.length ? rows : undefined;
      },
      60_000,
    );
    // Each mailbox exactly once: none skipped, none checked twice (the next check is an hour away).
    expect(log.map((r) => r.address).sort()).toEqual([...addresses].sort());
    const survivors = new Set(others.map(instanceId));
    const takeover = held.map((a) => Number(log.find((r) => r.address === a)!.started_at) - killedAt);
    console.info(
      `kill -9: ${held.length} mailboxes held by the victim, taken over ${takeover.join(', ')} ms after the kill`,
    );
    for (const address of held) {
      const row = log.find((r) => r.address === address)!;
      expect(row.instance, `${address} was the victim's; a survivor checked it`).not.toBe(victimId);
      expect(survivors.has(row.instance)).toBe(true);
      // Taken over once the victim's lease ran out: within one lease period (plus a tick) of the kill.
      expect(Number(row.started_at) - killedAt).toBeLessThanOrEqual(leaseSeconds * 1000 + 2000);
    }
    for (const survivor of others) expect(alive(survivor)).toBe(true);
  }, 120_000);

  it('PostgreSQL restarted mid-run: the instances reconnect by themselves and nothing is lost', async () => {
    const silent = await silentServer();
    servers.push(silent);
    const { instances, secret } = await team('restart', 2, [
      '--check-interval',
      '3600',
      '--step-timeout',
      '2',
      '--concurrency',
      '2',
      '--lease-seconds',
      '4',
    ]);
    const before = Array.from({ length: 8 }, (_, i) => `before${i}@team.test`);
    await handOver(instances, secret, before, silent.port);
    await waitFor('checks in flight', async () => {
      const [row] = await pg.query<{ n: number }>(
        'restart',
        'SELECT COUNT(*)::int AS n FROM schedule WHERE lease_owner IS NOT NULL',
      );
      return row!.n > 0;
    });
    pg.stopServer();
    pg.startServer();

    // Acknowledged writes through either instance right after the restart.
    const after = ['after0@team.test', 'after1@team.test'];
    await waitFor('a handoff accepted after the restart', async () => {
      const res = await api(instances[0]!.url, secret)('GET', '/v1/health');
      return res.status === 200;
    });
    await handOver(instances, secret, after, silent.port);

    const all = [...before, ...after];
    const log = await waitFor(
      'every mailbox checked',
      async () => {
        const rows = await checks('restart');
        return new Set(rows.map((r) => r.address)).size === all.length ? rows : undefined;
      },
      60_000,
    );
    expect(log.map((r) => r.address).sort()).toEqual([...all].sort());
    const [stored] = await pg.query<{ n: number }>('restart', 'SELECT COUNT(*)::int AS n FROM mailboxes');
    expect(stored!.n).toBe(all.length);
    for (const instance of instances) {
      expect(alive(instance)).toBe(true);
      expect((await api(instance.url, secret)('GET', '/v1/health')).status).toBe(200);
    }
  }, 120_000);

  it('PostgreSQL down 30 s: 503 store_unavailable, no crash, then a catch-up paced by --max-check-rate', async () => {
    const refused = await closedPort();
    const rate = 2;
    const { instances, secret } = await team('outage', 2, [
      // time scale 0.1: the retries fall due every few seconds, so the outage leaves a backlog.
      '--time-scale',
      '0.1',
      '--check-interval',
      '3600',
      '--concurrency',
      '8',
      '--max-check-rate',
      String(rate),
      '--lease-seconds',
      '4',
    ]);
    const addresses = Array.from({ length: 30 }, (_, i) => `down${i}@team.test`);
    await handOver(instances, secret, addresses, refused);
    await waitFor('checks under way', async () => (await checks('outage')).length >= 10, 30_000);

    pg.stopServer();
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    for (const instance of instances) {
      const health = await api(instance.url, secret)('GET', '/v1/health');
      expect(health.status).toBe(503);
      expect(health.json.error.code).toBe('store_unavailable');
      expect(health.json.error.message).toMatch(/PostgreSQL/);
      const list = await api(instance.url, secret)('GET', '/v1/mailboxes');
      expect(list.status).toBe(503);
      expect(list.json.error.code).toBe('store_unavailable');
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - stoppedAt))));
    for (const instance of instances) expect(alive(instance), instance.output()).toBe(true);

    pg.startServer();
    const backAt = Date.now();
    const [due] = await pg.query<{ n: number }>(
      'outage',
      'SELECT COUNT(*)::int AS n FROM schedule WHERE next_run_at <= $1',
      [backAt],
    );
    expect(due!.n, 'the outage left a backlog of due checks').toBeGreaterThanOrEqual(20);
    for (const instance of instances) {
      await waitFor('health again', async () => (await api(instance.url, secret)('GET', '/v1/health')).status === 200);
    }
    await new Promise((r) => setTimeout(r, 10_000));

    // Checks started per second after the outage, across both instances: at most each one's rate plus the
    // one second's worth its bucket holds, never the backlog at once (--concurrency 8 would allow 16).
    const caughtUp = (await checks('outage')).filter((r) => Number(r.started_at) >= backAt);
    expect(caughtUp.length).toBeGreaterThanOrEqual(10);
    const perSecond = new Map<number, number>();
    for (const row of caughtUp) {
      const second = Math.floor(Number(row.started_at) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    console.info(
      `outage: ${due!.n} checks due when PostgreSQL came back; started per second afterwards: ` +
        [...perSecond.values()].join(' '),
    );
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(instances.length * rate * 2);
    for (const instance of instances) {
      expect(alive(instance)).toBe(true);
      expect(instance.output()).toMatch(/database unreachable/);
      expect(instance.output()).toMatch(/database reachable again/);
    }
  }, 150_000);

  it('pairing and client secrets live in the database: every instance has them, a reset reaches all', async () => {
    const idp = await startIdentityProvider();
    servers.push({ close: () => idp.stop() });
    await pg.createDatabase('credentials');
    const env = { REAUTH_ASSIST_STORE: pg.url('credentials'), REAUTH_ASSIST_KEY: key };
    const args = [...idpArgs(idp.port), '--check-interval', '3600'];
    const withFile = tempDataDir();
    writeConfidentialClients(withFile, [CLIENTS.confidential]);
    const first = await startChildCompanion(withFile, args, env);
    running.push(first);
    // The second instance has no clients file: the secret comes from the database.
    const second = await startChildCompanion(tempDataDir(), args, env);
    running.push(second);
    const code = {
      mode: 'code',
      provider: 'microsoft',
      clientId: CLIENTS.confidential.clientId,
      code: 'not-a-code-the-provider-issued',
      codeVerifier: 'v'.repeat(43),
      redirectUri: 'https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/',
    };
    const redeemed = await api(second.url, first.secret)('POST', mailboxPath('x@team.test', '/tokens'), code);
    // Redeemed at the provider with the secret (which refuses the made-up code), not refused as unknown.
    expect(redeemed.json.error.code).toBe('token_endpoint_error');
    const rows = await pg.query<{ row: string }>('credentials', 'SELECT t::text AS row FROM client_secrets t');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).not.toContain(CLIENTS.confidential.clientSecret);

    const third = await startChildCompanion(tempDataDir(), [...args, '--reset-pairing'], env);
    running.push(third);
    expect(third.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const instance of [first, second]) {
      await waitFor(
        'the new secret accepted, the old one refused',
        async () =>
          (await api(instance.url, third.secret)('GET', '/v1/mailboxes')).status === 200 &&
          (await api(instance.url, first.secret)('GET', '/v1/mailboxes')).status === 401,
        15_000,
      );
    }
  }, 90_000);

  it('alerts once per change, whichever of the instances sees it', async () => {
    const posted: Array<{ event: string; mailbox: string }> = [];
    const receiver = createHttpServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        posted.push(JSON.parse(text) as { event: string; mailbox: string });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise<void>((r) => receiver.close(() => r())) });
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    await pg.createDatabase('alerts');
    const env = { REAUTH_ASSIST_STORE: pg.url('alerts'), REAUTH_ASSIST_KEY: key };
    // time scale 0.01: the 8 retries take about 7 s; each instance also sweeps every second for changes.
    const args = ['--time-scale', '0.01', '--check-interval', '3600', '--lease-seconds', '4'];
    const instances: ChildCompanion[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = tempDataDir();
      writeFileSync(join(dir, 'alerts.json'), JSON.stringify({ webhooks: [{ name: 'ops', url }] }), { mode: 0o600 });
      const instance = await startChildCompanion(dir, args, env);
      running.push(instance);
      instances.push(instance);
    }
    const addresses = Array.from({ length: 6 }, (_, i) => `alert${i}@team.test`);
    await handOver(instances, instances[0]!.secret!, addresses, await closedPort());
    await waitFor(
      'every mailbox disconnected and announced',
      () => new Set(posted.filter((p) => p.event === 'disconnected').map((p) => p.mailbox)).size === addresses.length,
      60_000,
    );
    // Both instances sweep every second: give a duplicate time to arrive.
    await new Promise((r) => setTimeout(r, 4000));
    expect(posted.map((p) => `${p.event} ${p.mailbox}`).sort()).toEqual(
      addresses.map((a) => `disconnected ${a}`).sort(),
    );
  }, 120_000);
});
