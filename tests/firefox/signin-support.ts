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
  const proxy = await startHelpdeskProxy(idp, fixtures);
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

/**
 * The helpdesk replica's email settings page, and the CONNECT proxy Firefox reaches it and the identity
 * provider's production host names through.
 */
export async function startHelpdeskProxy(idp: IdentityProvider, fixtures: FixtureServer): Promise<ConnectProxy> {
  fixtures.route('/a/admin/email', emailSettingsPage());
  const routes: Record<string, number> = { '*.freshdesk.com': fixtures.port };
  for (const host of idp.hosts) routes[host] = idp.port;
  return startConnectProxy(routes);
}

export { launchFirefoxWithExtension };

/** The extension's `browser` global, inside an extension page. */
type PageGlobal = typeof globalThis & { browser: Browser.Browser };

/** Options > Sign-in, as an admin fills it; returns the Redirect URL the page tells them to register. */
export async function saveMicrosoftClientId(firefox: Firefox, clientId: string): Promise<string> {
  return saveClientIds(firefox, { microsoft: clientId });
}

/** Options > Sign-in with the given Client IDs (who redeems stays at its default); returns the Redirect URL shown. */
export async function saveClientIds(firefox: Firefox, ids: { microsoft?: string; google?: string }): Promise<string> {
  const options = await openExtensionPage(firefox, 'options.html');
  const form = 'form[data-form="signin-clients"]';
  await options.waitForSelector(`${form} input[name="microsoftClientId"]`);
  if (ids.microsoft !== undefined) await options.type(`${form} input[name="microsoftClientId"]`, ids.microsoft);
  if (ids.google !== undefined) await options.type(`${form} input[name="googleClientId"]`, ids.google);
  await options.click(`${form} button[type="submit"]`);
  await options.waitForFunction(
    (f) => document.querySelector(`${f} [role="status"]`)?.textContent === 'Saved.',
    {},
    form,
  );
  const redirect = await options.$eval('.signin-settings .copy-value', (el) => el.textContent ?? '');
  await options.close();
  return redirect;
}

/** Options > Companion, as an admin pairs it; resolves with what the page then says ("Paired with <url>."). */
export async function pairCompanion(firefox: Firefox, url: string, secret: string): Promise<string> {
  const options = await openExtensionPage(firefox, 'options.html');
  await options.waitForSelector('input[name="companionUrl"]');
  // The field starts with the default address: replace it, as an admin selecting it and typing would.
  await options.$eval('input[name="companionUrl"]', (el) => {
    (el as HTMLInputElement).select();
  });
  await options.type('input[name="companionUrl"]', url);
  await options.type('input[name="pairingSecret"]', secret);
  await options.click('[data-companion="save"]');
  const expected = `Paired with ${url}.`;
  try {
    await options.waitForFunction(
      (text) => document.querySelector('[data-companion="paired"]')?.textContent?.trim() === text,
      { timeout: 15_000 },
      expected,
    );
  } catch (error) {
    const shown = await options
      .$eval('[data-companion-settings]', (el) => el.textContent ?? '')
      .catch(() => 'no companion settings');
    throw new Error(`Options did not say "${expected}" (it shows: ${shown})`, { cause: error });
  }
  const said = await options.$eval('[data-companion="paired"]', (el) => (el.textContent ?? '').trim());
  await options.close();
  return said;
}

/** Options > Companion > Test connection (with the saved pairing); resolves with the verdict and what it lists. */
export async function testCompanionConnection(firefox: Firefox): Promise<{ ok: boolean; text: string }> {
  const options = await openExtensionPage(firefox, 'options.html');
  await options.waitForSelector('[data-companion="test"]');
  await options.click('[data-companion="test"]');
  const result = await options.waitForSelector('[data-companion-test]', { timeout: 15_000 });
  const verdict = {
    ok: (await result!.evaluate((el) => el.getAttribute('data-companion-test'))) === 'ok',
    text: await result!.evaluate((el) => (el.textContent ?? '').trim()),
  };
  await options.close();
  return verdict;
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
export async function startSignIn(
  firefox: Firefox,
  popup: Page,
  address: string,
  button = '[data-signin="start"]',
  providerHost = 'login.microsoftonline.com',
): Promise<Page> {
  const start = `${panelSelector(address)} ${button}`;
  await popup.waitForSelector(start);
  const opened = firefox.waitForTarget((t: Target) => t.url().startsWith(`https://${providerHost}/`));
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
export async function heldTokens(
  popup: Page,
): Promise<Record<string, { accessToken: string; refreshToken?: string; account: string; signedInAs: string }>> {
  return popup.evaluate(
    async () =>
      ((await (globalThis as PageGlobal).browser.storage.session.get('signinTokens')).signinTokens ?? {}) as never,
  );
}

export async function localStorageDump(popup: Page): Promise<string> {
  return popup.evaluate(async () => JSON.stringify(await (globalThis as PageGlobal).browser.storage.local.get(null)));
}

export async function sessionStorageDump(popup: Page): Promise<string> {
  return popup.evaluate(async () => JSON.stringify(await (globalThis as PageGlobal).browser.storage.session.get(null)));
}

export async function redirectUrlOfExtension(popup: Page): Promise<string> {
  return popup.evaluate(() => (globalThis as PageGlobal).browser.identity.getRedirectURL());
}
