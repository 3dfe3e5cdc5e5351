/**
 * Every error answer, whoever raises it (a route, a guard, fastify's body parser and router, Node's HTTP
 * parser), in the API's one shape: `{ error: { code, message, hint?, issues? } }` (api-error.ts).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { COMPANION_BODY_LIMIT_BYTES } from '../../../lib/companion-api';
import { StoreUnavailableError } from '../store/sql';
import { ApiHttpError, validationError } from './api-error';

/** The shared database is down: every instance answers this until it is back, and nothing was changed. */
export function storeUnavailable(err: Error): ApiHttpError {
  return new ApiHttpError(
    503,
    'store_unavailable',
    err.message,
    'Nothing was changed. Try again once PostgreSQL is back; the companion reconnects by itself.',
  );
}

function fastifyErrorToApi(err: FastifyError): ApiHttpError {
  if ((err as Error) instanceof StoreUnavailableError) return storeUnavailable(err);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiHttpError(
        413,
        'body_too_large',
        `The request body is larger than ${COMPANION_BODY_LIMIT_BYTES / 1024} KiB.`,
        'Nothing was stored.',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiHttpError(
        400,
        'invalid_json',
        `The request body is not valid JSON (${err.message}).`,
        'Nothing was stored.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiHttpError(415, 'unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiHttpError(
        400,
        'invalid_request',
        'The URL is malformed (a bad percent-escape or an over-long part).',
        'Encode the mailbox address with encodeURIComponent; nothing was stored.',
      );
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const what = err.validationContext === 'params' ? 'mailbox address in the URL' : 'request body';
    return validationError(err.validation, what);
  }
  if (err instanceof SyntaxError || err.statusCode === 400) {
    return new ApiHttpError(400, 'invalid_json', `The request is malformed (${err.message}).`, 'Nothing was stored.');
  }
  return new ApiHttpError(500, 'internal', 'The companion hit an internal error; see its log.');
}

/**
 * Every refusal in the documented shape. A body the request still carries is not read: the connection is
 * closed after the answer, so a refused multi-gigabyte upload costs nothing (Node would otherwise drain it
 * to keep the connection alive).
 */
export function sendError(err: FastifyError | ApiHttpError, request: FastifyRequest, reply: FastifyReply): void {
  const api = err instanceof ApiHttpError ? err : fastifyErrorToApi(err);
  if (api.statusCode >= 500 && api.code !== 'store_unavailable')
    request.log.error({ err: { message: err.message, stack: err.stack } }, 'request failed');
  if (!request.raw.complete) reply.header('connection', 'close');
  reply.code(api.statusCode).type('application/json').send(api.body());
}

/**
 * What Node's HTTP parser refuses before any request exists (not HTTP at all, headers too large, too slow):
 * the same shape as every other error, written on the socket as fastify's default handler does.
 */
export function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request headers are too large.'
      : status === 408
        ? 'The request did not arrive in time.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify(new ApiHttpError(status, 'invalid_request', message).body());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
