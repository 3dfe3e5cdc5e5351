/**
 * `npx tsx tests/stack/cli.ts`: starts the test stack, prints one JSON line (endpoints, host rules, accounts),
 * stays up until Ctrl+C / SIGTERM, then stops everything it started.
 */
import { startMailStack } from './index';

const stack = await startMailStack();
process.stdout.write(`${JSON.stringify({ ready: true, ...stack.describe() })}\n`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`Stopping the test stack (${signal})...\n`);
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
