/**
 * Team mode as companion/README.md documents it: the companion stays on loopback with `--public-name`, and a
 * TLS reverse proxy (here a small node:https one, Host passed through, nothing buffered) serves it under a
 * team host name. The extension worker's own client (CompanionClient) talks to it over HTTPS by that name:
 * health, pairing secret, handoff, and a verification whose steps arrive one by one through the proxy.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompanionClient, CompanionError } from '../../entrypoints/background/companion/client';
import { CHROME_EXTENSION_ORIGIN, type VerifyStreamLine } from '../../lib/companion-api';
import { ACCOUNTS, type MailStack } from '../stack';
import { ensureTestCerts } from '../support/certs';
import { startStackWithCompanion, type StackWithCompanion } from '../support/stack-routing';
import { tokensHandoffBody, type ChildCompanion } from './companion-support';

/** Covered by the test certificate's *.acme-helpdesk.test. */
const TEAM_HOST = 'tools.acme-helpdesk.test';

/** A TLS reverse proxy to 127.0.0.1:upstream that keeps the Host header and streams both ways. */
async function startTlsProxy(
  upstream: () => number,
): Promise<{ server: Server; port: number; requests: string[]; verifyChunks: number[] }> {
  const certs = ensureTestCerts();
  const requests: string[] = [];
  /** Per verify answer: how many separate writes came through (a buffered answer would be one). */
  const verifyChunks: number[] = [];
  const server = createHttpsServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    requests.push(`${req.method} ${req.url} host=${req.headers.host}`);
    const forward = httpRequest(
      { host: '127.0.0.1', port: upstream(), method: req.method, path: req.url, headers: req.headers },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (req.url?.endsWith('/verify')) {
          const index = verifyChunks.push(0) - 1;
          answer.on('data', () => (verifyChunks[index]! += 1));
        }
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests, verifyChunks };
}

/**
 * fetch that resolves the team host name to the proxy on loopback and trusts the test CA, as a team's DNS and TLS
 * would.
 */
function teamFetch(): typeof fetch {
  const dispatcher = new Agent({
    connect: {
      ca: ensureTestCerts().ca,
      // Node asks for every address (autoSelectFamily) or for one.
      lookup: (
        _host: string,
        options: { all?: boolean },
        callback: (err: null, address: unknown, family?: number) => void,
      ) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)),
    } as never,
  });
  return ((input: string, init?: RequestInit) =>
    undiciFetch(input, {
      ...(init as object),
      dispatcher,
      headers: { ...(init?.headers as Record<string, string>), origin: CHROME_EXTENSION_ORIGIN },
    } as never)) as unknown as typeof fetch;
}

describe('team mode: the companion behind a TLS reverse proxy', () => {
  let parts: StackWithCompanion;
  let stack: MailStack;
  let companion: ChildCompanion;
  let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
  let teamUrl: string;

  beforeAll(async () => {
    let upstream = 0;
    proxy = await startTlsProxy(() => upstream);
    teamUrl = `https://${TEAM_HOST}:${proxy.port}`;
    parts = await startStackWithCompanion({
      companionArgs: ['--public-name', `${TEAM_HOST}:${proxy.port}`, '--check-interval', '3600'],
    });
    ({ stack, companion } = parts);
    upstream = companion.port;
  }, 60_000);

  afterAll(async () => {
    await parts?.stop();
    await new Promise<void>((resolve) => proxy?.server.close(() => resolve()));
  });

  it("answers the worker's client over HTTPS under the team name: health, secret, handoff, streamed " +
    'verification', async () => {
    const client = new CompanionClient({ url: teamUrl, secret: companion.secret!, fetch: teamFetch() });
    expect((await client.health()).ok).toBe(true);
    expect((await client.mailboxes()).mailboxes).toEqual([]);

    const address = ACCOUNTS.support.email;
    const tokens = await stack.idp.issueTokens({ account: address });
    const { mailbox } = await client.handOver(address, tokensHandoffBody(tokens, address));
    expect(mailbox).toMatchObject({ address, status: 'pending' });

    const lines: VerifyStreamLine[] = [];
    await client.verify(address, { roundTrip: false }, (line) => lines.push(line));
    const verdict = lines.at(-1)!;
    expect(verdict.type === 'verdict' && verdict.verdict.ready).toBe(true);
    expect(lines.filter((l) => l.type === 'step').length).toBeGreaterThan(5);
    // Streamed through the proxy as the steps happened, not written in one piece at the end.
    expect(proxy.verifyChunks[0]).toBeGreaterThan(5);
    expect(proxy.requests.every((r) => r.endsWith(`host=${TEAM_HOST}:${proxy.port}`))).toBe(true);
  }, 60_000);

  it('still refuses a wrong secret and a host name it was not given, through the proxy too', async () => {
    const wrong = await new CompanionClient({ url: teamUrl, secret: 'x'.repeat(43), fetch: teamFetch() })
      .mailboxes()
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(CompanionError);
    expect((wrong as CompanionError).code).toBe('unauthorized');

    const rebound = await new CompanionClient({
      url: `https://other.acme-helpdesk.test:${proxy.port}`,
      secret: companion.secret!,
      fetch: teamFetch(),
    })
      .mailboxes()
      .catch((e: unknown) => e);
    expect((rebound as CompanionError).code).toBe('host_not_allowed');
  });
});
