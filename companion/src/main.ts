/**
 * node companion/dist/main.mjs (built by npm run build:companion) or npx tsx companion/src/main.ts [--data-dir DIR]
 * [--port N] ...
 */
import { startCompanion } from './app';
import { type CompanionConfig, ConfigError, USAGE, parseConfig } from './config';
import { KeyError } from './crypto/token-key';
import { pairingBanner } from './pairing';
import { MigrationError } from './store/migrations';
import { StoreUnavailableError } from './store/sql';
import { isLoopbackHost } from './target-policy';

/** The store without any password the URL may carry. */
function storeName(config: CompanionConfig): string {
  if (!config.storeUrl) return 'SQLite';
  const url = new URL(config.storeUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

async function main(): Promise<void> {
  let config: CompanionConfig | 'help';
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  // Everything the companion creates (database, WAL, key, reports) is the owner's alone.
  process.umask(0o077);
  const companion = await startCompanion(config);
  const pasteUrl = config.publicNames.length ? `https://${config.publicNames[0]}` : companion.url;
  if (companion.newPairingSecret) process.stdout.write(pairingBanner(companion.newPairingSecret, pasteUrl));
  process.stdout.write(
    `Reauth Assist companion listening on ${companion.url} (data: ${config.dataDir}; store: ${storeName(config)}; ` +
      `instance ${companion.instanceId})\n`,
  );
  if (!isLoopbackHost(config.host)) {
    process.stdout.write(
      `Reachable from other machines as ${config.publicNames.join(', ')}. It speaks plain HTTP: serve it only ` +
        'through a TLS reverse proxy (companion/README.md, "Team mode"); the secret and tokens must never cross ' +
        'the network in clear.\n',
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      process.stdout.write(`${signal} again: stopping now without waiting for running checks\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: stopping the companion (send it again to stop at once)\n`);
    // A check stuck past every time limit must not keep the process alive for ever.
    setTimeout(() => {
      process.stderr.write('The companion did not stop within 30 s; exiting anyway.\n');
      process.exit(1);
    }, 30_000).unref();
    await companion.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** A PostgreSQL refusal at start (wrong password, no such database) is the admin's to fix, not a crash. */
function isStoreError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return err instanceof StoreUnavailableError || (typeof code === 'string' && /^(28|3D|42501)/.test(code));
}

main().catch((err: unknown) => {
  const known =
    err instanceof ConfigError || err instanceof KeyError || err instanceof MigrationError || isStoreError(err);
  process.stderr.write(
    `The companion could not start: ${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
