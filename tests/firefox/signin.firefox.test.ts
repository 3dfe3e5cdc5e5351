/**
 * Microsoft sign-in in Firefox ESR with the built Firefox extension: MSAL runs in the background event page
 * (no offscreen API there), browser.identity.launchWebAuthFlow opens the provider's picker in its own window,
 * and the real test identity provider answers under login.microsoftonline.com. The Chromium twin of these
 * tests is tests/browser/signin.spec.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Firefox, Page } from 'puppeteer-core';
import { ACCOUNTS, CLIENTS } from '../stack';
import {
  heldTokens,
  launchFirefoxWithExtension,
  localStorageDump,
  openHelpdeskAndPopup,
  panelSelector,
  panelText,
  pickAccount,
  redirectUrlOfExtension,
  saveMicrosoftClientId,
  startServers,
  startSignIn,
  waitForStep,
  type Servers,
} from './signin-support';

const MAILBOX = ACCOUNTS.support.email;
const panel = panelSelector(MAILBOX);

describe('Firefox: Microsoft sign-in from the popup', () => {
  let servers: Servers;
  let firefox: Firefox;
  let popup: Page;
  let registeredRedirect: string;

  beforeAll(async () => {
    servers = await startServers();
  });
  afterAll(async () => {
    await servers?.stop();
  });

  beforeEach(async () => {
    servers.idp.clearAuthorizeRequests();
    servers.idp.setAuthorizeError(null);
    firefox = await launchFirefoxWithExtension(servers.proxy.port);
    registeredRedirect = await saveMicrosoftClientId(firefox, CLIENTS.public.clientId);
    popup = await openHelpdeskAndPopup(firefox);
  });
  afterEach(async () => {
    await firefox?.close();
  });

  it('right account: signed in, tokens held by the background only, the picker was forced', async () => {
    const picker = await startSignIn(firefox, popup, MAILBOX);
    await pickAccount(picker, MAILBOX);

    await waitForStep(popup, MAILBOX, 'done');
    expect(await panelText(popup, `${panel} [data-signin-result="done"]`)).toContain(`Signed in as ${MAILBOX}`);
    expect(await popup.$$eval(`${panel} [data-progress][data-status="done"]`, (els) => els.length)).toBe(4);

    const held = (await heldTokens(popup))[MAILBOX];
    expect(held?.account).toBe(MAILBOX);
    expect(held?.signedInAs).toBe('mailbox');
    expect((await servers.idp.introspect(held!.accessToken)).active).toBe(true);
    expect(held!.refreshToken).toBeTruthy();
    const local = await localStorageDump(popup);
    expect(local).not.toContain(held!.accessToken);
    expect(local).not.toContain(held!.refreshToken!);

    // Firefox's redirect URL, shown in Options for the admin to register, is the one the provider got.
    const redirect = await redirectUrlOfExtension(popup);
    expect(redirect).toMatch(/^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/);
    expect(registeredRedirect).toBe(redirect);

    // Firefox's launchWebAuthFlow requests the authorize URL twice: once in the background (an XHR that
    // resolves at once if the provider redirects without UI), then in the window. Both carry the forced picker.
    const requests = servers.idp.authorizeRequests().filter((r) => r.provider === 'microsoft');
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(requests.map((r) => r.query.state)).size).toBe(1);
    for (const request of requests) {
      expect(request.host).toBe('login.microsoftonline.com');
      expect(request.tenant).toBe('organizations');
      expect(request.query.prompt).toBe('select_account');
      expect(request.query.code_challenge_method).toBe('S256');
      expect(request.query.nonce).toBeTruthy();
      expect(request.query.client_id).toBe(CLIENTS.public.clientId);
      expect(request.query.redirect_uri).toBe(redirect);
    }
  });

  it('wrong account: the guard fires, says who signed in and who was expected, nothing is held', async () => {
    const picker = await startSignIn(firefox, popup, MAILBOX);
    await pickAccount(picker, ACCOUNTS.wrongUser.email);

    await waitForStep(popup, MAILBOX, 'wrong-account');
    expect(await panelText(popup, `${panel} [data-account="signed-in"]`)).toBe(ACCOUNTS.wrongUser.email);
    expect(await panelText(popup, `${panel} [data-account="expected"]`)).toBe(MAILBOX);
    expect(await panelText(popup, panel)).toContain('Nothing was handed on.');
    expect(await popup.$(`${panel} [data-signin="retry-picker"]`)).not.toBeNull();
    expect(await heldTokens(popup)).toEqual({});
    for (const request of servers.idp.authorizeRequests()) expect(request.query.prompt).toBe('select_account');
  });

  it(
    'a second sign-in after a wrong one still shows the ' + 'picker (the background pre-check gets no silent code)',
    async () => {
      const first = await startSignIn(firefox, popup, MAILBOX);
      await pickAccount(first, ACCOUNTS.wrongUser.email);
      await waitForStep(popup, MAILBOX, 'wrong-account');

      // The provider now has a session for wrong.user, and Firefox's pre-check request carries its cookies:
      // without the forced prompt it would come back with wrong.user's code and no window at all.
      const second = startSignIn(firefox, popup, MAILBOX, '[data-signin="retry-picker"]');
      await pickAccount(await second, MAILBOX);
      await waitForStep(popup, MAILBOX, 'done');
      expect(Object.keys(await heldTokens(popup))).toEqual([MAILBOX]);

      const flows = new Set(servers.idp.authorizeRequests().map((r) => r.query.state));
      expect(flows.size).toBe(2);
      for (const request of servers.idp.authorizeRequests()) expect(request.query.prompt).toBe('select_account');
    },
  );

  it('cancel: closing the sign-in window says so and offers to try again', async () => {
    const picker = await startSignIn(firefox, popup, MAILBOX);
    await picker.close();

    await waitForStep(popup, MAILBOX, 'error');
    expect(await panelText(popup, `${panel} [data-error="user-cancelled"]`)).toContain('Sign-in was cancelled');
    expect(await popup.$(`${panel} [data-signin="retry"]`)).not.toBeNull();
    expect(await heldTokens(popup)).toEqual({});
  });
});
