/**
 * Playwright fixtures: Debian's Chromium with the built extension loaded (recipe in shared/notes/browser-tests.md),
 * test host names resolved to loopback, and the fixture server.
 */
import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureServer, type FixtureServer } from './fixture-server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const EXTENSION_DIR = fileURLToPath(
  new URL(`../../${process.env.REAUTH_OUT ?? '.output'}/chrome-mv3/`, import.meta.url),
);
export const EXTENSION_ID = 'bjbknmdlnppncpgpkampigklkbmnehfg';

/** Every test host name goes to loopback; nothing leaves the machine. */
export const HOST_RULES = 'MAP * 127.0.0.1, EXCLUDE localhost';

/**
 * `extraHostRules` (e.g. the test stack's "MAP login.microsoftonline.com 127.0.0.1:PORT, ...") go FIRST:
 * Chromium applies the first matching rule, and HOST_RULES maps every other name to port-less loopback.
 */
export async function launchWithExtension(
  extraArgs: string[] = [],
  extraHostRules?: string,
  /**
   * The sandbox (demo/) opens a visible window, keeps the profile in its own temp folder, and stops the browser
   * itself on Ctrl+C (handleSignals: false) after the servers, instead of Playwright exiting the process first.
   */
  options: {
    headless?: boolean;
    userDataDir?: string;
    handleSignals?: boolean;
    backForwardCache?: boolean;
    /** Another unpacked extension instead of ours (the benchmark's naive detector). */
    extensionDir?: string;
  } = {},
): Promise<BrowserContext> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'reauth-assist-profile-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    handleSIGINT: options.handleSignals ?? true,
    handleSIGTERM: options.handleSignals ?? true,
    handleSIGHUP: options.handleSignals ?? true,
    ignoreHTTPSErrors: true,
    // Playwright turns the back/forward cache off by default; a test of pages restored from it turns it on.
    ...(options.backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--host-resolver-rules=${extraHostRules ? `${extraHostRules}, ${HOST_RULES}` : HOST_RULES}`,
      '--ignore-certificate-errors',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export async function extensionWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

export async function openPopup(context: BrowserContext, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html${query}`);
  return page;
}

export const test = base.extend<
  { context: BrowserContext; worker: Worker },
  { fixtures: FixtureServer }
>({
  fixtures: [
    async ({}, use) => {
      const server = await startFixtureServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  context: async ({}, use) => {
    const context = await launchWithExtension();
    await use(context);
    await context.close();
  },
  worker: async ({ context }, use) => {
    await use(await extensionWorker(context));
  },
});

export { expect } from '@playwright/test';
