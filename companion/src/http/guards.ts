/**
 * Who may talk to the companion, checked before a request body is even read:
 * - Host must be the companion's own name: a web page that rebinds its DNS name to 127.0.0.1 still sends
 *   its own name as Host, and is refused (DNS rebinding).
 * - Origin, when present, must be an allowed extension origin; only that origin gets CORS headers.
 * - The pairing secret as a bearer token, compared in constant time (GET /v1/health is the one exception).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Pairing } from '../pairing';
import { ApiHttpError } from './api-error';

export interface GuardOptions {
  publicNames: readonly string[];
  allowedOrigins: readonly string[];
  pairing: Pairing;
  /** Paths that need no pairing secret. */
  open: readonly string[];
}

export function allowedHosts(port: number, publicNames: readonly string[]): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  for (const name of publicNames) {
    hosts.add(name);
    // A public name without a port is what a TLS reverse proxy on 443 forwards.
    if (!name.includes(':')) hosts.add(`${name}:443`);
  }
  return hosts;
}

function bearer(request: FastifyRequest): string | undefined {
  const value = request.headers.authorization;
  const match = typeof value === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(value.trim()) : null;
  return match?.[1];
}

export function installGuards(app: FastifyInstance, options: GuardOptions): void {
  let hosts: Set<string> | undefined;
  const origins = new Set(options.allowedOrigins);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    hosts ??= allowedHosts((app.server.address() as AddressInfo).port, options.publicNames);
    const host = request.headers.host?.toLowerCase();
    if (!host || !hosts.has(host)) {
      throw new ApiHttpError(
        421,
        'host_not_allowed',
        `This companion does not answer to the host name "${host ?? '(none)'}".`,
        'Call it as http://127.0.0.1:PORT or http://localhost:PORT, or start it with --public-name for a team setup.',
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(origin)) {
        throw new ApiHttpError(
          403,
          'origin_not_allowed',
          `Requests from ${origin} are not allowed; only the Reauth Assist extension may call the companion.`,
          'For Firefox, start the companion with --allow-origin moz-extension://<the extension UUID from about:debugging>.',
        );
      }
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        reply
          .header('access-control-allow-methods', 'GET, POST, DELETE')
          .header('access-control-allow-headers', 'authorization, content-type')
          .header('access-control-max-age', '600')
          .code(204)
          .send();
        return reply;
      }
    }
  });

  // preParsing: after the rate limit (route-level onRequest) and before the body is read.
  app.addHook('preParsing', async (request: FastifyRequest) => {
    if (options.open.includes(request.url)) return;
    const presented = bearer(request);
    if (!presented || !options.pairing.verify(presented)) {
      throw new ApiHttpError(
        401,
        'unauthorized',
        presented ? 'The pairing secret is wrong.' : 'The request has no pairing secret (Authorization: Bearer ...).',
        'Paste the secret the companion printed at its first start into Reauth Assist > Options > Companion; lost it? restart the companion with --reset-pairing.',
      );
    }
  });
}
