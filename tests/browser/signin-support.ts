/// <reference types="chrome" />
/**
 * Shared setup for the sign-in browser tests: the real test identity provider (oidc-provider over HTTPS,
 * serving Microsoft's, Google's and a generic provider's real host names and paths) started once per
 * Playwright worker, Chromium launched with those host names mapped to it, a Freshdesk email-settings
 * replica listing mailboxes of the provider's accounts, and the client ids set in storage.local.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { test as base, expect, extensionWorker, launchWithExtension, openPopup } from '../support/extension';
import type { FixtureServer } from '../support/fixture-server';
import { CLIENTS, startIdentityProvider, type IdentityProvider } from '../stack';

export const MAILBOXES = [
  {
    address: 'support@contoso.test',
    server: 'Microsoft Office 365 (OAuth)',
    status: 'Your Microsoft Office 365 credentials have expired. Please sign in again',
  },
  {
    address: 'shared@contoso.test',
    server: 'Microsoft Office 365 (OAuth)',
    status: 'Your Microsoft Office 365 credentials have expired. Please sign in again',
  },
  { address: 'support@acme-gmail.test', server: 'Gmail', status: 'Reauthorization required' },
  {
    address: 'helpdesk@acme-helpdesk.test',
    server: 'Other (IMAP mail.acme-helpdesk.test:993)',
    status: 'Reauthorization required',
  },
] as const;

/** Admin > Channels > Email, in the markup of the Freshdesk replica (tests/fixtures/freshdesk/a/admin/email). */
export function emailSettingsPage(): string {
  const rows = MAILBOXES.map(
    (m, i) =>
      `<tr class="email-row" id="row-${i}">
      <td><span class="email">${m.address}</span><span class="forward">Forward to ` +
      `acme${i}@acme.freshdesk.com</span></td>
      <td>${m.server}</td>
      <td><span class="status-error">${m.status}</span></td>
      <td><a href="#reauthorize-${i}" class="reauth-link">Re-authorize</a> <button class="icon-btn" ` +
      `aria-label="Edit ${m.address}"><i class="ficon-edit"></i></button></td>
    </tr>`,
  ).join('\n');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Email | Admin | Acme ` +
    `Support</title></head><body>
<header class="app-header"><span class="logo">Acme Support</span></header>
<div class="banner-wrapper" id="reauth-banner"><span class="banner-text">Please reauthorize your Email settings. ` +
    `Learn more about it <a href="/support/solutions/articles/50000001">here</a> or finish the setup in <a ` +
    `href="/a/admin/email">Email settings</a></span></div>
<h1>Email</h1>
<table class="email-list"><thead><tr><th>Support email</th><th>Mail ` +
    `server</th><th>Status</th><th>Actions</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`
  );
}

export const GENERIC_PROVIDER = {
  id: 'acme-idp',
  name: 'Acme IdP',
  clientId: CLIENTS.public.clientId,
  authorizeUrl: 'https://idp.reauth.test/authorize',
  tokenUrl: 'https://idp.reauth.test/token',
  scope: 'openid email offline_access imap smtp',
  issuer: 'https://idp.reauth.test',
};

export async function configureClients(worker: Worker, extra: Record<string, unknown> = {}): Promise<void> {
  await worker.evaluate(
    async (settings) => chrome.storage.local.set({ signinSettings: settings }),
    // Google redeemed by the worker here (a public client): signin-companion.spec.ts covers the companion default.
    {
      microsoft: { clientId: CLIENTS.public.clientId },
      google: { clientId: CLIENTS.public.clientId, redeemVia: 'extension' },
      generic: [],
      ...extra,
    },
  );
}

export async function openHelpdesk(context: BrowserContext, fixtures: FixtureServer): Promise<Page> {
  fixtures.route('/a/admin/email', emailSettingsPage());
  const page = await context.newPage();
  await page.goto(fixtures.url('acme.freshdesk.com', '/a/admin/email'));
  await expect(page.locator('[data-reauth-state="needs-reauth"]')).toHaveCount(MAILBOXES.length);
  return page;
}

/** The mailbox's sign-in panel in the first helpdesk tab listed (a private window's tab is listed too). */
export function panel(popup: Page, address: string) {
  return popup.locator(`[data-signin-mailbox="${address}"]`).first();
}

/** Clicks Sign in and returns the provider's sign-in page (the launchWebAuthFlow window). */
export async function startSignIn(
  context: BrowserContext,
  popup: Page,
  address: string,
  provider?: string,
): Promise<Page> {
  const box = panel(popup, address);
  if (provider) await box.locator('[data-signin="provider"]').selectOption(provider);
  // Together: if the click fails (the browser closing), the wait's own failure is not left unhandled.
  const [page] = await Promise.all([
    context.waitForEvent('page', { predicate: (p) => !p.url().startsWith('chrome-extension://') }),
    box.locator('[data-signin="start"]').click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** The guard's panel for `mailbox`, naming `signedIn` as the account that signed in; returns the mailbox's box. */
export async function expectWrongAccount(popup: Page, mailbox: string, signedIn: string) {
  const box = panel(popup, mailbox);
  await expect(box).toHaveAttribute('data-signin-step', 'wrong-account');
  await expect(box.locator('[data-account="signed-in"]')).toHaveText(signedIn);
  await expect(box.locator('[data-account="expected"]')).toHaveText(mailbox);
  await expect(box).toContainText('Nothing was handed on.');
  return box;
}

export async function pickAccount(picker: Page, email: string): Promise<void> {
  await picker.locator(`button[data-account="${email}"]`).click();
}

/** What the worker holds (for assertions only: read from the worker, the one place tokens live). */
export async function heldTokens(
  worker: Worker,
): Promise<Record<string, { accessToken: string; refreshToken?: string; account: string; signedInAs: string }>> {
  return worker.evaluate(async () => ((await chrome.storage.session.get('signinTokens')).signinTokens ?? {}) as never);
}

export const test = base.extend<{ context: BrowserContext; worker: Worker; popup: Page }, { idp: IdentityProvider }>({
  idp: [
    async ({}, use) => {
      const idp = await startIdentityProvider();
      await use(idp);
      await idp.stop();
    },
    { scope: 'worker' },
  ],
  context: async ({ idp }, use) => {
    const context = await launchWithExtension([], idp.hostResolverRules);
    await use(context);
    await context.close();
  },
  worker: async ({ context }, use) => {
    await use(await extensionWorker(context));
  },
  popup: async ({ context, worker, fixtures, idp }, use) => {
    idp.clearAuthorizeRequests();
    idp.setAuthorizeError(null);
    await configureClients(worker);
    await openHelpdesk(context, fixtures);
    await use(await openPopup(context));
  },
});

export { expect };
