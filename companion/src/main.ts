/**
 * node companion/dist/main.mjs (built by npm run build:companion) or npx tsx companion/src/main.ts [--data-dir DIR] [--port N] ...
 */
import { startCompanion } from './app';
import { ConfigError, USAGE, parseConfig } from './config';
import { KeyError } from './crypto/token-key';
import { pairingBanner } from './pairing';

async function main(): Promise<void> {
  let config;
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

  const companion = await startCompanion(config);
  if (companion.newPairingSecret) process.stdout.write(pairingBanner(companion.newPairingSecret, companion.url));
  process.stdout.write(`Reauth Assist companion listening on ${companion.url} (data: ${config.dataDir})\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the companion\n`);
    await companion.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof KeyError;
  process.stderr.write(`The companion could not start: ${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
