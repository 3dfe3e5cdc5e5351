/**
 * The account picker on the helpdesk's OWN sign-in, measured in Firefox ESR with the built Firefox extension:
 * does Firefox's declarativeNetRequest rewrite the helpdesk's authorize request (session rules scoped by tab,
 * a regexFilter, a queryTransform redirect) for a same-tab redirect chain and for a popup window? The same
 * helpdesk replica as tests/browser/helpdesk-flow-picker.spec.ts (its own authorization-code flow), with the
 * browser already signed in to the provider as another account. What was measured: docs/firefox-testing.md.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Firefox, Page } from 'puppeteer-core';
import { ACCOUNTS, startIdentityProvider, type IdentityProvider } from '../stack';
import { startHelpdeskReplica, type HelpdeskReplica } from '../support/helpdesk-oauth-replica';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';
import { launchFirefoxWithExtension, openExtensionPage } from './firefox';
import { pickAccount } from './signin-support';

const MAILBOX = ACCOUNTS.support.email;

describe('Firefox: the account picker on the helpdesk\'s own sign-in', () => {
  let idp: IdentityProvider;
  let replica: HelpdeskReplica;
  let proxy: ConnectProxy;
  let firefox: Firefox;

  beforeAll(async () => {
    idp = await startIdentityProvider();
  });
  afterAll(async () => {
    await idp?.stop();
  });
  beforeEach(async () => {
    replica = await startHelpdeskReplica(idp, [{ address: MAILBOX, provider: 'microsoft' }]);
    const routes: Record<string, number> = { '*.freshdesk.com': replica.port };
    for (const host of idp.hosts) routes[host] = idp.port;
    proxy = await startConnectProxy(routes);
    // Optional permissions are granted without the doorhanger (which headless Firefox cannot show).
    firefox = await launchFirefoxWithExtension(proxy.port, { 'extensions.webextOptionalPermissionPrompts': false });
  });
  afterEach(async () => {
    await firefox?.close();
    await proxy?.close();
    await replica?.close();
  });

  async function providerSession(account: string): Promise<void> {
    const page = await firefox.newPage();
    await page.goto(replica.url('/provider-session?provider=microsoft'));
    await pickAccount(page, account);
    await page.waitForSelector('[data-helpdesk="provider-session"]');
    await page.close();
  }

  async function emailSettings(): Promise<Page> {
    const page = await firefox.newPage();
    await page.goto(replica.url('/a/admin/email'));
    await page.waitForSelector('[data-reauth-state="needs-reauth"]');
    return page;
  }

  async function allowInPopup(): Promise<void> {
    const popup = await openExtensionPage(firefox, 'popup.html');
    await popup.waitForSelector('[data-helpdesk-picker="allow"]');
    await popup.click('[data-helpdesk-picker="allow"]');
    await popup.waitForFunction(() => !document.querySelector('[data-helpdesk-picker="ask"]'));
    await popup.close();
  }

  const helpdeskRequests = () => idp.authorizeRequests().filter((r) => r.query.client_id === 'helpdesk-replica-client');

  it('the trap without the permission: a silent code for the wrong account; the mark then offers the guide', async () => {
    await providerSession(ACCOUNTS.wrongUser.email);
    idp.clearAuthorizeRequests();
    const page = await emailSettings();
    await page.click('a.reauth-link');
    await expect.poll(() => replica.signins.length, { timeout: 20_000 }).toBe(1);
    expect(replica.signins[0]).toMatchObject({ mailbox: MAILBOX, account: ACCOUNTS.wrongUser.email });
    expect(helpdeskRequests()[0]!.query.prompt).toBeUndefined();
    const notice = () =>
      [...document.querySelectorAll('reauth-assist-mark')].some((m) => m.shadowRoot?.querySelector('[data-reauth-notice="still-needs-reauth"]'));
    try {
      await page.waitForFunction(notice, { timeout: 20_000 });
    } catch (error) {
      const popup = await openExtensionPage(firefox, 'popup.html');
      const intents = await popup.evaluate(async () =>
        JSON.stringify(await (globalThis as unknown as { browser: { storage: { session: { get(k: string): Promise<unknown> } } } }).browser.storage.session.get('helpdeskPickerIntents')),
      );
      throw new Error(`no notice; intents: ${intents}; marks: ${await page.evaluate(() => document.querySelectorAll('reauth-assist-mark').length)}`, { cause: error });
    }
  });

  it('with the permission, same tab through the helpdesk backend: the picker shows and the helpdesk gets the row\'s account', async () => {
    await providerSession(ACCOUNTS.wrongUser.email);
    idp.clearAuthorizeRequests();
    const page = await emailSettings();
    await allowInPopup();
    await page.bringToFront();
    await page.click('a.reauth-link');
    await page.waitForSelector('[data-testid="account-picker"]', { timeout: 20_000 });
    expect(helpdeskRequests()[0]!.query.prompt).toContain('select_account');
    await pickAccount(page, MAILBOX);
    await expect.poll(() => replica.signins.length, { timeout: 20_000 }).toBe(1);
    expect(replica.signins[0]).toMatchObject({ mailbox: MAILBOX, account: MAILBOX, popup: false });
  });

  it('with the permission, in a popup window: the picker shows there too', async () => {
    await providerSession(ACCOUNTS.wrongUser.email);
    idp.clearAuthorizeRequests();
    const page = await emailSettings();
    await allowInPopup();
    await page.bringToFront();
    await page.click('button.icon-btn');
    const opened = firefox.waitForTarget((t) => t.url().includes('login.microsoftonline.com'), { timeout: 20_000 });
    await page.click('button.oauth-signin');
    const signin = (await (await opened).page())!;
    await signin.waitForSelector('[data-testid="account-picker"]', { timeout: 20_000 });
    expect(helpdeskRequests()[0]!.query.prompt).toContain('select_account');
    await pickAccount(signin, MAILBOX);
    await expect.poll(() => replica.signins.length, { timeout: 20_000 }).toBe(1);
    expect(replica.signins[0]).toMatchObject({ account: MAILBOX, popup: true });
  });
});
