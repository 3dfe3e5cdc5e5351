/**
 * The real parts for the helpdesk assistants' end-to-end tests, started the way the companion end-to-end
 * test and the sandbox start them: the test stack (identity provider under Microsoft's host names, Dovecot,
 * SMTP submission), the companion as a child process routed to the stack, the fixture server, and Chromium
 * with the built extension, set up through its options page (Client ID, companion paired, the helpdesk's
 * origin added).
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { expect } from '@playwright/test';
import type { ChildCompanion } from '../companion/companion-support';
import { pickAccount, startSignIn } from '../browser/signin-support';
import { CLIENTS, type MailStack } from '../stack';
import { addHelpdeskOrigin } from './custom-origin';
import { extensionWorker, launchWithExtension } from './extension';
import { startFixtureServer, type FixtureServer } from './fixture-server';
import { openOptions, pairCompanion, saveClientIds } from './options-page';
import { startStackWithCompanion } from './stack-routing';

export interface RealParts {
  stack: MailStack;
  companion: ChildCompanion;
  fixtures: FixtureServer;
  context: BrowserContext;
  worker: Worker;
  stop(): Promise<void>;
}

/**
 * The stack and the companion routed to it (startStackWithCompanion's options), the fixture server and
 * Chromium with the extension, nothing configured yet.
 */
export async function startRealParts(
  options: { companionArgs?: string[]; confidentialClients?: Array<{ clientId: string; clientSecret: string }> } = {},
): Promise<RealParts> {
  const routed = await startStackWithCompanion(options);
  const { stack, companion } = routed;
  const fixtures = await startFixtureServer();
  const context = await launchWithExtension([], stack.idp.hostResolverRules);
  const worker = await extensionWorker(context);
  return {
    stack,
    companion,
    fixtures,
    context,
    worker,
    async stop() {
      await context.close();
      await fixtures.close();
      await routed.stop();
    },
  };
}

export type AssistE2E = RealParts;

/** The real parts, set up through the options page: Client ID, companion paired, the helpdesk's origin added. */
export async function startAssistE2E(origin: string): Promise<AssistE2E> {
  const parts = await startRealParts();
  const { context, companion } = parts;
  const options = await openOptions(context);
  await saveClientIds(options, { microsoft: CLIENTS.public.clientId });
  if (!companion.secret) throw new Error(`The companion printed no pairing secret:\n${companion.output()}`);
  await pairCompanion(options, companion.url, companion.secret);
  await options.close();
  await addHelpdeskOrigin(context, origin);
  return parts;
}

/** Clicks an in-page Verify button and returns the verify page the worker opens for it. */
export async function openVerifyPage(context: BrowserContext, click: () => Promise<void>): Promise<Page> {
  const opened = context.waitForEvent('page', { predicate: (p) => p.url().includes('/popup.html?verify=') });
  await click();
  const page = await opened;
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** On the verify page: sign in with `account` (the provider's picker) and wait for the handoff to the companion. */
export async function signInOnVerifyPage(
  context: BrowserContext,
  verify: Page,
  mailbox: string,
  account = mailbox,
): Promise<void> {
  const picker = await startSignIn(context, verify, mailbox);
  await pickAccount(picker, account);
  if (account === mailbox) {
    await expect(verify.locator(`[data-verify-request] [data-verify-mailbox="${mailbox}"]`)).toHaveAttribute(
      'data-handoff-status',
      'handed-over',
      { timeout: 20_000 },
    );
  }
}

/**
 * In a serial describe: the real parts started once before its tests (they take a while on a shared machine)
 * and stopped after them. Call the returned function inside a test.
 */
export function useAssistE2E(
  test: {
    beforeAll(fn: () => Promise<void>): void;
    afterAll(fn: () => Promise<void>): void;
    setTimeout(ms: number): void;
  },
  origin: string,
): () => AssistE2E {
  let e2e: AssistE2E | undefined;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    e2e = await startAssistE2E(origin);
  });
  test.afterAll(async () => {
    await e2e?.stop();
  });
  return () => {
    if (!e2e) throw new Error('the real parts did not start (see beforeAll)');
    return e2e;
  };
}
