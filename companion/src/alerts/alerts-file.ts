/**
 * Where the companion posts alerts: a JSON file the admin writes next to the database (`alerts.json`, or
 * `--alerts-file`). Webhook URLs are secrets themselves (whoever has a Slack or Teams webhook URL can post to
 * that channel), and a generic webhook may carry an Authorization header, so the file must be mode 0600 like
 * the clients file. No file: no webhooks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config';
import { ALERT_EVENTS, type AlertEvent } from '../../../lib/mailbox-alerts';
import { assertPrivateFile } from '../crypto/token-key';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https anywhere; plain http only to this machine (a local relay), where nothing crosses the network. */
const webhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
  }, 'use https:// (plain http only to 127.0.0.1 or localhost)')
  .refine(
    (value) => !new URL(value).username && !new URL(value).password,
    'put credentials in "headers", not in the URL',
  );

/** Header names a webhook may not set: the companion sets these itself. */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'host', 'connection', 'transfer-encoding']);

const webhookSchema = z.strictObject({
  /** How logs name this webhook (its URL is a secret and is never logged). */
  name: z.string().trim().min(1).max(60).optional(),
  url: webhookUrlSchema,
  /** `json`: our own body; `slack`: Slack incoming webhook; `teams`: Teams Workflows webhook (Adaptive Card). */
  format: z.enum(['json', 'slack', 'teams']).default('json'),
  /** Extra request headers, e.g. an Authorization header for the generic receiver. */
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'a header name'), z.string().max(4000))
    .refine(
      (headers) => Object.keys(headers).every((h) => !RESERVED_HEADERS.has(h.toLowerCase())),
      'Content-Type, Host and the like are set by the companion',
    )
    .optional(),
  /** Which changes this webhook gets (default all). */
  events: z.array(z.enum(ALERT_EVENTS)).min(1).optional(),
});

const alertsFileSchema = z.strictObject({
  webhooks: z.array(webhookSchema).max(20),
  /** Retries after the first attempt, with exponential backoff between them. */
  retries: z.number().int().min(0).max(10).default(5),
  /** First wait before a retry, doubling each time up to maxBackoffSeconds. */
  minBackoffSeconds: z.number().min(0.01).max(600).default(2),
  maxBackoffSeconds: z.number().min(0.01).max(3600).default(120),
  /** One attempt's time limit. */
  timeoutSeconds: z.number().min(0.1).max(120).default(10),
});

export interface WebhookTarget {
  name: string;
  url: string;
  format: 'json' | 'slack' | 'teams';
  headers: Record<string, string>;
  events: ReadonlySet<AlertEvent>;
}

export interface AlertsConfig {
  webhooks: WebhookTarget[];
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

export const ALERTS_FILE_EXAMPLE =
  '{"webhooks":[{"name":"ops","url":"https://hooks.slack.com/services/…","format":"slack"}]}';

/** Reads and checks the alerts file; undefined when there is none. */
export function loadAlertsFile(path: string): AlertsConfig | undefined {
  if (!existsSync(path)) return undefined;
  assertPrivateFile(path, 'webhook URLs');
  let parsed: z.infer<typeof alertsFileSchema>;
  try {
    parsed = alertsFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    const why = err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message;
    throw new ConfigError(`${path} is not a valid alerts file (${why}). Expected e.g. ${ALERTS_FILE_EXAMPLE}`);
  }
  if (parsed.maxBackoffSeconds < parsed.minBackoffSeconds) {
    throw new ConfigError(
      `${path}: maxBackoffSeconds (${parsed.maxBackoffSeconds}) is below ` +
        `minBackoffSeconds (${parsed.minBackoffSeconds}).`,
    );
  }
  return {
    webhooks: parsed.webhooks.map((w, i) => ({
      name: w.name ?? `webhook ${i + 1}`,
      url: w.url,
      format: w.format,
      headers: w.headers ?? {},
      events: new Set(w.events ?? ALERT_EVENTS),
    })),
    retries: parsed.retries,
    minBackoffMs: parsed.minBackoffSeconds * 1000,
    maxBackoffMs: parsed.maxBackoffSeconds * 1000,
    timeoutMs: parsed.timeoutSeconds * 1000,
  };
}
