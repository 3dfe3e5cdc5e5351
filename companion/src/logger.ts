/**
 * Logging goes through fastify's pino. Secrets never reach it: request bodies are not logged, and these
 * paths are censored wherever an object carrying them is logged by mistake.
 */
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

export type Logger = FastifyBaseLogger;

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'id_token',
  'idToken',
  'code',
  'codeVerifier',
  'code_verifier',
  'clientSecret',
  'client_secret',
  'secret',
  'pairingSecret',
  'token',
  'password',
];

export const REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
];

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'reauth-assist-companion' },
    ...(stream ? { stream } : {}),
  };
}
