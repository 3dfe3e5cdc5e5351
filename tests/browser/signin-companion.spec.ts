/// <reference types="chrome" />
/**
 * Confidential-client sign-in, end to end with real parts: the worker runs the authorize step (PKCE, state,
 * nonce, forced picker) in Debian Chromium, stops at the checked code and hands it to the companion (a
 * child process holding the client secret in clients.json), which redeems it at the test provider's token
 * endpoint under Google's and Microsoft's real host names, applies the wrong-account guard and stores the
 * tokens. The provider's confidential client refuses a redemption without its secret, as Google's Web
 * application clients do, so the extension-side redemption of the same client is shown to fail.
 */
import { test, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { READY_HEADLINE } from '../../lib/verification';
import { listMailboxes, type ChildCompanion } from '../companion/companion-support';
import { ACCOUNTS, CLIENTS, type MailStack } from '../stack';
import { startRealParts, type RealParts } from '../support/assist-e2e';
import { openPopup } from '../support/extension';
import { openOptions, pairCompanion, saveClientIds } from '../support/options-page';
import {
  configureClients,
  expectWrongAccount,
  GENERIC_PROVIDER,
  heldTokens,
  openHelpdesk,
  panel,
  pickAccount,
  startSignIn,
} from './signin-support';

test.describe.configure({ mode: 'serial' });

let parts: RealParts;
let stack: MailStack;
let companion: ChildCompanion;
let context: BrowserContext;
let worker: Worker;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  parts = await startRealParts({ confidentialClients: [CLIENTS.confidential] });
  ({ stack, companion, context, worker } = parts);
  await openHelpdesk(context, parts.fixtures);
});

test.afterAll(async () => {
  await parts?.stop();
});

test.beforeEach(() => stack.idp.clearAuthorizeRequests());

function verifyPanel(popup: Page, address: string) {
  return popup.locator(`section.tab [data-verify-mailbox="${address}"]`);
}

test('Google goes through the companion by default; not paired: said before any sign-in window opens', async () => {
  const options = await openOptions(context);
  await saveClientIds(options, { google: CLIENTS.confidential.clientId });
  await expect(options.locator('select[name="googleRedeemVia"]')).toHaveValue('companion');
  await expect(options.locator('[data-redeem-help="google"]')).toContainText("companion's clients.json");
  await options.close();

  const popup = await openPopup(context);
  const box = panel(popup, ACCOUNTS.gmail.email);
  await box.locator('[data-signin="start"]').click();
  await expect(box.locator('[data-error="companion-unavailable"]')).toContainText(
    'The companion is needed for this sign-in',
  );
  await expect(box.locator('[data-error-detail]')).toContainText('Options > Companion');
  expect(stack.idp.authorizeRequests()).toEqual([]);
  expect(context.pages().some((p) => p.url().includes('accounts.google.com'))).toBe(false);
  await popup.close();

  const settings = await openOptions(context);
  await pairCompanion(settings, companion.url, companion.secret!);
  await settings.close();
});

test(
  'Google, wrong account: the companion redeems, refuses ' + 'it, and the popup names both accounts; nothing stored',
  async () => {
    const popup = await openPopup(context);
    const picker = await startSignIn(context, popup, ACCOUNTS.gmail.email);
    await pickAccount(picker, ACCOUNTS.gmailWrong.email);
    await expectWrongAccount(popup, ACCOUNTS.gmail.email, ACCOUNTS.gmailWrong.email);
    expect(await listMailboxes(companion)).toEqual([]);
    expect(await heldTokens(worker)).toEqual({});
    await popup.close();
  },
);

test(
  'Google: the popup closes mid-flow, the companion redeems with the secret, Verify reaches the verdict; no token ' +
    'in the browser',
  async () => {
    test.setTimeout(120_000);
    const address = ACCOUNTS.gmail.email;
    const first = await openPopup(context);
    const picker = await startSignIn(context, first, address);
    await first.close();
    await pickAccount(picker, address);

    const popup = await openPopup(context);
    const box = panel(popup, address);
    await expect(box).toHaveAttribute('data-signin-step', 'done');
    await expect(box.locator('[data-signin-result="done"]')).toContainText('The companion redeemed the sign-in');

    const [stored] = await listMailboxes(companion);
    expect(stored).toMatchObject({
      address,
      account: address,
      provider: 'google',
      clientKind: 'confidential',
      hasRefreshToken: true,
    });
    expect(await heldTokens(worker)).toEqual({});

    const [request] = stack.idp.authorizeRequests();
    expect(request).toMatchObject({ provider: 'google', host: 'accounts.google.com' });
    expect(request!.query.client_id).toBe(CLIENTS.confidential.clientId);
    expect(request!.query.prompt!.split(' ')).toContain('select_account');
    expect(request!.query.login_hint).toBe(address);
    expect(request!.query.code_challenge_method).toBe('S256');
    expect(request!.query.nonce).toBeTruthy();

    const verify = verifyPanel(popup, address);
    await expect(verify).toHaveAttribute('data-handoff-status', 'handed-over');
    await verify.locator('[data-verify="start"]').click();
    await expect(verify.locator('[data-verdict="ready"]')).toHaveText(READY_HEADLINE, { timeout: 60_000 });
    await expect(verify.locator('[data-step-id="imap-auth"]')).toHaveAttribute('data-step-status', 'ok');
    await expect(verify.locator('[data-step-id="smtp-auth"]')).toHaveAttribute('data-step-status', 'ok');
    await popup.close();
  },
);

test('a client the companion holds no secret for: the companion says what to add, nothing stored', async () => {
  await configureClients(worker, { google: { clientId: CLIENTS.public.clientId, redeemVia: 'companion' } });
  // What a handoff writes, not what the monitor updates meanwhile (a check of the mailbox stored before).
  const handedOver = async () =>
    (await listMailboxes(companion)).map(
      ({ lastCheckedAt, lastVerdict, nextRunAt, status, attempt, outageSince, outageReportAt, ...held }) => held,
    );
  const before = await handedOver();
  const popup = await openPopup(context);
  const picker = await startSignIn(context, popup, ACCOUNTS.gmail.email);
  await pickAccount(picker, ACCOUNTS.gmail.email);
  const box = panel(popup, ACCOUNTS.gmail.email);
  await expect(box.locator('[data-error="companion-refused"]')).toContainText(
    'The companion could not redeem the sign-in',
  );
  await expect(box.locator('[data-error-detail]')).toContainText('clients.json');
  expect(await handedOver()).toEqual(before);
  await popup.close();
});

test(
  "a generic provider redeemed by the companion needs the mailbox's servers first: said before any window " + 'opens',
  async () => {
    await configureClients(worker, {
      generic: [{ ...GENERIC_PROVIDER, clientId: CLIENTS.confidential.clientId, redeemVia: 'companion' }],
    });
    const popup = await openPopup(context);
    const box = panel(popup, ACCOUNTS.generic.email);
    await box.locator('[data-signin="start"]').click();
    await expect(box.locator('[data-error="companion-refused"] [data-error-detail]')).toContainText(
      `Enter the IMAP and SMTP servers of ${ACCOUNTS.generic.email}`,
    );
    expect(stack.idp.authorizeRequests()).toEqual([]);
    await popup.close();
  },
);

test(
  'a client with a secret, redeemed by the extension: the ' + 'provider refuses, the popup points to the companion',
  async () => {
    await configureClients(worker, { google: { clientId: CLIENTS.confidential.clientId, redeemVia: 'extension' } });
    const popup = await openPopup(context);
    const picker = await startSignIn(context, popup, ACCOUNTS.gmail.email);
    await pickAccount(picker, ACCOUNTS.gmail.email);
    const error = panel(popup, ACCOUNTS.gmail.email).locator('[data-error="invalid-client"]');
    await expect(error).toContainText('must be redeemed by the companion');
    await expect(error).toContainText('invalid_client');
    expect(await heldTokens(worker)).toEqual({});
    await popup.close();
  },
);

test(
  "Microsoft Web platform through the companion: a shared mailbox's delegate is confirmed, signs in again, and is " +
    'stored as the delegate',
  async () => {
    await configureClients(worker, { microsoft: { clientId: CLIENTS.confidential.clientId, redeemVia: 'companion' } });
    const address = ACCOUNTS.shared.email;
    const popup = await openPopup(context);
    const picker = await startSignIn(context, popup, address);
    await pickAccount(picker, ACCOUNTS.delegate.email);
    const box = await expectWrongAccount(popup, address, ACCOUNTS.delegate.email);
    expect((await listMailboxes(companion)).some((m) => m.address === address)).toBe(false);

    const [request] = stack.idp.authorizeRequests();
    expect(request).toMatchObject({ provider: 'microsoft', host: 'login.microsoftonline.com' });
    expect(request!.query.prompt).toBe('select_account');
    expect(request!.query.login_hint).toBeUndefined();
    expect(request!.query.code_challenge_method).toBe('S256');

    await box.getByText('This is a shared mailbox and I am its delegate').click();
    await box.locator('[data-signin="delegate-check"]').check();
    const again = context.waitForEvent('page', { predicate: (p) => !p.url().startsWith('chrome-extension://') });
    await box.locator('[data-signin="confirm-delegate"]').click();
    await pickAccount(await again, ACCOUNTS.delegate.email);
    await expect(box).toHaveAttribute('data-signin-step', 'done');
    await expect(box.locator('[data-signin-result="done"]')).toContainText(`(delegate of ${address})`);

    expect((await listMailboxes(companion)).find((m) => m.address === address)).toMatchObject({
      account: ACCOUNTS.delegate.email,
      clientKind: 'confidential',
    });
    expect(stack.idp.authorizeRequests()).toHaveLength(2);
    const recorded = await worker.evaluate(
      async () => (await chrome.storage.local.get('sharedMailboxDelegates')).sharedMailboxDelegates,
    );
    expect(recorded).toEqual({ [address]: [ACCOUNTS.delegate.email] });
    expect(await heldTokens(worker)).toEqual({});
    await popup.close();
  },
);
