/**
 * Confidential-client sign-in from Firefox ESR, with real parts: the background page runs Google's authorize
 * step (launchWebAuthFlow), checks state and hands the code to the companion, a child process holding the
 * client secret in clients.json, which redeems it at the test provider under oauth2.googleapis.com, checks
 * the account and stores the mailbox; Verify then reaches Dovecot and the SMTP server through the companion.
 * Paired through Options in Firefox; the companion is started with --allow-origin for the pinned
 * moz-extension:// origin (Firefox sends it on the background's POSTs: docs/firefox-testing.md).
 * The Chromium twin is tests/browser/signin-companion.spec.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Firefox, Page } from 'puppeteer-core';
import { READY_HEADLINE } from '../../lib/verification';
import { listMailboxes, type ChildCompanion } from '../companion/companion-support';
import { ACCOUNTS, CLIENTS, type MailStack } from '../stack';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { startRoutedCompanion, startStackWithCompanion, type StackWithCompanion } from '../support/stack-routing';
import type { ConnectProxy } from './connect-proxy';
import { EXTENSION_ORIGIN } from './firefox';
import {
  heldTokens,
  launchFirefoxWithExtension,
  localStorageDump,
  openHelpdeskAndPopup,
  pairCompanion,
  panelSelector,
  panelText,
  pickAccount,
  saveClientIds,
  sessionStorageDump,
  startHelpdeskProxy,
  startSignIn,
  testCompanionConnection,
  waitForStep,
} from './signin-support';

const MAILBOX = ACCOUNTS.gmail.email;
const panel = panelSelector(MAILBOX);
const GOOGLE_HOST = 'accounts.google.com';

describe('Firefox: Google sign-in redeemed by the companion (confidential client)', () => {
  let parts: StackWithCompanion;
  let stack: MailStack;
  let companion: ChildCompanion;
  let fixtures: FixtureServer;
  let proxy: ConnectProxy;
  let firefox: Firefox;
  let popup: Page;

  beforeAll(async () => {
    parts = await startStackWithCompanion({
      confidentialClients: [CLIENTS.confidential],
      companionArgs: ['--check-interval', '3600', '--allow-origin', EXTENSION_ORIGIN],
    });
    ({ stack, companion } = parts);
    if (!companion.secret) throw new Error(`The companion printed no pairing secret:\n${companion.output()}`);
    fixtures = await startFixtureServer();
    proxy = await startHelpdeskProxy(stack.idp, fixtures);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await fixtures?.close();
    await parts?.stop();
  });

  beforeEach(async () => {
    stack.idp.clearAuthorizeRequests();
    firefox = await launchFirefoxWithExtension(proxy.port);
    // Google's Client ID only: who redeems it stays at the default, the companion.
    await saveClientIds(firefox, { google: CLIENTS.confidential.clientId });
    expect(await pairCompanion(firefox, companion.url, companion.secret!)).toBe(`Paired with ${companion.url}.`);
    popup = await openHelpdeskAndPopup(firefox);
  });
  afterEach(async () => {
    await firefox?.close();
  });

  it('right account: the companion redeems and stores it, no token in the browser, Verify reaches the ' +
    'verdict', async () => {
    const picker = await startSignIn(firefox, popup, MAILBOX, undefined, GOOGLE_HOST);
    await pickAccount(picker, MAILBOX);

    await waitForStep(popup, MAILBOX, 'done');
    expect(await panelText(popup, `${panel} [data-signin-result="done"]`)).toContain(
      'The companion redeemed the sign-in',
    );

    const stored = (await listMailboxes(companion)).find((m) => m.address === MAILBOX);
    expect(stored).toMatchObject({
      address: MAILBOX,
      account: MAILBOX,
      provider: 'google',
      clientKind: 'confidential',
      hasRefreshToken: true,
    });
    expect(await heldTokens(popup)).toEqual({});
    for (const dump of [await sessionStorageDump(popup), await localStorageDump(popup)]) {
      expect(dump).not.toMatch(/"(accessToken|refreshToken|idToken|code|codeVerifier)":/);
    }

    const requests = stack.idp.authorizeRequests().filter((r) => r.provider === 'google');
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(requests.map((r) => r.query.state)).size).toBe(1);
    for (const request of requests) {
      expect(request.host).toBe(GOOGLE_HOST);
      expect(request.query.client_id).toBe(CLIENTS.confidential.clientId);
      expect(request.query.prompt!.split(' ')).toContain('select_account');
      expect(request.query.login_hint).toBe(MAILBOX);
      expect(request.query.code_challenge_method).toBe('S256');
      expect(request.query.nonce).toBeTruthy();
    }

    const verify = `section.tab [data-verify-mailbox="${MAILBOX}"]`;
    await popup.waitForSelector(`${verify}[data-handoff-status="handed-over"]`, { timeout: 15_000 });
    await popup.click(`${verify} [data-verify="start"]`);
    try {
      await popup.waitForSelector(`${verify} [data-verdict="ready"]`, { timeout: 60_000 });
    } catch (error) {
      const shown = await popup
        .$eval(verify, (el) => `${el.getAttribute('data-run-status')}: ${el.textContent}`)
        .catch(() => 'no verify panel');
      throw new Error(`Verify of ${MAILBOX} did not reach the ready verdict (now ${shown})`, { cause: error });
    }
    expect(await panelText(popup, `${verify} [data-verdict="ready"]`)).toBe(READY_HEADLINE);
    for (const step of ['imap-auth', 'smtp-auth']) {
      expect(await popup.$eval(`${verify} [data-step-id="${step}"]`, (el) => el.getAttribute('data-step-status'))).toBe(
        'ok',
      );
    }
  }, 150_000);

  it('wrong account: the companion refuses it, the popup names the account, the companion stores nothing', async () => {
    const before = await listMailboxes(companion);
    const picker = await startSignIn(firefox, popup, MAILBOX, undefined, GOOGLE_HOST);
    await pickAccount(picker, ACCOUNTS.gmailWrong.email);

    await waitForStep(popup, MAILBOX, 'wrong-account');
    expect(await panelText(popup, `${panel} [data-account="signed-in"]`)).toBe(ACCOUNTS.gmailWrong.email);
    expect(await panelText(popup, `${panel} [data-account="expected"]`)).toBe(MAILBOX);
    expect(await panelText(popup, panel)).toContain('Nothing was handed on.');

    const after = await listMailboxes(companion);
    expect(after).toEqual(before);
    expect(after.some((m) => m.account === ACCOUNTS.gmailWrong.email)).toBe(false);
    expect(await heldTokens(popup)).toEqual({});
    // The companion did redeem the code (the account is only known from its id token): the provider saw one flow.
    expect(new Set(stack.idp.authorizeRequests().map((r) => r.query.state)).size).toBe(1);
  }, 120_000);

  it('a companion not started with --allow-origin for this Firefox: Test connection and the sign-in say so before ' +
    'any window opens', async () => {
    const chromeOnly = await startRoutedCompanion(stack, { confidentialClients: [CLIENTS.confidential] });
    try {
      // Pairing passes: its requests are GETs, which Firefox sends without an Origin.
      expect(await pairCompanion(firefox, chromeOnly.url, chromeOnly.secret!)).toBe(`Paired with ${chromeOnly.url}.`);
      const test = await testCompanionConnection(firefox);
      expect(test.ok).toBe(false);
      expect(test.text).toContain(`Requests from ${EXTENSION_ORIGIN} are not allowed`);
      expect(test.text).toContain('--allow-origin');

      await popup.click(`${panel} [data-signin="start"]`);
      await waitForStep(popup, MAILBOX, 'error');
      expect(await panelText(popup, `${panel} [data-error="companion-unavailable"]`)).toContain(
        `Requests from ${EXTENSION_ORIGIN} are not allowed`,
      );
      expect(stack.idp.authorizeRequests()).toEqual([]);
      expect(await heldTokens(popup)).toEqual({});
    } finally {
      await chromeOnly.kill();
    }
  }, 120_000);
});
