/**
 * Chromium with the extension reaches the test identity provider under Microsoft's real host name:
 * "--host-resolver-rules=MAP login.microsoftonline.com 127.0.0.1:PORT" (a port in the replacement works),
 * put before the fixture's port-less "MAP * 127.0.0.1".
 */
import { extensionWorker } from '../support/extension';
import { ACCOUNTS, CLIENTS, EXTENSION_REDIRECT_URI, type IdentityProvider } from '../stack';
// The sign-in tests' fixtures: the identity provider once per worker, Chromium mapped to it per test.
import { expect, test } from './signin-support';

function authorizeUrl(idp: IdentityProvider, state: string): string {
  const url = new URL(idp.urls.microsoft.authorize('organizations'));
  url.search = new URLSearchParams({
    client_id: CLIENTS.public.clientId,
    response_type: 'code',
    response_mode: 'fragment',
    redirect_uri: EXTENSION_REDIRECT_URI,
    scope:
      'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access openid ' +
      'profile email',
    prompt: 'select_account',
    state,
    nonce: `nonce-${state}`,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

test('login.microsoftonline.com mapped to the local provider shows the account picker', async ({ context, idp }) => {
  const page = await context.newPage();
  await page.goto(authorizeUrl(idp, 'page-1'));
  expect(new URL(page.url()).hostname).toBe('login.microsoftonline.com');
  await expect(page.getByTestId('account-picker')).toBeVisible();
  await expect(page.locator(`button[data-account="${ACCOUNTS.support.email}"]`)).toBeVisible();
  await expect(page.locator(`button[data-account="${ACCOUNTS.wrongUser.email}"]`)).toBeVisible();
  expect(idp.authorizeRequests().at(-1)).toMatchObject({
    host: 'login.microsoftonline.com',
    tenant: 'organizations',
    query: { prompt: 'select_account' },
  });
});

test('chrome.identity.launchWebAuthFlow from the extension completes through the picker with a code', async ({
  context,
  idp,
}) => {
  const worker = await extensionWorker(context);
  const pickerPage = context.waitForEvent('page');
  const flow = worker.evaluate(
    (url) => chrome.identity.launchWebAuthFlow({ url, interactive: true }),
    authorizeUrl(idp, 'flow-1'),
  );
  const picker = await pickerPage;
  await picker.locator(`button[data-account="${ACCOUNTS.support.email}"]`).click();
  const responseUrl = new URL((await flow)!);
  expect(responseUrl.origin).toBe(new URL(EXTENSION_REDIRECT_URI).origin);
  const answer = new URLSearchParams(responseUrl.hash.slice(1));
  expect(answer.get('state')).toBe('flow-1');
  expect(answer.get('code')).toBeTruthy();
});
