/**
 * The companion's HTTP API (fastify). Routes only translate between HTTP and the store, token service and
 * mail checker; guards.ts decides who may call, error-replies.ts answers every error in one shape.
 */
import { PassThrough } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  COMPANION_API_VERSION,
  COMPANION_BODY_LIMIT_BYTES,
  NDJSON_CONTENT_TYPE,
  handoffRequestSchema,
  handoffResponseSchema,
  healthResponseSchema,
  mailboxAddressSchema,
  mailboxFoldersResponseSchema,
  mailboxListResponseSchema,
  outageReportResponseSchema,
  verifyRequestSchema,
  type HealthResponse,
  type VerifyStreamLine,
} from '../../../lib/companion-api';
import { loggerOptions } from '../logger';
import type { MailChecker } from '../mail-checker';
import type { ConfidentialClients } from '../oauth/confidential-clients';
import { TokenGrantError, type TokenClient } from '../oauth/token-client';
import { NeedsReauthError, type TokenService } from '../oauth/token-service';
import type { Pairing } from '../pairing';
import type { MailboxStore } from '../store/mailbox-store';
import type { StoreHealth } from '../store/store-health';
import type { TargetPolicy } from '../target-policy';
import { targetFor } from '../verify-target';
import { ApiHttpError } from './api-error';
import { clientError, sendError } from './error-replies';
import { acceptHandoff } from './handoff';
import { HostGuard, installGuards } from './guards';

export interface AppOptions {
  publicNames: readonly string[];
  allowedOrigins: readonly string[];
  rateLimitPerMinute: number;
  /** Reverse proxies whose X-Forwarded-For is believed (fastify trustProxy); none by default. */
  trustedProxies: readonly string[];
  logLevel: string;
  logStream?: NodeJS.WritableStream;
  pairing: Pairing;
}

export interface RouteDeps {
  version: string;
  store: MailboxStore;
  tokens: TokenService;
  tokenClient: TokenClient;
  confidential: ConfidentialClients;
  checker: MailChecker;
  targets: TargetPolicy;
  storeHealth: StoreHealth;
}

const HEALTH_PATH = '/v1/health';
/** An address of 254 characters, percent-encoded in the path, with room to spare. */
const MAX_PARAM_LENGTH = 1024;

/** The server with its logger, error shapes, guards and rate limit; routes come next (registerRoutes). */
export async function createApp(deps: AppOptions): Promise<FastifyInstance> {
  let hostGuard: HostGuard | undefined;
  const app = Fastify({
    logger: loggerOptions(deps.logLevel, deps.logStream),
    bodyLimit: COMPANION_BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    trustProxy: deps.trustedProxies.length ? [...deps.trustedProxies] : false,
    // The router's own refusals (a bad percent-escape) answer only after the Host check, in the same shape.
    frameworkErrors: (err, request, reply) => sendError(hostGuard?.refusal(request) ?? err, request, reply),
    clientErrorHandler: clientError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  hostGuard = new HostGuard(app, deps.publicNames);
  // JSON only: a text/plain body is refused with 415 rather than parsed into a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err: FastifyError | ApiHttpError, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    sendError(new ApiHttpError(404, 'not_found', `No such endpoint: ${request.method} ${path}.`), request, reply);
  });

  await app.register(rateLimit, { global: false });
  installGuards(app, hostGuard, {
    publicNames: deps.publicNames,
    allowedOrigins: deps.allowedOrigins,
    pairing: deps.pairing,
    open: [HEALTH_PATH],
    rateLimitPerMinute: deps.rateLimitPerMinute,
  });
  return app;
}

const addressParams = z.strictObject({ address: mailboxAddressSchema });

export function registerRoutes(server: FastifyInstance, deps: RouteDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const verifying = new Set<string>();

  const known = async (address: string) => {
    const record = await deps.store.record(address);
    if (!record) {
      throw new ApiHttpError(
        404,
        'not_found',
        `The companion has no mailbox ${address}.`,
        'Sign in to the mailbox from the popup to hand it over.',
      );
    }
    return record;
  };

  const freshTokens = async (address: string) => {
    try {
      return await deps.tokens.fresh(address);
    } catch (err) {
      if (err instanceof NeedsReauthError) throw new ApiHttpError(409, 'needs_reauth', err.message);
      if (err instanceof TokenGrantError) {
        throw new ApiHttpError(
          502,
          'token_endpoint_error',
          err.message,
          'Check the companion can reach the provider, then try again.',
        );
      }
      throw err;
    }
  };

  app.get(HEALTH_PATH, { schema: { response: { 200: healthResponseSchema } } }, async (): Promise<HealthResponse> => {
    // A load balancer takes an instance out (503 store_unavailable) while its database is unreachable.
    await deps.storeHealth.probe();
    return { ok: true, version: deps.version, api: COMPANION_API_VERSION };
  });

  app.get('/v1/mailboxes', { schema: { response: { 200: mailboxListResponseSchema } } }, async () => ({
    serverTime: new Date().toISOString(),
    mailboxes: await deps.store.list(),
  }));

  const handoffSchema = { params: addressParams, body: handoffRequestSchema, response: { 201: handoffResponseSchema } };
  app.post('/v1/mailboxes/:address/tokens', { schema: handoffSchema }, async (request, reply) => {
    const { address } = request.params;
    const handoff = request.body;
    const { record, tokens } = await acceptHandoff(address, handoff, {
      tokenClient: deps.tokenClient,
      confidential: deps.confidential,
      targets: deps.targets,
      requestOrigin: request.headers.origin,
    });
    await deps.store.saveHandoff(record, tokens);
    request.log.info({ mailbox: address, mode: handoff.mode, provider: handoff.provider }, 'mailbox handed over');
    reply.code(201);
    return { mailbox: (await deps.store.state(address))! };
  });

  // No body means the defaults; a body must be the request object (a JSON null is refused, not read as {}).
  const verifySchema = { params: addressParams, body: verifyRequestSchema.optional() };
  app.post('/v1/mailboxes/:address/verify', { schema: verifySchema }, async (request, reply) => {
    const { address } = request.params;
    const options = request.body ?? {};
    const record = await known(address);
    if (verifying.has(address)) {
      throw new ApiHttpError(
        409,
        'verify_busy',
        `A verification of ${address} is already running.`,
        'Wait for it to finish.',
      );
    }
    const tokens = await freshTokens(address);

    verifying.add(address);
    const out = new PassThrough();
    const abort = new AbortController();
    const write = (line: VerifyStreamLine) => out.write(`${JSON.stringify(line)}\n`);
    reply.raw.on('close', () => {
      if (!out.writableEnded) abort.abort(new Error('the client went away'));
    });
    void (async () => {
      try {
        const verdict = await deps.checker.verify(targetFor(record, tokens, options), {
          onStep: (step) => write({ type: 'step', step }),
          signal: abort.signal,
        });
        await deps.store.saveVerdictSummary(address, verdict.ready, verdict.headline);
        write({ type: 'verdict', verdict });
      } catch (err) {
        request.log.warn(
          { mailbox: address, err: err instanceof Error ? err.message : String(err) },
          'verification failed to run',
        );
        write({
          type: 'error',
          error: {
            code: 'internal',
            message: `The verification stopped: ${err instanceof Error ? err.message : String(err)}`,
          },
        });
      } finally {
        verifying.delete(address);
        out.end();
      }
    })();
    reply
      .header('content-type', NDJSON_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff');
    return reply.send(out);
  });

  const reportSchema = { params: addressParams, response: { 200: outageReportResponseSchema } };
  app.get('/v1/mailboxes/:address/outage-report', { schema: reportSchema }, async (request) => {
    const { address } = request.params;
    await known(address);
    const stored = await deps.store.outageReport(address);
    if (!stored) {
      throw new ApiHttpError(
        404,
        'not_found',
        `No outage report for ${address}: it has not reconnected after an outage since it was handed over.`,
      );
    }
    return { address, createdAt: new Date(stored.createdAt).toISOString(), report: stored.report };
  });

  const foldersSchema = { params: addressParams, response: { 200: mailboxFoldersResponseSchema } };
  app.get('/v1/mailboxes/:address/folders', { schema: foldersSchema }, async (request) => {
    const { address } = request.params;
    const record = await known(address);
    const { folders, mapping } = await deps.checker.folders(targetFor(record, await freshTokens(address)));
    return { address, folders, mapping };
  });

  app.delete('/v1/mailboxes/:address', { schema: { params: addressParams } }, async (request, reply) => {
    const { address } = request.params;
    if (!(await deps.store.delete(address))) await known(address);
    request.log.info({ mailbox: address }, 'mailbox forgotten');
    return reply.code(204).send();
  });
}
