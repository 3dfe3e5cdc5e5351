/**
 * Assembles and starts the companion: data directory, key, database, pairing, token client, mail checker,
 * monitor and HTTP API. main.ts is the command line around it; tests start it in-process with their own
 * checker or options.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type Database from 'better-sqlite3';
import { createMailboxAlerts, loadAlertsFile, type MailboxAlerts } from './alerts';
import type { CompanionConfig } from './config';
import { createSealedBox } from './crypto/sealed-box';
import { loadTokenKey } from './crypto/token-key';
import { registerMailHostingRoute } from './http/mail-hosting-route';
import { createApp, registerRoutes } from './http/server';
import type { MailChecker } from './mail-checker';
import { Monitor } from './monitor/monitor';
import { loadConfidentialClients } from './oauth/confidential-clients';
import { TokenClient } from './oauth/token-client';
import { TokenService } from './oauth/token-service';
import { createOutboundFetch } from './outbound';
import { ensurePairing } from './pairing';
import { openDatabase, restrictMode } from './store/database';
import { MailboxStore } from './store/mailbox-store';
import { createTargetPolicy, isLoopbackHost } from './target-policy';
import { createMailChecker } from './verify';

export interface RunningCompanion {
  url: string;
  port: number;
  /** Set only when this start created a pairing secret (first start or --reset-pairing). */
  newPairingSecret?: string;
  app: FastifyInstance;
  db: Database.Database;
  store: MailboxStore;
  monitor: Monitor;
  /** Present when an alerts file names webhooks. */
  alerts?: MailboxAlerts;
  close(): Promise<void>;
}

export interface StartOverrides {
  env?: NodeJS.ProcessEnv;
  logStream?: NodeJS.WritableStream;
  checker?: MailChecker;
  /** Skip the periodic monitor (tests that drive checks themselves). */
  monitor?: boolean;
}

export function companionVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The data folder is the owner's alone (0700), whatever mode it was found or created with; says when it fixed it. */
function ensureDataDir(dir: string): string[] {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return restrictMode(dir, 0o700) ? [dir] : [];
}

export async function startCompanion(
  config: CompanionConfig,
  overrides: StartOverrides = {},
): Promise<RunningCompanion> {
  const env = overrides.env ?? process.env;
  const narrowed = ensureDataDir(config.dataDir);
  const key = loadTokenKey(config.dataDir, env);
  const confidential = loadConfidentialClients(config.clientsFile);
  const alertsConfig = loadAlertsFile(config.alertsFile);
  const { db, narrowed: narrowedFiles } = openDatabase(config.dataDir);
  narrowed.push(...narrowedFiles);
  const { pairing, newSecret } = ensurePairing(db, config.resetPairing);
  const store = new MailboxStore(db, createSealedBox(key));
  store.sealPlainOutageReports();
  // A companion others can call (beyond loopback, or by a public name) must not reach internal hosts for them.
  const targets = createTargetPolicy({
    enforced: !isLoopbackHost(config.host) || config.publicNames.length > 0,
    allowInternalHosts: config.allowInternalHosts,
    resolve: config.resolve,
  });
  const network = { resolve: config.resolve, extraCaPem: config.extraCaPem, targets };
  const outbound = createOutboundFetch(network);
  const tokenClient = new TokenClient(outbound.fetch);
  const checker = overrides.checker ?? createMailChecker({ ...network, timeoutMs: config.stepTimeoutSeconds * 1000 });

  let app: FastifyInstance | undefined;
  let alerts: MailboxAlerts | undefined;
  try {
    app = await createApp({
      publicNames: config.publicNames,
      allowedOrigins: config.allowedOrigins,
      rateLimitPerMinute: config.rateLimitPerMinute,
      trustedProxies: config.trustedProxies,
      logLevel: config.logLevel,
      logStream: overrides.logStream,
      pairing,
    });
    for (const path of narrowed) app.log.warn({ path }, 'permissions were wider than owner-only; narrowed them');
    const tokens = new TokenService(store, tokenClient, confidential, app.log);
    registerRoutes(app, { version: companionVersion(), store, tokens, tokenClient, confidential, checker, targets });
    registerMailHostingRoute(app, { servers: config.dnsServers });
    if (alertsConfig && alertsConfig.webhooks.length > 0) {
      const sweepMs = Math.max(1000, Math.round(60_000 * config.timeScale));
      const alertsNetwork = { resolve: config.resolve, extraCaPem: config.extraCaPem };
      alerts = createMailboxAlerts({ config: alertsConfig, store, network: alertsNetwork, log: app.log, sweepMs });
    }
    const monitor = new Monitor(
      store,
      tokens,
      checker,
      {
        checkIntervalSeconds: config.checkIntervalSeconds,
        timeScale: config.timeScale,
        concurrency: config.concurrency,
        eventsRetentionMs: config.eventsRetentionDays * 86_400_000,
        tickMs: Math.min(1000, Math.max(20, Math.round(1000 * config.timeScale))),
        afterJob: alerts && ((address) => alerts!.settled(address)),
      },
      app.log,
    );

    await app.listen({ host: config.host, port: config.port });
    const port = (app.server.address() as AddressInfo).port;
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
    if (overrides.monitor !== false) monitor.start();
    const started = app;
    return {
      url: `http://${hostForUrl}:${port}`,
      port,
      newPairingSecret: newSecret,
      app: started,
      db,
      store,
      monitor,
      alerts,
      async close() {
        await monitor.stop();
        await alerts?.close();
        await started.close();
        await outbound.close();
        db.close();
      },
    };
  } catch (err) {
    await alerts?.close();
    await app?.close();
    await outbound.close();
    db.close();
    throw err;
  }
}
