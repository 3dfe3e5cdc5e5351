/**
 * The whole product on loopback, started the way the end-to-end tests start it: the test stack (identity
 * provider under Microsoft's and Google's real host names, Dovecot, SMTP submission), the companion as a child
 * process with its data in the sandbox folder, the helpdesk replica, and Chromium with the built extension,
 * set up through its options page (Client IDs registered at the stack, companion paired with the secret the
 * companion printed at its first start).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import {
  startChildCompanion,
  writeConfidentialClients,
  type ChildCompanion,
} from '../tests/companion/companion-support';
import { CLIENTS, startMailStack, type MailStack } from '../tests/stack';
import { extensionWorker, launchWithExtension } from '../tests/support/extension';
import { startFixtureServer, type FixtureServer } from '../tests/support/fixture-server';
import { openOptions, pairCompanion, saveClientIds, testCompanionConnection } from '../tests/support/options-page';
import { stackCompanionArgs } from '../tests/support/stack-routing';
import { EMAIL_SETTINGS_PATH, HELPDESK_HOST, emailSettingsPage } from './helpdesk';
import { Resources } from './resources';
import { addHelpdeskOrigin } from '../tests/support/custom-origin';
import { otherHelpdeskScreens, type HelpdeskScreen } from './screens';

export interface SandboxOptions {
  /** Folder for everything the sandbox writes (companion data, browser profile). */
  dir: string;
  headless: boolean;
  /** Progress lines for the terminal. */
  log?: (line: string) => void;
}

export interface Sandbox {
  stack: MailStack;
  companion: ChildCompanion;
  /** The pairing secret the companion printed at its first start (never logged). */
  pairingSecret: string;
  fixtures: FixtureServer;
  context: BrowserContext;
  worker: Worker;
  /** Freshdesk's Admin > Channels > Email replica, open in the first tab. */
  helpdesk: Page;
  helpdeskUrl: string;
  /** Other helpdesks' replica screens found under tests/fixtures (SupportCenter Plus, Salesorder, ...). */
  screens: HelpdeskScreen[];
  stop(): Promise<string[]>;
}

export async function startSandbox(options: SandboxOptions, resources = new Resources()): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const abortIfStopping = () => resources.throwIfCancelled();

  log('Starting the identity provider, Dovecot IMAP and SMTP submission on 127.0.0.1...');
  const stack = await startMailStack();
  resources.add('identity provider, Dovecot and SMTP', () => stack.stop());
  abortIfStopping();

  log("Starting the companion (fresh data folder, with the Google client's secret in its clients.json)...");
  const companionDir = join(options.dir, 'companion');
  mkdirSync(companionDir, { recursive: true, mode: 0o700 });
  // Google's Web application clients need their secret to redeem a code: the companion holds it, as in production.
  writeConfidentialClients(companionDir, [CLIENTS.confidential]);
  const companion = await startChildCompanion(companionDir, stackCompanionArgs(stack));
  resources.add('companion', () => companion.kill());
  abortIfStopping();
  const pairingSecret = companion.secret;
  if (!pairingSecret) {
    throw new Error(
      `The companion did not print a pairing secret at its first start; its output was:\n${companion.output()}`,
    );
  }

  const fixtures = await startFixtureServer();
  resources.add('helpdesk replica server', () => fixtures.close());
  fixtures.route(EMAIL_SETTINGS_PATH, emailSettingsPage());
  const helpdeskUrl = fixtures.url(HELPDESK_HOST, EMAIL_SETTINGS_PATH);
  const screens = otherHelpdeskScreens().map((screen) => {
    fixtures.route(screen.path, readFileSync(screen.file, 'utf8'));
    return { ...screen, url: fixtures.url(screen.host, screen.path) };
  });
  abortIfStopping();

  log(`Starting Chromium (${options.headless ? 'headless' : 'a window'}) with the built extension...`);
  const profile = join(options.dir, 'profile');
  mkdirSync(profile, { mode: 0o700 });
  const context = await launchWithExtension([], stack.idp.hostResolverRules, {
    headless: options.headless,
    userDataDir: profile,
    handleSignals: false,
  });
  resources.add('Chromium', () => context.close());
  abortIfStopping();
  const worker = await extensionWorker(context);

  log('Setting the Client IDs and pairing the companion in the options page...');
  const settings = await openOptions(context);
  await saveClientIds(settings, { microsoft: CLIENTS.public.clientId, google: CLIENTS.confidential.clientId });
  await pairCompanion(settings, companion.url, pairingSecret);
  const connection = await testCompanionConnection(settings);
  if (!connection.ok)
    throw new Error(`The extension cannot reach the companion it was paired with:\n${connection.text}`);
  await settings.close();

  // Other helpdesks run on the admin's own domain: enable each the way an admin does, in Options.
  const addedHosts = [...new Set(screens.filter((s) => !s.matched).map((s) => s.host))];
  if (addedHosts.length > 0) log(`Adding ${addedHosts.join(', ')} in Options > Helpdesk addresses...`);
  for (const host of addedHosts) await addHelpdeskOrigin(context, `https://${host}`);
  for (const screen of screens) screen.matched = true;

  const helpdesk = context.pages()[0] ?? (await context.newPage());
  await helpdesk.goto(helpdeskUrl);
  await helpdesk.bringToFront();

  return {
    stack,
    companion,
    pairingSecret,
    fixtures,
    context,
    worker,
    helpdesk,
    helpdeskUrl,
    screens,
    stop: () => resources.stopAll(),
  };
}
