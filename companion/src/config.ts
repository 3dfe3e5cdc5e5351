/**
 * Everything the companion is told at start: command-line flags first, then environment variables, then
 * defaults. Parsed once into a plain object so the rest of the code never reads process.env.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROME_EXTENSION_ORIGIN, COMPANION_DEFAULT_HOST, COMPANION_DEFAULT_PORT } from '../../lib/companion-api';
import { HEALTH_CHECK_INTERVAL_SECONDS } from './monitor/retry-schedule';
import { parseResolveRules, type ResolveRule } from './outbound';
import { isAddressOrRange, isLoopbackHost } from './target-policy';

export interface CompanionConfig {
  dataDir: string;
  /** A postgres:// URL of a shared database; undefined: the SQLite file in dataDir. */
  storeUrl?: string;
  /** PostgreSQL connections one instance may hold. */
  storePoolSize: number;
  /** Seconds a claimed mailbox stays with this instance without renewal (a dead instance's work waits this long). */
  leaseSeconds: number;
  /** Health checks this instance starts per second at most (catch-up pace after an outage). */
  maxCheckRate: number;
  /** File with the token key shared by every instance (default <dataDir>/token-key). */
  keyFile?: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Extra names the companion answers to in the Host header (team mode behind a reverse proxy). */
  publicNames: string[];
  /** Origins allowed to call the API: the Chrome extension, plus configured moz-extension:// origins. */
  allowedOrigins: string[];
  checkIntervalSeconds: number;
  /** Multiplies every schedule delay (health-check interval, retry backoff). 1 in production; tests shrink it. */
  timeScale: number;
  /** How many mailboxes are checked at the same time. */
  concurrency: number;
  /** Requests a client may make per minute; requests without a valid secret have a budget of their own. */
  rateLimitPerMinute: number;
  /** Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the real client. */
  trustedProxies: string[];
  /** Internal mail or token hosts (names, addresses or CIDR ranges) a team companion may still reach. */
  allowInternalHosts: string[];
  /** Events older than this many days are pruned. */
  eventsRetentionDays: number;
  /** Time limit of each verification step (name lookup, connect, TLS, sign-in...). */
  stepTimeoutSeconds: number;
  /** curl-style host:port:address[:port] overrides for the companion's own outgoing HTTPS. */
  resolve: ResolveRule[];
  /** DNS servers for MX lookups (ADDR[:PORT]); empty: the system's resolver configuration. */
  dnsServers: string[];
  /** PEM of an extra certificate authority trusted for outgoing HTTPS (a test CA, a corporate CA). */
  extraCaPem?: string;
  /** JSON file with confidential clients' secrets (code-redemption mode). Default: <dataDir>/clients.json */
  clientsFile: string;
  /** JSON file with the webhooks that get mailbox alerts. Default: <dataDir>/alerts.json (none: no webhooks) */
  alertsFile: string;
  resetPairing: boolean;
  /** File with the pairing secret every instance accepts (a compose/systemd secret); replaces the generated one. */
  pairingSecretFile?: string;
  logLevel: string;
}

export const USAGE = `Reauth Assist companion

Usage: node companion/dist/main.mjs [options]   (from source: npx tsx companion/src/main.ts)

  --data-dir DIR        where the database and key live (env REAUTH_ASSIST_DATA;
                        default $XDG_DATA_HOME/reauth-assist or ~/.local/share/reauth-assist)
  --store URL           postgres://user@host:port/db: a PostgreSQL several instances share (env
                        REAUTH_ASSIST_STORE or REAUTH_STORE); default: the SQLite file in the data directory
  --store-pool-size N   PostgreSQL connections per instance (default 10)
  --lease-seconds S     how long a mailbox being checked stays with this instance without renewal; an instance
                        that dies hands its mailboxes to the others after this (default 60;
                        env REAUTH_ASSIST_LEASE_SECONDS)
  --max-check-rate N    health checks this instance starts per second at most, so a backlog (after an outage,
                        at start) does not burst into the mail servers (default 40; env REAUTH_ASSIST_MAX_CHECK_RATE)
  --key-file FILE       the token key, shared by every instance of a team (env REAUTH_ASSIST_KEY_FILE;
                        default <data-dir>/token-key; REAUTH_ASSIST_KEY replaces it)
  --host ADDR           address to listen on (default ${COMPANION_DEFAULT_HOST}; keep it for a single admin).
                        Any other address needs --public-name and a TLS reverse proxy in front
  --port N              port (default ${COMPANION_DEFAULT_PORT})
  --public-name NAME    extra Host name the companion answers to, e.g. tools.example.com (repeatable;
                        env REAUTH_ASSIST_PUBLIC_NAMES, comma-separated)
  --allow-origin ORIGIN extra extension origin, e.g. moz-extension://<uuid> (repeatable;
                        env REAUTH_ASSIST_ALLOWED_ORIGINS, comma-separated)
  --check-interval S    seconds between health checks of a working mailbox (default ${HEALTH_CHECK_INTERVAL_SECONDS})
  --concurrency N       mailboxes checked at once (default 8)
  --rate-limit N        requests per minute per client (default 300); requests without a valid
                        pairing secret count in a budget of their own, so they never lock the extension out
  --trusted-proxy ADDR  a reverse proxy (address or CIDR) whose X-Forwarded-For names the client, so each
                        team member has their own rate limit (repeatable; env REAUTH_ASSIST_TRUSTED_PROXIES)
  --allow-internal-host HOST  let a team companion reach this private/loopback mail or token host (name,
                        address or CIDR; repeatable; env REAUTH_ASSIST_ALLOW_INTERNAL_HOSTS)
  --events-retention-days D  keep the event history this many days (default 30)
  --step-timeout S      seconds each verification step may take before it counts as timed out (default 15)
  --resolve H:P:ADDR[:PORT]  send the companion's HTTPS for H:P to ADDR[:PORT] (repeatable;
                        env REAUTH_ASSIST_RESOLVE, comma-separated); like curl --resolve / --connect-to
  --dns-server ADDR[:PORT]  DNS server for MX lookups (repeatable; env REAUTH_ASSIST_DNS_SERVERS,
                        comma-separated; default: the system's)
  --extra-ca FILE       trust this CA (PEM) for outgoing HTTPS (env REAUTH_ASSIST_EXTRA_CA)
  --clients-file FILE   confidential clients' secrets (default <data-dir>/clients.json)
  --alerts-file FILE    webhooks for mailbox alerts, mode 0600 (default <data-dir>/alerts.json; none: no webhooks)
  --time-scale X        multiply schedule delays by X (tests and demos; default 1)
  --reset-pairing       make a new pairing secret (the old one stops working) and print it
  --pairing-secret-file FILE  the pairing secret every instance accepts, one line of 32+ characters, mode 0600
                        (env REAUTH_ASSIST_PAIRING_SECRET_FILE; a compose/systemd secret); nothing is printed
  --log-level LEVEL     fatal|error|warn|info|debug (default info)
  --help

Environment: REAUTH_ASSIST_KEY (base64 of 32 bytes) replaces the key file for token encryption.
`;

export class ConfigError extends Error {}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function number(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(`--${name} must be a number from ${min} to ${max}, got "${value}".`);
  }
  return n;
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  if (env.REAUTH_ASSIST_DATA) return resolvePath(env.REAUTH_ASSIST_DATA);
  const base = env.XDG_DATA_HOME ? resolvePath(env.XDG_DATA_HOME) : join(homedir(), '.local', 'share');
  return join(base, 'reauth-assist');
}

/** 192.0.2.1, 192.0.2.1:5353, ::1 or [::1]:5353 (what Node's resolver.setServers takes). */
const DNS_SERVER = /^(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|[0-9a-f:]*:[0-9a-f:]*|\[[0-9a-f:]+\](?::\d{1,5})?)$/i;

function dnsServers(values: string[]): string[] {
  for (const value of values) {
    if (!DNS_SERVER.test(value)) {
      throw new ConfigError(
        `--dns-server "${value}" is not an IP address with an optional port, e.g. 192.0.2.53 or 127.0.0.1:5353.`,
      );
    }
  }
  return values;
}

/** A PostgreSQL connection URL, or undefined for the embedded SQLite store. */
function storeUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || value === 'sqlite') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      '--store must be a PostgreSQL URL such as postgres://reauth@db.example.com:5432/reauth (password in the URL ' +
        'or in ~/.pgpass / PGPASSWORD), or "sqlite" for the embedded store.',
    );
  }
  return value;
}

const ORIGIN = /^(chrome-extension|moz-extension|https?):\/\/[A-Za-z0-9.-]+(:\d+)?$/;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): CompanionConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      store: { type: 'string' },
      'store-pool-size': { type: 'string' },
      'lease-seconds': { type: 'string' },
      'max-check-rate': { type: 'string' },
      'key-file': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'public-name': { type: 'string', multiple: true },
      'allow-origin': { type: 'string', multiple: true },
      'check-interval': { type: 'string' },
      concurrency: { type: 'string' },
      'rate-limit': { type: 'string' },
      'trusted-proxy': { type: 'string', multiple: true },
      'allow-internal-host': { type: 'string', multiple: true },
      'events-retention-days': { type: 'string' },
      'step-timeout': { type: 'string' },
      resolve: { type: 'string', multiple: true },
      'extra-ca': { type: 'string' },
      'dns-server': { type: 'string', multiple: true },
      'clients-file': { type: 'string' },
      'alerts-file': { type: 'string' },
      'time-scale': { type: 'string' },
      'reset-pairing': { type: 'boolean' },
      'pairing-secret-file': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';

  const dataDir = values['data-dir'] ? resolvePath(values['data-dir']) : defaultDataDir(env);
  const allowedOrigins = [
    CHROME_EXTENSION_ORIGIN,
    ...list(env.REAUTH_ASSIST_ALLOWED_ORIGINS),
    ...(values['allow-origin'] ?? []),
  ];
  for (const origin of allowedOrigins) {
    if (!ORIGIN.test(origin)) {
      throw new ConfigError(
        `Allowed origin "${origin}" is not an origin (scheme://host, no path), e.g. moz-extension://1b2c3d4e-...`,
      );
    }
  }
  const extraCaPath = values['extra-ca'] ?? env.REAUTH_ASSIST_EXTRA_CA;
  let extraCaPem: string | undefined;
  if (extraCaPath) {
    try {
      extraCaPem = readFileSync(extraCaPath, 'utf8');
    } catch (err) {
      throw new ConfigError(`Cannot read the extra CA file ${extraCaPath}: ${(err as Error).message}`);
    }
  }
  const host = values.host ?? COMPANION_DEFAULT_HOST;
  const publicNames = [...list(env.REAUTH_ASSIST_PUBLIC_NAMES), ...(values['public-name'] ?? [])].map((n) =>
    n.toLowerCase(),
  );
  if (!isLoopbackHost(host) && publicNames.length === 0) {
    throw new ConfigError(
      `--host ${host} listens beyond this machine, so it needs --public-name NAME: the name clients reach it by ` +
        '(e.g. tools.example.com). The companion speaks plain HTTP: put a TLS reverse proxy in front of it ' +
        '(companion/README.md, "Team mode"), or keep --host 127.0.0.1.',
    );
  }
  const trustedProxies = [...list(env.REAUTH_ASSIST_TRUSTED_PROXIES), ...(values['trusted-proxy'] ?? [])];
  for (const proxy of trustedProxies) {
    if (!isAddressOrRange(proxy)) {
      throw new ConfigError(
        `--trusted-proxy "${proxy}" is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8).`,
      );
    }
  }
  const keyFile = values['key-file'] ?? env.REAUTH_ASSIST_KEY_FILE;
  const pairingSecretFile = values['pairing-secret-file'] ?? env.REAUTH_ASSIST_PAIRING_SECRET_FILE;
  if (pairingSecretFile && values['reset-pairing']) {
    throw new ConfigError(
      '--reset-pairing makes a new secret, but --pairing-secret-file (or REAUTH_ASSIST_PAIRING_SECRET_FILE) names ' +
        'the secret to use: to change it, write a new one into that file and restart the instances.',
    );
  }
  return {
    dataDir,
    storeUrl: storeUrl(values.store ?? env.REAUTH_ASSIST_STORE ?? env.REAUTH_STORE),
    storePoolSize: number('store-pool-size', values['store-pool-size'], 10, 1, 1000),
    leaseSeconds: number('lease-seconds', values['lease-seconds'] ?? env.REAUTH_ASSIST_LEASE_SECONDS, 60, 3, 86_400),
    maxCheckRate: number(
      'max-check-rate',
      values['max-check-rate'] ?? env.REAUTH_ASSIST_MAX_CHECK_RATE,
      40,
      0.01,
      100_000,
    ),
    ...(keyFile ? { keyFile: resolvePath(keyFile) } : {}),
    host,
    port: number('port', values.port, COMPANION_DEFAULT_PORT, 0, 65_535),
    publicNames,
    allowedOrigins: [...new Set(allowedOrigins)],
    checkIntervalSeconds: number('check-interval', values['check-interval'], HEALTH_CHECK_INTERVAL_SECONDS, 1, 86_400),
    timeScale: number('time-scale', values['time-scale'], 1, 0.0001, 1000),
    concurrency: number('concurrency', values.concurrency, 8, 1, 256),
    rateLimitPerMinute: number('rate-limit', values['rate-limit'], 300, 1, 1_000_000),
    trustedProxies,
    allowInternalHosts: [...list(env.REAUTH_ASSIST_ALLOW_INTERNAL_HOSTS), ...(values['allow-internal-host'] ?? [])].map(
      (h) => h.toLowerCase(),
    ),
    eventsRetentionDays: number('events-retention-days', values['events-retention-days'], 30, 0.00001, 36_500),
    stepTimeoutSeconds: number('step-timeout', values['step-timeout'], 15, 0.1, 600),
    resolve: parseResolveRules([...list(env.REAUTH_ASSIST_RESOLVE), ...(values.resolve ?? [])]),
    dnsServers: dnsServers([...list(env.REAUTH_ASSIST_DNS_SERVERS), ...(values['dns-server'] ?? [])]),
    extraCaPem,
    clientsFile: values['clients-file'] ? resolvePath(values['clients-file']) : join(dataDir, 'clients.json'),
    alertsFile: values['alerts-file'] ? resolvePath(values['alerts-file']) : join(dataDir, 'alerts.json'),
    resetPairing: values['reset-pairing'] ?? false,
    ...(pairingSecretFile ? { pairingSecretFile: resolvePath(pairingSecretFile) } : {}),
    logLevel: values['log-level'] ?? 'info',
  };
}
