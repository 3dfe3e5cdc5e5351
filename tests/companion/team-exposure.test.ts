/**
 * A companion others can call (bound beyond loopback, or given a public name) is a server on someone's
 * network: it must not start without the name clients reach it by, must not be reachable by its loopback
 * name from another machine, and must not let a paired client point it at internal hosts (SSRF) or read
 * back whatever banner answers on a port.
 */
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, mailboxPath, verifyStreamLineSchema } from '../../lib/companion-api';
import { api, rawRequest, startChildCompanion, syntheticHandoff, tempDataDir } from './companion-support';
import type { ChildCompanion } from './companion-support';

const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3';

/** A port that greets like an SSH server, as 127.0.0.1:22 would. */
async function sshLikeServer(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.write(`${SSH_BANNER}\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

const PUBLIC_SERVERS = {
  imap: { host: 'imap.example.org', port: 993, security: 'tls' },
  smtp: { host: 'smtp.example.org', port: 587, security: 'starttls' },
};

function genericHandoff(address: string, overrides: Record<string, unknown> = {}) {
  return { ...syntheticHandoff(address, PUBLIC_SERVERS), ...overrides };
}

/** This machine's first address that is not loopback: what another machine on the network would call. */
function outsideAddress(): string {
  const found = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
  if (!found) throw new Error('This machine has no non-loopback IPv4 address to call the companion from "outside".');
  return found.address;
}

const rawGet = (address: string, port: number, headers: Record<string, string>) =>
  rawRequest(port, headers, { address });
const TEAM = ['--public-name', 'tools.acme-helpdesk.test'];

describe('--host beyond loopback', () => {
  it('refuses to start without a public name, and says TLS belongs in front', async () => {
    const err = await startChildCompanion(tempDataDir(), ['--host', '0.0.0.0']).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/exited with 2/);
    expect((err as Error).message).toMatch(/--public-name/);
    expect((err as Error).message).toMatch(/TLS reverse proxy/);
  });

  it('prints the address it really listens on, and refuses its loopback name from another machine', async () => {
    const companion = await startChildCompanion(tempDataDir(), ['--host', '0.0.0.0', ...TEAM]);
    try {
      expect(companion.output()).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+/);
      expect(companion.output()).toMatch(/TLS reverse proxy/);
      const auth = { authorization: `Bearer ${companion.secret}` };
      const outside = outsideAddress();
      const remote = await rawGet(outside, companion.port, { ...auth, host: `127.0.0.1:${companion.port}` });
      expect(remote.status).toBe(421);
      expect(apiErrorSchema.parse(JSON.parse(remote.body)).error.code).toBe('host_not_allowed');
      // The public name (what the reverse proxy forwards) works from anywhere; loopback still works on the machine.
      expect((await rawGet(outside, companion.port, { ...auth, host: 'tools.acme-helpdesk.test' })).status).toBe(200);
      const local = await rawGet('127.0.0.1', companion.port, { ...auth, host: `127.0.0.1:${companion.port}` });
      expect(local.status).toBe(200);
    } finally {
      await companion.kill();
    }
  });
});

describe('internal targets in team mode (SSRF)', () => {
  let ssh: Awaited<ReturnType<typeof sshLikeServer>>;
  let team: ChildCompanion;
  let allowing: ChildCompanion;

  beforeAll(async () => {
    ssh = await sshLikeServer();
    team = await startChildCompanion(tempDataDir(), [...TEAM, '--check-interval', '3600']);
    allowing = await startChildCompanion(tempDataDir(), [
      ...TEAM, '--allow-internal-host', '127.0.0.1', '--check-interval', '3600', '--step-timeout', '2',
    ]);
  });
  afterAll(async () => {
    await team?.kill();
    await allowing?.kill();
    await new Promise<void>((resolve) => ssh?.server.close(() => resolve()));
  });

  const refusedTargets: Array<[string, Record<string, unknown>]> = [
    ['IMAP on loopback', { imap: { host: '127.0.0.1', port: 22, security: 'starttls' } }],
    ['SMTP on the cloud metadata address', { smtp: { host: '169.254.169.254', port: 80, security: 'starttls' } }],
    ['IMAP on a private address', { imap: { host: '10.1.2.3', port: 993, security: 'tls' } }],
    ['IMAP by a name that resolves to loopback', { imap: { host: 'localhost', port: 993, security: 'tls' } }],
    ['IMAP on IPv6 loopback', { imap: { host: '::1', port: 993, security: 'tls' } }],
    ['a token endpoint on loopback', { tokenEndpoint: 'https://127.0.0.1:8443/token' }],
  ];
  for (const [what, overrides] of refusedTargets) {
    it(`refuses ${what}, and stores nothing`, async () => {
      const call = api(team.url, team.secret);
      const body = genericHandoff('probe@contoso.test', overrides);
      const res = await call('POST', mailboxPath('probe@contoso.test', '/tokens'), body);
      expect(res.status, res.text).toBe(403);
      const { error } = apiErrorSchema.parse(res.json);
      expect(error.code).toBe('target_not_allowed');
      expect(error.hint).toMatch(/--allow-internal-host/);
      expect((await call('GET', '/v1/mailboxes')).json.mailboxes).toEqual([]);
    });
  }

  it('accepts public servers', async () => {
    const body = genericHandoff('fine@contoso.test');
    const res = await api(team.url, team.secret)('POST', mailboxPath('fine@contoso.test', '/tokens'), body);
    expect(res.status, res.text).toBe(201);
  });

  it('refuses, at connection time, an internal host stored before the companion served a team', async () => {
    const dir = tempDataDir();
    const internal = { host: 'localhost', port: ssh.port, security: 'starttls' };
    const single = await startChildCompanion(dir, ['--check-interval', '3600']);
    const body = genericHandoff('old@contoso.test', { imap: internal, smtp: internal });
    const stored = await api(single.url, single.secret)('POST', mailboxPath('old@contoso.test', '/tokens'), body);
    expect(stored.status).toBe(201);
    await single.kill();

    const teamAgain = await startChildCompanion(dir, [...TEAM, '--check-interval', '3600']);
    try {
      const verify = await api(teamAgain.url, single.secret)('POST', mailboxPath('old@contoso.test', '/verify'), {});
      const lines = verify.text.trim().split('\n').map((line) => verifyStreamLineSchema.parse(JSON.parse(line)));
      const failed = lines.flatMap((l) => (l.type === 'step' && l.step.status === 'failed' ? [l.step] : []));
      expect(failed.map((s) => [s.id, s.diagnosis])).toEqual([
        ['dns', 'target-not-allowed'],
        ['smtp-connect', 'target-not-allowed'],
      ]);
      expect(lines.some((l) => l.type === 'step' && l.step.id === 'tcp' && l.step.status === 'ok')).toBe(false);
      const verdict = lines.at(-1)!;
      const fix = verdict.type === 'verdict' ? verdict.verdict.fixFirst?.fix.join(' ') : '';
      expect(fix).toMatch(/--allow-internal-host localhost/);
    } finally {
      await teamAgain.kill();
    }
  }, 90_000);

  it('reaches an allowlisted internal host, and never echoes a banner that is not the protocol\'s', async () => {
    const call = api(allowing.url, allowing.secret);
    const server = { host: '127.0.0.1', port: ssh.port, security: 'starttls' };
    const body = genericHandoff('probe@contoso.test', { imap: server, smtp: server });
    const res = await call('POST', mailboxPath('probe@contoso.test', '/tokens'), body);
    expect(res.status, res.text).toBe(201);
    const verify = await call('POST', mailboxPath('probe@contoso.test', '/verify'), {});
    const lines = verify.text.trim().split('\n').map((line) => verifyStreamLineSchema.parse(JSON.parse(line)));
    const smtp = lines.filter((l) => l.type === 'step' && l.step.id === 'smtp-connect').at(-1);
    expect(smtp?.type === 'step' && smtp.step.status).toBe('failed');
    expect(smtp?.type === 'step' && smtp.step.details).toMatch(/not SMTP, not shown/);
    expect(verify.text).not.toContain('SSH-2.0');
    expect(verify.text).not.toContain('OpenSSH');
  });
});
