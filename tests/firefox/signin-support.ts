/**
 * The Firefox sign-in tests' world: the real test identity provider and the helpdesk replica behind the
 * CONNECT proxy (under their production host names), Firefox ESR with the built extension, and the steps an
 * admin takes: Options > Sign-in, the popup's Sign in button, the provider's account picker.
 */
import type Browser from 'webextension-polyfill';
import type { Browser as Firefox, Page, Target } from 'puppeteer-core';
import { startIdentityProvider, type IdentityProvider } from '../stack';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { emailSettingsPage, MAILBOXES } from '../browser/signin-support';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';
import { gotoExtensionPage, launchFirefoxWithExtension, openExtensionPage } from './firefox';

export const HELPDESK_URL = 'https://acme.freshdesk.com/a/admin/email';

export interface Servers {
  idp: IdentityProvider;
  fixtures: FixtureServer;
  proxy: ConnectProxy;
  stop(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const idp = await startIdentityProvider();
  const fixtures = await startFixtureServer();
  fixtures.route('/a/admin/email', emailSettingsPage());
  const routes: Record<string, number> = { '*.freshdesk.com': fixtures.port };
  for (const host of idp.hosts) routes[host] = idp.port;
  const proxy = await startConnectProxy(routes);
  return {
    idp,
    fixtures,
    proxy,
    stop: async () => {
      await proxy.close();
      await fixtures.close();
      await idp.stop();
    },
  };
}

export { launchFirefoxWithExtension };

/** The extension's `browser` global, inside an extension page. */
type PageGlobal = typeof globalThis & { browser: Browser.Browser };

/** Options > Sign-in, as an admin fills it; returns the Redirect URL the page tells them to register. */
export async function saveMicrosoftClientId(firefox: Firefox, clientId: string): Promise<string> {
  const options = await openExtensionPage(firefox, 'options.html');
  const form = 'form[data-form="signin-clients"]';
  await options.waitForSelector(`${form} input[name="microsoftClientId"]`);
  await options.type(`${form} input[name="microsoftClientId"]`, clientId);
  await options.click(`${form} button[type="submit"]`);
  await options.waitForFunction((f) => document.querySelector(`${f} [role="status"]`)?.textContent === 'Saved.', {}, form);
  const redirect = await options.$eval('.signin-settings .copy-value', (el) => el.textContent ?? '');
  await options.close();
  return redirect;
}

/** The helpdesk tab the content script marks, then the popup (a tab) listing its mailboxes. */
export async function openHelpdeskAndPopup(firefox: Firefox): Promise<Page> {
  const helpdesk = await firefox.newPage();
  await helpdesk.goto(HELPDESK_URL);
  await helpdesk.waitForFunction(
    (n) => document.querySelectorAll('[data-reauth-state="needs-reauth"]').length === n,
    {},
    MAILBOXES.length,
  );
  const popup = await firefox.newPage();
  await gotoExtensionPage(popup, 'popup.html');
  return popup;
}

export function panelSelector(address: string): string {
  return `[data-signin-mailbox="${address}"]`;
}

/** Clicks Sign in (or `button`); resolves with the provider's page in the window launchWebAuthFlow opened. */
export async function startSignIn(firefox: Firefox, popup: Page, address: string, button = '[data-signin="start"]'): Promise<Page> {
  const start = `${panelSelector(address)} ${button}`;
  await popup.waitForSelector(start);
  const opened = firefox.waitForTarget((t: Target) => t.url().startsWith('https://login.microsoftonline.com/'));
  await popup.click(start);
  const page = await (await opened).page();
  if (!page) throw new Error('The sign-in window opened by identity.launchWebAuthFlow is not a page target');
  return page;
}

export async function pickAccount(picker: Page, email: string): Promise<void> {
  const button = `button[data-account="${email}"]`;
  await picker.waitForSelector(button);
  await picker.click(button);
}

/** Waits for the mailbox's panel to reach `step`; on timeout says which step it is at and what it shows. */
export async function waitForStep(popup: Page, address: string, step: string): Promise<void> {
  const panel = panelSelector(address);
  try {
    await popup.waitForSelector(`${panel}[data-signin-step="${step}"]`, { timeout: 15_000 });
  } catch (error) {
    const now = await popup
      .$eval(panel, (el) => `${el.getAttribute('data-signin-step')}: ${el.textContent}`)
      .catch(() => 'no panel');
    throw new Error(`Sign-in panel of ${address} did not reach "${step}" (now ${now})`, { cause: error });
  }
}

export async function panelText(popup: Page, selector: string): Promise<string> {
  return popup.$eval(selector, (el) => (el.textContent ?? '').trim());
}

/** What the background holds (read from an extension page, for assertions only). */
export async function heldTokens(popup: Page): Promise<Record<string, { accessToken: string; refreshToken?: string; account: string; signedInAs: string }>> {
  return popup.evaluate(async () => ((await (globalThis as PageGlobal).browser.storage.session.get('signinTokens')).signinTokens ?? {}) as never);
}

export async function localStorageDump(popup: Page): Promise<string> {
  return popup.evaluate(async () => JSON.stringify(await (globalThis as PageGlobal).browser.storage.local.get(null)));
}

export async function redirectUrlOfExtension(popup: Page): Promise<string> {
  return popup.evaluate(() => (globalThis as PageGlobal).browser.identity.getRedirectURL());
}
