/// <reference types="chrome" />
/**
 * Sign-in from the popup, in Debian Chromium with the built extension, against the real test identity
 * provider: Microsoft through MSAL in the offscreen document, Google and a generic provider through the
 * worker's own PKCE flow, all via chrome.identity.launchWebAuthFlow and the provider's account picker.
 */
import { ACCOUNTS, CLIENTS } from '../stack';
import { openPopup } from '../support/extension';
import { expect, heldTokens, panel, pickAccount, startSignIn, test } from './signin-support';

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
  const status = await popup.evaluate(async () => JSON.stringify(await chrome.runtime.sendMessage({ kind: 'signin-status' })));
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
