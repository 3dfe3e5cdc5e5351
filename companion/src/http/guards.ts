/**
 * Who may talk to the companion, decided from the request line and headers alone, before a byte of the body
 * is read:
 * - Host must be the companion's own name: a web page that rebinds its DNS name to 127.0.0.1 still sends
 *   its own name as Host, and is refused (DNS rebinding). The loopback names count only for a caller on
 *   this machine: a companion bound beyond loopback is reached by its public name, never by 127.0.0.1.
 * - Origin, when present, must be an allowed extension origin; only that origin gets CORS headers.
 * - The pairing secret as a bearer token, compared in constant time (GET /v1/health is the one exception).
 * - The rate limit, in two budgets per client address: requests with the right secret, and the rest. A web
 *   page (or a teammate with a stale secret) that floods the companion spends only the second budget, so
 *   the extension is never locked out by requests it did not make.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Pairing } from '../pairing';
import { isLoopbackAddress } from '../target-policy';
import { ApiHttpError } from './api-error';

export interface GuardOptions {
  publicNames: readonly string[];
  allowedOrigins: readonly string[];
  pairing: Pairing;
  /** Paths that need no pairing secret. */
  open: readonly string[];
  rateLimitPerMinute: number;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host check on its own: the router's own errors (bad URL) run it too before they answer. */
export class HostGuard {
  private publicHosts: Set<string> | undefined;
  private port = 0;

  constructor(
    private readonly app: FastifyInstance,
    private readonly publicNames: readonly string[],
  ) {}

  private hosts(): Set<string> {
    if (!this.publicHosts) {
      this.port = (this.app.server.address() as AddressInfo).port;
      this.publicHosts = new Set();
      for (const name of this.publicNames) {
        this.publicHosts.add(name);
        // A public name without a port is what a TLS reverse proxy on 443 forwards.
        if (!name.includes(':')) this.publicHosts.add(`${name}:443`);
      }
    }
    return this.publicHosts;
  }

  /** The refusal for this request, or undefined when its Host is one of the companion's names. */
  refusal(request: FastifyRequest): ApiHttpError | undefined {
    const host = request.headers.host?.toLowerCase();
    const publicHosts = this.hosts();
    const local = host !== undefined && LOOPBACK_NAMES.some((name) => host === `${name}:${this.port}`);
    const fromThisMachine = isLoopbackAddress(request.raw.socket?.remoteAddress);
    if (host && (publicHosts.has(host) || (local && fromThisMachine))) return undefined;
    return new ApiHttpError(
      421,
      'host_not_allowed',
      `This companion does not answer to the host name "${host ?? '(none)'}"${local ? ' from another machine' : ''}.`,
      this.publicNames.length
        ? `Call it by its public name (${this.publicNames.join(', ')}) through the TLS reverse proxy.`
        : 'Call it as http://127.0.0.1:PORT or http://localhost:PORT, or start it with --public-name for a team setup.',
    );
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const value = request.headers.authorization;
  const match = typeof value === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(value.trim()) : null;
  return match?.[1];
}

type Limiter = (request: FastifyRequest) => Promise<{ isExceeded?: boolean; ttl?: number; max?: number }>;

/** The limiter @fastify/rate-limit builds (registered with global: false); not in its typings on the instance. */
function limiter(app: FastifyInstance, max: number, budget: string): Limiter {
  const create = (app as unknown as { createRateLimit(o: object): Limiter }).createRateLimit;
  return create({ max, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => `${budget}|${request.ip}` });
}

export function installGuards(app: FastifyInstance, hostGuard: HostGuard, options: GuardOptions): void {
  const origins = new Set(options.allowedOrigins);
  const paired = limiter(app, options.rateLimitPerMinute, 'paired');
  const unpaired = limiter(app, options.rateLimitPerMinute, 'unpaired');

  const spend = async (budget: Limiter, request: FastifyRequest) => {
    const outcome = await budget(request);
    if (outcome.isExceeded) {
      throw new ApiHttpError(
        429,
        'rate_limited',
        `Too many requests: at most ${outcome.max} a minute.`,
        `Try again in ${Math.ceil((outcome.ttl ?? 60_000) / 1000)} s.`,
      );
    }
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const wrongHost = hostGuard.refusal(request);
    if (wrongHost) throw wrongHost;

    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(origin)) {
        await spend(unpaired, request);
        throw new ApiHttpError(
          403,
          'origin_not_allowed',
          `Requests from ${origin} are not allowed; only the Reauth Assist extension may call the companion.`,
          'For Firefox, start the companion with --allow-origin moz-extension://<the extension UUID from about:debugging>.',
        );
      }
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        await spend(unpaired, request);
        reply
          .header('access-control-allow-methods', 'GET, POST, DELETE')
          .header('access-control-allow-headers', 'authorization, content-type')
          .header('access-control-max-age', '600')
          .code(204)
          .send();
        return reply;
      }
    }

    const presented = bearer(request);
    if (presented && options.pairing.verify(presented)) return spend(paired, request);
    await spend(unpaired, request);
    if (options.open.includes(request.url)) return;
    throw new ApiHttpError(
      401,
      'unauthorized',
      presented ? 'The pairing secret is wrong.' : 'The request has no pairing secret (Authorization: Bearer ...).',
      'Paste the secret the companion printed at its first start into Reauth Assist > Options > Companion; ' +
        'lost it? restart the companion with --reset-pairing.',
    );
  });
}
