/// <reference types="chrome" />
/**
 * Sign-in from the popup, in Debian Chromium with the built extension, against the real test identity
 * provider: Microsoft through MSAL in the offscreen document, Google and a generic provider through the
 * worker's own PKCE flow, all via chrome.identity.launchWebAuthFlow and the provider's account picker.
 */
import { ACCOUNTS, CLIENTS } from '../stack';
import { openPopup } from '../support/extension';
import { expect, expectWrongAccount, heldTokens, panel, pickAccount, startSignIn, test } from './signin-support';

test('Microsoft, right account: tokens are held by the background only, never in storage.local or the page', async ({
  context,
  worker,
  popup,
  idp,
}) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await expect(picker.locator(`button[data-account="${ACCOUNTS.support.email}"]`)).toBeVisible();
  await pickAccount(picker, ACCOUNTS.support.email);

  const box = panel(popup, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'done');
  await expect(box.locator('[data-signin-result="done"]')).toContainText(`Signed in as ${ACCOUNTS.support.email}`);
  await expect(box.locator('[data-progress]')).toHaveCount(4);

  const held = (await heldTokens(worker))[ACCOUNTS.support.email];
  expect(held?.account).toBe(ACCOUNTS.support.email);
  expect(held?.signedInAs).toBe('mailbox');
  // a real token for the right user, as the mail servers will see it
  const seen = await idp.introspect(held!.accessToken);
  expect(seen.active).toBe(true);
  expect(seen.username ?? seen.sub).toBeTruthy();
  expect(held!.refreshToken).toBeTruthy();

  // never in storage.local, never in what the popup receives, never in the helpdesk page
  const local = await worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
  expect(local).not.toContain(held!.accessToken);
  expect(local).not.toContain(held!.refreshToken!);
  // What the popup receives: the state the worker pushes over the sign-in port.
  const status = await popup.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const port = chrome.runtime.connect({ name: 'signin-state' });
        port.onMessage.addListener((pushed) => {
          port.disconnect();
          resolve(JSON.stringify(pushed));
        });
      }),
  );
  expect(status).toContain(ACCOUNTS.support.email);
  expect(status).not.toContain(held!.accessToken);
  expect(status).not.toContain(held!.refreshToken!);
  const helpdesk = context.pages().find((p) => p.url().includes('acme.freshdesk.com'))!;
  const pageSees = await helpdesk.evaluate(() => ({
    runtime: typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage,
    dom: document.documentElement.outerHTML,
    storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
  }));
  expect(pageSees.runtime).toBe('undefined');
  // the content scripts' world (the extension's isolated world in the helpdesk tab) cannot read the vault
  const contentScriptSees = await worker.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url: `${new URL(url).origin}/*` });
    const [result] = await chrome.scripting.executeScript({
      target: { tabId: tab!.id! },
      world: 'ISOLATED',
      func: async () => {
        try {
          return JSON.stringify(await chrome.storage.session.get(null));
        } catch (error) {
          return `refused: ${(error as Error).message}`;
        }
      },
    });
    return result?.result as string;
  }, helpdesk.url());
  expect(contentScriptSees).toMatch(/^refused: .*(access|context)/i);
  expect(contentScriptSees).not.toContain(held!.accessToken);
  expect(pageSees.dom).not.toContain(held!.accessToken);
  expect(pageSees.storage).not.toContain(held!.accessToken);

  // the authorize request: forced picker, PKCE S256; MSAL leaves out login_hint with select_account
  const requests = idp.authorizeRequests().filter((r) => r.provider === 'microsoft');
  expect(requests).toHaveLength(1);
  expect(requests[0]!.query.prompt).toBe('select_account');
  expect(requests[0]!.query.code_challenge_method).toBe('S256');
  expect(requests[0]!.query.nonce).toBeTruthy();
  expect(requests[0]!.query.client_id).toBe(CLIENTS.public.clientId);
  expect(requests[0]!.tenant).toBe('organizations');
  expect(requests[0]!.query.login_hint).toBeUndefined();
});

test(
  'Microsoft, wrong account: the guard fires, says who ' + 'signed in and who was expected, nothing is handed on',
  async ({ context, worker, popup }) => {
    const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
    await pickAccount(picker, ACCOUNTS.wrongUser.email);

    const box = await expectWrongAccount(popup, ACCOUNTS.support.email, ACCOUNTS.wrongUser.email);
    await expect(box.locator('[data-signin="retry-picker"]')).toBeVisible();
    await expect(box.locator('[data-signin="incognito-guide"]')).toBeVisible();
    expect(await heldTokens(worker)).toEqual({});
  },
);

test('a second sign-in after a first one still shows the picker, and the right account then passes', async ({
  context,
  worker,
  popup,
  idp,
}) => {
  const first = await startSignIn(context, popup, ACCOUNTS.support.email);
  await pickAccount(first, ACCOUNTS.wrongUser.email);
  const box = panel(popup, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'wrong-account');

  // "Try again with the account picker": the provider has a session for wrong.user now, and still asks
  const again = context.waitForEvent('page', { predicate: (p) => !p.url().startsWith('chrome-extension://') });
  await box.locator('[data-signin="retry-picker"]').click();
  const second = await again;
  await expect(second.locator(`button[data-account="${ACCOUNTS.support.email}"]`)).toBeVisible();
  await pickAccount(second, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'done');
  expect(Object.keys(await heldTokens(worker))).toEqual([ACCOUNTS.support.email]);

  const requests = idp.authorizeRequests().filter((r) => r.provider === 'microsoft');
  expect(requests).toHaveLength(2);
  for (const request of requests) expect(request.query.prompt).toBe('select_account');
});

test('the popup closed right after Sign in: the worker finishes the flow and the reopened popup shows done', async ({
  context,
  worker,
  popup,
}) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await popup.close();
  await pickAccount(picker, ACCOUNTS.support.email);
  await expect.poll(async () => Object.keys(await heldTokens(worker))).toEqual([ACCOUNTS.support.email]);

  const reopened = await openPopup(context);
  const box = panel(reopened, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'done');
  await expect(box.locator('[data-signin-result="done"]')).toContainText(`Signed in as ${ACCOUNTS.support.email}`);
});

test('cancel: closing the sign-in window gives a clear message and a way to try again', async ({
  context,
  worker,
  popup,
}) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await picker.close();
  const box = panel(popup, ACCOUNTS.support.email);
  await expect(box).toHaveAttribute('data-signin-step', 'error');
  await expect(box.locator('[data-error="user-cancelled"]')).toContainText('Sign-in was cancelled');
  await expect(box.locator('[data-error="user-cancelled"]')).toContainText(
    'The sign-in window was closed before the sign-in finished.',
  );
  await expect(box.locator('[data-signin="retry"]')).toBeVisible();
  expect(await heldTokens(worker)).toEqual({});
});

test('admin consent required: the message names the cause and gives the admin-consent URL', async ({
  context,
  popup,
  idp,
  worker,
}) => {
  idp.setAuthorizeError('admin_consent_required');
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await pickAccount(picker, ACCOUNTS.support.email);
  const box = panel(popup, ACCOUNTS.support.email);
  const error = box.locator('[data-error="admin-consent-required"]');
  await expect(error).toContainText('An administrator must approve the app first');
  await expect(error).toContainText('AADSTS90094');
  const link = error.locator('[data-admin-consent]');
  const href = new URL((await link.getAttribute('href'))!);
  expect(href.origin + href.pathname).toBe('https://login.microsoftonline.com/organizations/adminconsent');
  expect(href.searchParams.get('client_id')).toBe(CLIENTS.public.clientId);
  expect(href.searchParams.get('redirect_uri')).toBe('https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/');
  expect(await heldTokens(worker)).toEqual({});
});

test('consent required (AADSTS65001) is told apart from other errors by its code', async ({ context, popup, idp }) => {
  idp.setAuthorizeError('consent_required');
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await pickAccount(picker, ACCOUNTS.support.email);
  const error = panel(popup, ACCOUNTS.support.email).locator('[data-error="consent-required"]');
  await expect(error).toContainText('Permission to read and send mail was not granted');
  await expect(error.locator('[data-admin-consent]')).toHaveAttribute(
    'href',
    /\/organizations\/adminconsent\?client_id=/,
  );
});

test('Google: PKCE flow in the worker with prompt=select_account and login_hint; id token checked', async ({
  context,
  worker,
  popup,
  idp,
}) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.gmail.email);
  await expect(picker.locator(`button[data-account="${ACCOUNTS.gmail.email}"]`)).toHaveAttribute('data-hinted', 'true');
  await pickAccount(picker, ACCOUNTS.gmail.email);
  await expect(panel(popup, ACCOUNTS.gmail.email)).toHaveAttribute('data-signin-step', 'done');
  const held = (await heldTokens(worker))[ACCOUNTS.gmail.email];
  expect(held?.account).toBe(ACCOUNTS.gmail.email);
  expect(held?.refreshToken).toBeTruthy();
  expect((await idp.introspect(held!.accessToken)).active).toBe(true);

  const [request] = idp.authorizeRequests().filter((r) => r.provider === 'google');
  expect(request!.host).toBe('accounts.google.com');
  expect(request!.query.prompt!.split(' ')).toContain('select_account');
  expect(request!.query.login_hint).toBe(ACCOUNTS.gmail.email);
  expect(request!.query.code_challenge_method).toBe('S256');
  expect(request!.query.access_type).toBe('offline');
  expect(request!.query.state).toBeTruthy();
  expect(request!.query.nonce).toBeTruthy();
});

test('Google, wrong account picked despite the hint: stopped', async ({ context, worker, popup }) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.gmail.email);
  await pickAccount(picker, ACCOUNTS.gmailWrong.email);
  await expectWrongAccount(popup, ACCOUNTS.gmail.email, ACCOUNTS.gmailWrong.email);
  expect(await heldTokens(worker)).toEqual({});
});

test('shared mailbox: the delegate signs in, the admin confirms it explicitly, the delegate is recorded', async ({
  context,
  worker,
  popup,
}) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.shared.email);
  await expect(picker.locator(`button[data-account="${ACCOUNTS.shared.email}"]`)).toHaveCount(0);
  await pickAccount(picker, ACCOUNTS.delegate.email);
  const box = panel(popup, ACCOUNTS.shared.email);
  await expect(box).toHaveAttribute('data-signin-step', 'wrong-account');
  expect(await heldTokens(worker)).toEqual({});

  await box.getByText('This is a shared mailbox and I am its delegate').click();
  const confirm = box.locator('[data-signin="confirm-delegate"]');
  await expect(confirm).toBeDisabled();
  await box.locator('[data-signin="delegate-check"]').check();
  await confirm.click();
  await expect(box).toHaveAttribute('data-signin-step', 'done');
  await expect(box.locator('[data-signin-result="done"]')).toContainText(`(delegate of ${ACCOUNTS.shared.email})`);

  const held = (await heldTokens(worker))[ACCOUNTS.shared.email];
  expect(held).toMatchObject({ account: ACCOUNTS.delegate.email, signedInAs: 'delegate' });
  const recorded = await worker.evaluate(
    async () => (await chrome.storage.local.get('sharedMailboxDelegates')).sharedMailboxDelegates,
  );
  expect(recorded).toEqual({ [ACCOUNTS.shared.email]: [ACCOUNTS.delegate.email] });
});

test('generic provider configured in the options page, then used from the popup with login_hint', async ({
  context,
  worker,
  popup,
  idp,
}) => {
  const options = await context.newPage();
  await options.goto('chrome-extension://bjbknmdlnppncpgpkampigklkbmnehfg/options.html');
  await options.locator('[data-signin="add-generic"]').click();
  const form = options.locator('[data-form="generic-provider"]');
  await expect(form.locator('[data-copy]')).toHaveAttribute(
    'data-copy',
    'https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/',
  );
  await form.locator('input[name="name"]').fill('Acme IdP');
  await form.locator('input[name="clientId"]').fill(CLIENTS.public.clientId);
  await form.locator('input[name="authorizeUrl"]').fill('http://idp.reauth.test/authorize');
  await form.locator('input[name="tokenUrl"]').fill('https://idp.reauth.test/token');
  await form.locator('input[name="scope"]').fill('openid email offline_access imap smtp');
  await form.getByRole('button', { name: 'Save provider' }).click();
  await expect(form.locator('input[name="authorizeUrl"]')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('must start with https://');
  await form.locator('input[name="authorizeUrl"]').fill('https://idp.reauth.test/authorize');
  await form.getByRole('button', { name: 'Save provider' }).click();
  await expect(form).toContainText('enter the Issuer too');
  await form.locator('input[name="issuer"]').fill('https://idp.reauth.test');
  await form.getByRole('button', { name: 'Save provider' }).click();
  await expect(options.locator('[data-generic="acme-idp"]')).toContainText('Acme IdP');

  const box = panel(popup, ACCOUNTS.generic.email);
  await expect(box.locator('[data-signin="provider"]')).toHaveValue('generic:acme-idp');
  const picker = await startSignIn(context, popup, ACCOUNTS.generic.email);
  await pickAccount(picker, ACCOUNTS.generic.email);
  await expect(box).toHaveAttribute('data-signin-step', 'done');
  expect((await heldTokens(worker))[ACCOUNTS.generic.email]?.account).toBe(ACCOUNTS.generic.email);

  const [request] = idp.authorizeRequests().filter((r) => r.provider === 'generic');
  expect(request!.query.prompt).toBe('select_account');
  expect(request!.query.login_hint).toBe(ACCOUNTS.generic.email);
  expect(request!.query.code_challenge_method).toBe('S256');
});

test('not configured: the popup says where to set the Client ID instead of opening a window', async ({
  popup,
  worker,
}) => {
  await worker.evaluate(async () => chrome.storage.local.remove('signinSettings'));
  const box = panel(popup, ACCOUNTS.support.email);
  await expect(box).toContainText('No Client ID is set for this provider yet.');
  await expect(box.locator('[data-signin="start"]')).toHaveCount(0);
});

test('configured: the popup never shows "No Client ID" while it waits for the settings', async ({ context, popup }) => {
  await popup.close(); // the fixture configured the clients and opened the helpdesk; a fresh popup is watched
  const page = await context.newPage();
  // Recorded from the first script on: any moment the text was in the document counts.
  await page.addInitScript(() => {
    const seen = { noClientId: false };
    (globalThis as { __seen?: typeof seen }).__seen = seen;
    new MutationObserver(() => {
      if (document.body?.textContent?.includes('No Client ID is set')) seen.noClientId = true;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto('chrome-extension://bjbknmdlnppncpgpkampigklkbmnehfg/popup.html');
  await expect(panel(page, ACCOUNTS.support.email).locator('[data-signin="start"]')).toBeVisible();
  expect(await page.evaluate(() => (globalThis as { __seen?: { noClientId: boolean } }).__seen?.noClientId)).toBe(
    false,
  );
});

test('the provider is taken from the row: the choice shows only where the row does not name it', async ({ popup }) => {
  const microsoft = panel(popup, ACCOUNTS.support.email);
  await expect(microsoft.locator('[data-signin="start"]')).toHaveAttribute('data-provider', 'microsoft');
  await expect(microsoft.locator('[data-signin="provider"]')).toHaveCount(0);
  const gmail = panel(popup, ACCOUNTS.gmail.email);
  await expect(gmail.locator('[data-signin="start"]')).toHaveAttribute('data-provider', 'google');
  await expect(gmail.locator('[data-signin="provider"]')).toHaveCount(0);
  // "Other (IMAP ...)" names no OAuth provider: the admin picks one
  await expect(panel(popup, ACCOUNTS.generic.email).locator('[data-signin="provider"]')).toBeVisible();
  await expect(popup.locator(`li.mailbox[data-address="${ACCOUNTS.gmail.email}"] .pill`)).toHaveText('Google');
});
