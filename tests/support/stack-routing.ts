/**
 * Command-line arguments that point the companion's production host names at the test stack: the identity
 * provider (login.microsoftonline.com, oauth2.googleapis.com, idp.reauth.test) and the mail endpoints
 * (outlook.office365.com:993, smtp.office365.com:587, ...), with the test CA trusted. Shared by the browser
 * end-to-end tests and the sandbox (demo/), so both run the extension's and the companion's real configuration;
 * and the stack with such a companion, started together for the tests that need both.
 */
import {
  idpArgs,
  startChildCompanion,
  tempDataDir,
  writeConfidentialClients,
  type ChildCompanion,
} from '../companion/companion-support';
import { startMailStack, type MailStack } from '../stack';

/** `--resolve host:port:127.0.0.1:localPort` for every production mail endpoint the stack stands in for. */
export function mailArgs(stack: Pick<MailStack, 'mailHostMap'>): string[] {
  return Object.entries(stack.mailHostMap).flatMap(([hostPort, to]) => [
    '--resolve',
    `${hostPort}:${to.host}:${to.port}`,
  ]);
}

/** Everything the companion needs to reach the stack (or one in another process) under production names. */
export function stackCompanionArgs(stack: { idp: { port: number }; mailHostMap: MailStack['mailHostMap'] }): string[] {
  return [...idpArgs(stack.idp.port), ...mailArgs(stack)];
}

export interface StackWithCompanion {
  stack: MailStack;
  companion: ChildCompanion;
  stop(): Promise<void>;
}

export interface RoutedCompanionOptions {
  /** Flags after the routing ones; default an hourly health check, so only the test's own calls run. */
  companionArgs?: string[];
  /** Confidential clients' secrets, written to its clients.json. */
  confidentialClients?: Array<{ clientId: string; clientSecret: string }>;
}

/** A companion on a fresh data folder, routed to `stack`. */
export async function startRoutedCompanion(
  stack: MailStack,
  options: RoutedCompanionOptions = {},
): Promise<ChildCompanion> {
  const dataDir = tempDataDir();
  if (options.confidentialClients) writeConfidentialClients(dataDir, options.confidentialClients);
  return startChildCompanion(dataDir, [
    ...stackCompanionArgs(stack),
    ...(options.companionArgs ?? ['--check-interval', '3600']),
  ]);
}

/** The mail stack and a companion routed to it, stopped together. */
export async function startStackWithCompanion(options: RoutedCompanionOptions = {}): Promise<StackWithCompanion> {
  const stack = await startMailStack();
  const companion = await startRoutedCompanion(stack, options);
  return {
    stack,
    companion,
    async stop() {
      await companion.kill();
      await stack.stop();
    },
  };
}
