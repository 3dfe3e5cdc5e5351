/**
 * Assembles and starts the companion: data directory, key, database, pairing, token client, mail checker,
 * monitor and HTTP API. main.ts is the command line around it; tests start it in-process with their own
 * checker or options.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
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
import { ensurePairing, readPairingSecretFile } from './pairing';
import { openDatabase, restrictMode } from './store/database';
import { importClientSecrets, loadClientSecrets } from './store/client-secrets';
import { bindTokenKey } from './store/key-binding';
import { MailboxStore } from './store/mailbox-store';
import type { SqlDatabase } from './store/sql';
import { StoreHealth } from './store/store-health';
import { createTargetPolicy, isLoopbackHost } from './target-policy';
import { createMailChecker } from './verify';

export interface RunningCompanion {
  url: string;
  port: number;
  /** Set only when this start created a pairing secret (first start or --reset-pairing). */
  newPairingSecret?: string;
  app: FastifyInstance;
  db: SqlDatabase;
  /** Names this instance in leases and the check log. */
  instanceId: string;
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
  const key = loadTokenKey(config.dataDir, env, config.keyFile);
  const pairingSecret = config.pairingSecretFile ? readPairingSecretFile(config.pairingSecretFile) : undefined;
  const clientsFile = existsSync(config.clientsFile) ? loadConfidentialClients(config.clientsFile) : undefined;
  /** Read from the store, so instances without the file have the secrets too. */
  const confidential = new Map<string, string>();
  const alertsConfig = loadAlertsFile(config.alertsFile);
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // Before the server logger exists: a dropped idle connection (PostgreSQL restarting) must not end the process.
  let logConnectionError = (err: Error): void => {
    process.stderr.write(`database connection lost: ${err.message}\n`);
  };
  const { db, narrowed: narrowedFiles } = await openDatabase(
    { dataDir: config.dataDir, storeUrl: config.storeUrl, poolSize: config.storePoolSize },
    (err) => logConnectionError(err),
  );
  narrowed.push(...narrowedFiles);
  let pairing: Awaited<ReturnType<typeof ensurePairing>>['pairing'];
  let newSecret: string | undefined;
  let store: MailboxStore;
  try {
    await bindTokenKey(db, key);
    const box = createSealedBox(key);
    if (clientsFile) await importClientSecrets(db, box, clientsFile);
    await loadClientSecrets(db, box, confidential);
    ({ pairing, newSecret } = await ensurePairing(db, config.resetPairing, pairingSecret));
    store = new MailboxStore(db, box);
    await store.sealPlainOutageReports();
  } catch (err) {
    await db.close();
    throw err;
  }
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
    const log = app.log;
    logConnectionError = (err) => log.warn({ err: err.message }, 'database connection lost; the next query reconnects');
    const storeHealth = new StoreHealth(db, app.log);
    const tokens = new TokenService(store, tokenClient, confidential, app.log, instanceId);
    registerRoutes(app, {
      version: companionVersion(),
      store,
      tokens,
      tokenClient,
      confidential,
      checker,
      targets,
      storeHealth,
    });
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
        leaseMs: config.leaseSeconds * 1000,
        maxCheckRate: config.maxCheckRate,
        instanceId,
        storeHealth,
        afterJob: alerts && ((address) => alerts!.settled(address)),
      },
      app.log,
    );

    await app.listen({ host: config.host, port: config.port });
    const port = (app.server.address() as AddressInfo).port;
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
    if (overrides.monitor !== false) monitor.start();
    // Another instance's --reset-pairing reaches this one within a few seconds.
    const pairingReload = setInterval(() => {
      pairing.reload().catch((err: unknown) => storeHealth.observe(err));
      loadClientSecrets(db, createSealedBox(key), confidential).catch((err: unknown) => storeHealth.observe(err));
    }, 5000);
    pairingReload.unref();
    const started = app;
    return {
      url: `http://${hostForUrl}:${port}`,
      port,
      newPairingSecret: newSecret,
      app: started,
      db,
      instanceId,
      store,
      monitor,
      alerts,
      async close() {
        clearInterval(pairingReload);
        await monitor.stop();
        await alerts?.close();
        await started.close();
        await outbound.close();
        await db.close();
      },
    };
  } catch (err) {
    await alerts?.close();
    await app?.close();
    await outbound.close();
    await db.close();
    throw err;
  }
}
