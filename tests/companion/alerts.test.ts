/**
 * Webhook alerts from the running companion (a child process, as users run it) against the real stack: a
 * mailbox goes disconnected (Dovecot stopped), comes back, then needs reauthorization (its grants revoked).
 * Local receivers take the generic JSON, Slack and Teams bodies; one answers 503 before it accepts, one is
 * down. Each change is posted once per webhook, the down one is retried then given up with a log line,
 * and no token, key or secret is in any body.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, startMailStack, type MailStack } from '../stack';
import { stackCompanionArgs } from '../support/stack-routing';
import {
  api,
  closedPort,
  handOverTokens,
  listMailboxes,
  startChildCompanion,
  tempDataDir,
  waitFor,
  type ChildCompanion,
} from './companion-support';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  text: string;
  body: any;
}

/** A webhook receiver on loopback that records every POST; `/flaky` answers 503 to the first 2 tries of each alert. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const flakyTries = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(text);
      if (req.url === '/flaky') {
        const key = `${body.event}:${body.mailbox}`;
        const tries = (flakyTries.get(key) ?? 0) + 1;
        flakyTries.set(key, tries);
        if (tries <= 2) {
          res.writeHead(503).end('busy');
          return;
        }
      }
      received.push({ path: req.url ?? '', headers: req.headers, text, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** pino's JSON lines from the companion's output. */
function logLines(companion: ChildCompanion): Array<Record<string, any>> {
  return companion
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

const RECEIVER_SECRET = 'rcv-Hx7qP2mW9zK4tY8vB3nL6cR1dF5gJ0sA';
const SLACK_PATH_SECRET = 'T0A1B2C3D/B4E5F6G7H/q9W8e7R6t5Y4u3I2o1P0aSdF';

describe('webhook alerts', () => {
  let stack: MailStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let companion: ChildCompanion;
  let dataDir: string;

  beforeAll(async () => {
    stack = await startMailStack();
    receiver = await startReceiver();
    dataDir = tempDataDir();
    const alertsFile = {
      webhooks: [
        {
          name: 'generic',
          url: `${receiver.url}/json`,
          format: 'json',
          headers: { Authorization: `Bearer ${RECEIVER_SECRET}` },
        },
        { name: 'slack', url: `${receiver.url}/services/${SLACK_PATH_SECRET}`, format: 'slack' },
        { name: 'teams', url: `${receiver.url}/teams`, format: 'teams' },
        { name: 'flaky', url: `${receiver.url}/flaky`, format: 'json' },
        { name: 'down', url: `http://127.0.0.1:${await closedPort()}/hook`, format: 'json' },
      ],
      retries: 3,
      minBackoffSeconds: 0.05,
      maxBackoffSeconds: 0.2,
    };
    writeFileSync(join(dataDir, 'alerts.json'), JSON.stringify(alertsFile), { mode: 0o600 });
    // Time scale 0.01: a health check every 0.6 s, the 12-minute retry window in about 7 s.
    const fast = ['--time-scale', '0.01', '--check-interval', '60'];
    companion = await startChildCompanion(dataDir, [...stackCompanionArgs(stack), ...fast]);
  });
  afterAll(async () => {
    await companion?.kill();
    await receiver?.close();
    await stack?.stop();
  });

  const statusOf = async (address: string) =>
    (await listMailboxes(companion)).find((m) => m.address === address)?.status;
  const eventsAt = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => r.body);
  const jsonEvents = () => eventsAt('/json').map((b) => b.event);

  it('posts disconnected, back and needs-reauth once to every webhook, in each format, with no secret', async () => {
    const address = ACCOUNTS.support.email;
    // Short-lived access tokens: the companion refreshes every few seconds, so a revoked grant shows soon.
    stack.idp.setAccessTokenTtl(address, 6);
    const handedOver = await handOverTokens(stack, companion, address);
    await waitFor('connected', async () => (await statusOf(address)) === 'connected', 30_000);
    expect(receiver.received, 'a mailbox that starts working is no news').toEqual([]);

    await stack.imap.stopServer();
    await waitFor('disconnected', async () => (await statusOf(address)) === 'disconnected', 40_000);
    await waitFor('disconnected alert', () => jsonEvents().includes('disconnected'));
    await stack.imap.startServer();
    await waitFor('connected again', async () => (await statusOf(address)) === 'connected', 30_000);
    await waitFor('back alert', () => jsonEvents().includes('back'));

    await stack.idp.revokeAll(address);
    await waitFor('needs-reauth', async () => (await statusOf(address)) === 'needs-reauth', 40_000);
    await waitFor('needs-reauth alert', () => jsonEvents().includes('needs-reauth'));
    // More checks, refreshes and a sweep (every 1 s at this scale) pass: nothing is announced twice.
    const allPosted = () => eventsAt('/flaky').length === 3 && eventsAt('/teams').length === 3;
    await waitFor('every webhook done', allPosted, 20_000);
    await new Promise((r) => setTimeout(r, 2500));

    const order = ['disconnected', 'back', 'needs-reauth'];
    expect(jsonEvents()).toEqual(order);
    expect(eventsAt('/flaky').map((b) => b.event)).toEqual(order);
    expect(receiver.received.filter((r) => r.path.startsWith('/services/'))).toHaveLength(3);
    expect(eventsAt('/teams')).toHaveLength(3);

    // Generic JSON: the facts, and the receiver's own Authorization header (only on its own webhook).
    const [disconnected, back, reauth] = eventsAt('/json');
    expect(disconnected).toMatchObject({
      type: 'reauth-assist.mailbox-alert',
      event: 'disconnected',
      mailbox: address,
      status: 'disconnected',
      provider: 'microsoft',
    });
    expect(disconnected.reason).toEqual(expect.any(String));
    expect(disconnected.outageSince).toEqual(expect.any(String));
    expect(back).toMatchObject({ event: 'back', status: 'connected', reason: null });
    expect(reauth).toMatchObject({ event: 'needs-reauth', status: 'needs-reauth' });
    expect(reauth.reason).toMatch(/invalid_grant|Sign in/);
    for (const r of receiver.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe(r.path === '/json' ? `Bearer ${RECEIVER_SECRET}` : undefined);
    }

    // Slack incoming webhook: fallback text and Block Kit sections.
    const slack = receiver.received.filter((r) => r.path.startsWith('/services/')).map((r) => r.body);
    expect(slack[0].text).toBe(`${address} is disconnected: every retry failed`);
    expect(slack[2].text).toBe(`${address} needs reauthorization`);
    expect(slack[0].blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(slack[0].blocks.at(-1).type).toBe('context');

    // Teams Workflows: a message with one Adaptive Card attachment.
    const teams = eventsAt('/teams');
    const adaptiveCard = 'application/vnd.microsoft.card.adaptive';
    expect(teams[1]).toMatchObject({ type: 'message', attachments: [{ contentType: adaptiveCard }] });
    const card = teams[1].attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: `${address} is back: mail flows again` });
    expect(card.body.at(-1).facts).toContainEqual({ title: 'Mailbox', value: address });

    // The receiver that answered 503 twice got each alert on the third try; the one that is down was tried
    // 4 times (1 + 3 retries) per alert, then given up with a log line, and the companion kept working.
    const logs = logLines(companion);
    const flakyDelivered = logs.filter((l) => l.webhook === 'flaky' && l.msg === 'webhook alert delivered');
    expect(flakyDelivered.map((l) => l.attempts)).toEqual([3, 3, 3]);
    const gaveUp = await waitFor('the down webhook given up 3 times', () => {
      const lines = logLines(companion).filter((l) => l.webhook === 'down' && /giving up/.test(l.msg));
      return lines.length === 3 ? lines : undefined;
    });
    for (const line of gaveUp) {
      expect(line).toMatchObject({ level: 40, attempts: 4, error: expect.stringMatching(/connection failed/) });
      expect(line.msg).toContain('check the webhook "down" in the alerts file');
    }
    expect(logs.filter((l) => l.webhook === 'down' && l.msg === 'webhook attempt failed, retrying')).toHaveLength(9);
    expect((await api(companion.url, undefined)('GET', '/v1/health')).status).toBe(200);
    expect(companion.process.exitCode).toBeNull();

    // No token, key or secret in any body (as text, base64 or base64url), nor the webhook secrets in the log.
    const secrets = [
      handedOver.access_token,
      handedOver.refresh_token!,
      companion.secret!,
      readFileSync(join(dataDir, 'token-key'), 'utf8').trim(),
      RECEIVER_SECRET,
      SLACK_PATH_SECRET,
      ...SLACK_PATH_SECRET.split('/'),
    ];
    const bodies = receiver.received.map((r) => r.text).join('\n');
    for (const secret of secrets) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')]) {
        expect(bodies.includes(form), `a body holds ${secret.slice(0, 6)}…`).toBe(false);
      }
    }
    for (const secret of [RECEIVER_SECRET, ...SLACK_PATH_SECRET.split('/')]) {
      expect(companion.output().includes(secret), 'the log holds a webhook secret').toBe(false);
    }
  }, 180_000);
});

describe('alerts file', () => {
  it.each([
    ['plain http to another machine', { webhooks: [{ url: 'http://alerts.example.com/h' }] }, 0o600, /https/],
    ['an unknown format', { webhooks: [{ url: 'https://alerts.example.com/h', format: 'discord' }] }, 0o600, /format/],
    ['an unknown field', { webhooks: [], retry: 3 }, 0o600, /retry/],
    ['a file others can read', { webhooks: [] }, 0o644, /chmod 600/],
  ])('refuses %s at start with the fix', async (_what, file, mode, message) => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'alerts.json'), JSON.stringify(file), { mode });
    await expect(startChildCompanion(dir)).rejects.toThrow(message);
  });
});
