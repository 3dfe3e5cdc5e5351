/// <reference types="chrome" />
/**
 * The helpdesk's OWN sign-in (its Re-authorize link, or the edit icon then "Sign in with ..." in a popup)
 * against the test identity provider under Microsoft's and Google's production host names, with the browser
 * already signed in to the provider as ANOTHER account. First the trap, as the Freshdesk articles describe it:
 * without the rules the helpdesk silently gets a code for the wrong account. Then the fix: with the provider
 * permission granted, the extension's declarativeNetRequest session rules add prompt=select_account (and
 * login_hint for Google) to the helpdesk's request, the picker shows, the row's account is chosen and the
 * helpdesk gets a code for it; the row is checked again and the history says "reauthorized in the helpdesk".
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { ACCOUNTS } from '../stack';
import { openPopup } from '../support/extension';
import { grantSiteAccess } from '../support/custom-origin';
import { startHelpdeskReplica, type HelpdeskReplica } from '../support/helpdesk-oauth-replica';
import { expect, pickAccount, test as base } from './signin-support';

const PROVIDER_ORIGINS = ['https://login.microsoftonline.com', 'https://login.live.com', 'https://accounts.google.com'];

const test = base.extend<{ replica: HelpdeskReplica }>({
  replica: async ({ idp }, use) => {
    idp.clearAuthorizeRequests();
    idp.setAuthorizeError(null);
    const replica = await startHelpdeskReplica(idp, [
      { address: ACCOUNTS.support.email, provider: 'microsoft' },
      { address: ACCOUNTS.gmail.email, provider: 'google' },
    ]);
    await use(replica);
    await replica.close();
  },
});

// Each test signs in to the provider first, then runs the helpdesk's flow: more steps than one test's default minute
// on a shared 2-core machine.
test.describe.configure({ timeout: 120_000 });

/** The browser's provider session for `account`: what makes a prompt-less sign-in silent. */
async function providerSession(
  context: BrowserContext,
  replica: HelpdeskReplica,
  provider: 'microsoft' | 'google',
  account: string,
) {
  const page = await context.newPage();
  await page.goto(replica.url(`/provider-session?provider=${provider}`));
  await pickAccount(page, account);
  await expect(page.locator('[data-helpdesk="provider-session"]')).toContainText(account);
  await page.close();
}

async function openEmailSettings(context: BrowserContext, replica: HelpdeskReplica): Promise<Page> {
  const page = await context.newPage();
  await page.goto(replica.url('/a/admin/email'));
  await expect(page.locator('[data-reauth-state="needs-reauth"]')).toHaveCount(2);
  return page;
}

function row(page: Page, address: string) {
  return page.locator('tr.email-row', { hasText: address });
}

/**
 * What the admin does once: the popup's one-sentence question, answered Allow (the grant itself: see
 * custom-origin.ts).
 */
async function allowPickerInPopup(context: BrowserContext): Promise<void> {
  for (const origin of PROVIDER_ORIGINS) await grantSiteAccess(context, origin);
  const popup = await openPopup(context);
  const ask = popup.locator('[data-helpdesk-picker="ask"]');
  await expect(ask).toContainText('so the browser cannot silently sign in an account it already knows');
  await ask.locator('[data-helpdesk-picker="allow"]').click();
  await expect(ask).toHaveCount(0);
  await popup.close();
}

/**
 * The usual start: the browser signed in to `provider` as `account`, no authorize request on record yet, the
 * email settings open and the picker allowed.
 */
async function pickerOn(
  {
    context,
    idp,
    replica,
  }: { context: BrowserContext; idp: { clearAuthorizeRequests(): void }; replica: HelpdeskReplica },
  provider: 'microsoft' | 'google',
  account: string,
): Promise<Page> {
  await providerSession(context, replica, provider, account);
  idp.clearAuthorizeRequests();
  const page = await openEmailSettings(context, replica);
  await allowPickerInPopup(context);
  return page;
}

const sessionRules = (worker: Worker) =>
  worker.evaluate(async () => (await chrome.declarativeNetRequest.getSessionRules()).length);
const loginHints = (worker: Worker) =>
  worker.evaluate(async () =>
    (await chrome.declarativeNetRequest.getSessionRules()).flatMap((r) =>
      (r.action.redirect?.transform?.queryTransform?.addOrReplaceParams ?? [])
        .filter((p) => p.key === 'login_hint')
        .map((p) => ({ pattern: r.condition.regexFilter ?? '', hint: p.value })),
    ),
  );
/**
 * The reauthorization's own rules are gone: what may stay is the helpdesk tab's picker rule while it still shows
 * another broken row (no popup scope; a hint only for the one broken mailbox of a provider that takes hints:
 * here Google's, never the row just fixed).
 */
const onlyTabPickerRules = (worker: Worker, stillBroken = ACCOUNTS.gmail.email) =>
  worker.evaluate(
    async (allowed) =>
      (await chrome.declarativeNetRequest.getSessionRules()).every(
        (r) =>
          r.condition.tabIds?.length === 1 &&
          !r.condition.initiatorDomains &&
          (r.action.redirect?.transform?.queryTransform?.addOrReplaceParams ?? []).every(
            (p) => p.key !== 'login_hint' || p.value === allowed,
          ),
      ),
    stillBroken,
  );
const helpdeskRequests = (idp: { authorizeRequests(): Array<{ query: Record<string, string> }> }) =>
  idp.authorizeRequests().filter((r) => r.query.client_id === 'helpdesk-replica-client');

test('the trap, without the rule: the helpdesk silently gets a code for the account the browser already knows', async ({
  context,
  idp,
  replica,
}) => {
  await providerSession(context, replica, 'microsoft', ACCOUNTS.wrongUser.email);
  idp.clearAuthorizeRequests();
  const page = await openEmailSettings(context, replica);
  const pickerShown = context.waitForEvent('page', { timeout: 1 }).catch(() => null);
  await row(page, ACCOUNTS.support.email).getByRole('link', { name: 'Re-authorize' }).click();
  await expect.poll(() => replica.signins.length).toBe(1);
  await pickerShown;

  expect(replica.signins[0]).toMatchObject({ mailbox: ACCOUNTS.support.email, account: ACCOUNTS.wrongUser.email });
  const [request] = helpdeskRequests(idp);
  expect(request!.query.prompt).toBeUndefined();
  // back on the email settings, still broken: the mark says so and offers the guided sign-out
  await expect(page).toHaveURL(replica.url('/a/admin/email'));
  const notice = row(page, ACCOUNTS.support.email).locator('[data-reauth-notice="still-needs-reauth"]');
  await expect(notice).toContainText("Still needs reauthorization after the helpdesk's sign-in");
  await expect(notice.getByRole('button', { name: 'Guided sign-out' })).toBeVisible();
});

test(
  "the fix, same tab through the helpdesk backend: the picker shows, the row's account is chosen, the helpdesk " +
    'gets its code',
  async ({ context, worker, idp, replica }) => {
    const page = await pickerOn({ context, idp, replica }, 'microsoft', ACCOUNTS.wrongUser.email);

    await row(page, ACCOUNTS.support.email).getByRole('link', { name: 'Re-authorize' }).click();
    await expect(page.locator('[data-testid="account-picker"]')).toBeVisible();
    expect(new URL(page.url()).host).toBe('login.microsoftonline.com');
    await pickAccount(page, ACCOUNTS.support.email);

    await expect.poll(() => replica.signins.length).toBe(1);
    expect(replica.signins[0]).toMatchObject({
      mailbox: ACCOUNTS.support.email,
      account: ACCOUNTS.support.email,
      popup: false,
    });
    const [request] = helpdeskRequests(idp);
    expect(request!.query.prompt).toContain('select_account');
    // Microsoft refuses an account hint with select_account: none is added
    expect(request!.query.login_hint).toBeUndefined();
    // the helpdesk's own parameters are untouched
    expect(request!.query.code_challenge_method).toBe('S256');
    expect(request!.query.redirect_uri).toBe(replica.url('/a/admin/email/oauth/callback'));

    await expect(page).toHaveURL(replica.url('/a/admin/email'));
    await expect(row(page, ACCOUNTS.support.email)).not.toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect.poll(() => onlyTabPickerRules(worker)).toBe(true);
    const popup = await openPopup(context);
    await expect(
      popup.locator(
        `.history-entry[data-address="${ACCOUNTS.support.email}"] [data-history="reauthorized-in-helpdesk"]`,
      ),
    ).toContainText('Reauthorized in the helpdesk');
  },
);

test(
  "the fix in a popup window (edit icon, then Sign in with Microsoft); the page's own click listeners see the " +
    'clicks unchanged',
  async ({ context, worker, idp, replica }) => {
    const page = await pickerOn({ context, idp, replica }, 'microsoft', ACCOUNTS.wrongUser.email);

    await row(page, ACCOUNTS.support.email)
      .getByRole('button', { name: `Edit ${ACCOUNTS.support.email}` })
      .click();
    // noticed: the rules are in place for this tab (and a popup it opens), and the page saw its click as always
    await expect.poll(() => sessionRules(worker)).toBeGreaterThan(0);
    const seen = await page.evaluate(
      () => (window as unknown as { __pageClicks: Array<{ what: string; defaultPrevented: boolean }> }).__pageClicks,
    );
    expect(seen).toEqual([{ what: 'icon-btn', defaultPrevented: false, phase: 3 }]);

    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    const signin = await opened;
    await expect(signin.locator('[data-testid="account-picker"]')).toBeVisible();
    await pickAccount(signin, ACCOUNTS.support.email);
    await expect.poll(() => replica.signins.length).toBe(1);
    expect(replica.signins[0]).toMatchObject({
      mailbox: ACCOUNTS.support.email,
      account: ACCOUNTS.support.email,
      popup: true,
    });
    expect(helpdeskRequests(idp)[0]!.query.prompt).toContain('select_account');
    await expect(row(page, ACCOUNTS.support.email)).not.toHaveAttribute('data-reauth-state', 'needs-reauth');
    await expect.poll(() => onlyTabPickerRules(worker)).toBe(true);
  },
);

test("before any press, the tab's rules already hint the one broken Google mailbox (a fast press keeps it)", async ({
  context,
  worker,
  replica,
}) => {
  await openEmailSettings(context, replica);
  await allowPickerInPopup(context);
  // Microsoft takes no hint beside select_account: only Google's rules carry one, and only that row's address
  await expect
    .poll(async () => [...new Set((await loginHints(worker)).map((h) => `${h.pattern.includes('google')}:${h.hint}`))])
    .toEqual([`true:${ACCOUNTS.gmail.email}`]);
});

test(
  "Google: the helpdesk's prompt=consent is kept beside select_account, and login_hint names the row's " + 'address',
  async ({ context, idp, replica }) => {
    const page = await pickerOn({ context, idp, replica }, 'google', ACCOUNTS.gmailWrong.email);
    await row(page, ACCOUNTS.gmail.email).getByRole('link', { name: 'Re-authorize' }).click();
    await expect(page.locator(`button[data-account="${ACCOUNTS.gmail.email}"]`)).toHaveAttribute('data-hinted', 'true');
    const [request] = helpdeskRequests(idp);
    expect(request!.query.prompt!.split(' ').sort()).toEqual(['consent', 'select_account']);
    expect(request!.query.login_hint).toBe(ACCOUNTS.gmail.email);
    expect(request!.query.access_type).toBe('offline');
    await pickAccount(page, ACCOUNTS.gmail.email);
    await expect.poll(() => replica.signins.length).toBe(1);
    expect(replica.signins[0]).toMatchObject({ mailbox: ACCOUNTS.gmail.email, account: ACCOUNTS.gmail.email });
  },
);

test(
  'the wrong account picked anyway: the row is still broken, the mark says so, its Guided sign-out opens the ' +
    'guide',
  async ({ context, worker, idp, replica }) => {
    const page = await pickerOn({ context, idp, replica }, 'microsoft', ACCOUNTS.wrongUser.email);
    await row(page, ACCOUNTS.support.email).getByRole('link', { name: 'Re-authorize' }).click();
    await pickAccount(page, ACCOUNTS.wrongUser.email);
    await expect.poll(() => replica.signins.length).toBe(1);
    const notice = row(page, ACCOUNTS.support.email).locator('[data-reauth-notice="still-needs-reauth"]');
    await expect(notice).toBeVisible();
    await notice.getByRole('button', { name: 'Guided sign-out' }).click();
    await expect
      .poll(() =>
        worker.evaluate(
          async () =>
            ((await chrome.storage.session.get('incognitoGuide')).incognitoGuide as { mailbox?: string } | undefined)
              ?.mailbox,
        ),
      )
      .toBe(ACCOUNTS.support.email);
  },
);

test("the button in our mark forces the picker, then presses the row's own control (here the edit icon)", async ({
  context,
  worker,
  idp,
  replica,
}) => {
  const page = await pickerOn({ context, idp, replica }, 'microsoft', ACCOUNTS.wrongUser.email);
  const mark = row(page, ACCOUNTS.support.email).locator('reauth-assist-mark');
  await mark.locator('button.pill').click();
  await expect(row(page, ACCOUNTS.support.email).locator('[data-reauth-control]')).toHaveAttribute(
    'data-reauth-control',
    'edit-icon',
  );
  await mark.getByRole('button', { name: 'Re-authorize with the account picker' }).click();
  await expect.poll(() => sessionRules(worker)).toBeGreaterThan(0);
  await expect(page.locator('#edit-0')).toBeVisible();
  const opened = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  const signin = await opened;
  await expect(signin.locator('[data-testid="account-picker"]')).toBeVisible();
  await pickAccount(signin, ACCOUNTS.support.email);
  await expect.poll(() => replica.signins.length).toBe(1);
  expect(replica.signins[0]).toMatchObject({ account: ACCOUNTS.support.email });
});

test("Options: the switch asks for the providers' sign-in pages and gives them back when turned off", async ({
  context,
  worker,
}) => {
  const options = await context.newPage();
  await options.goto('chrome-extension://bjbknmdlnppncpgpkampigklkbmnehfg/options.html');
  const section = options.locator('[data-helpdesk-picker="switch"]');
  await expect(section).toContainText('so the browser cannot silently sign in an account it already knows');
  const box = section.locator('input[name="helpdeskPicker"]');
  await expect(box).not.toBeChecked();
  await expect(section.locator('[data-helpdesk-picker-state="off"]')).toContainText('Not allowed yet');
  // what the browser's permission bubble would do when the admin accepts (see custom-origin.ts)
  for (const origin of PROVIDER_ORIGINS) await grantSiteAccess(context, origin);
  await box.check();
  await expect(section.locator('[data-helpdesk-picker-state="on"]')).toContainText('login.microsoftonline.com');
  await box.uncheck();
  await expect(section.locator('[data-helpdesk-picker-state="off"]')).toContainText('left as it is');
  expect(
    await worker.evaluate(() => chrome.permissions.contains({ origins: ['https://login.microsoftonline.com/*'] })),
  ).toBe(false);
  const stored = await worker.evaluate(async () => (await chrome.storage.local.get('helpdeskPicker')).helpdeskPicker);
  expect(stored).toEqual({ enabled: false, asked: true });
});

test('the popup\'s "Reauthorize in Freshdesk" forces the picker for the row, presses its control in its tab', async ({
  context,
  worker,
  idp,
  replica,
}) => {
  const page = await pickerOn({ context, idp, replica }, 'microsoft', ACCOUNTS.wrongUser.email);
  const popup = await openPopup(context);
  const card = popup.locator(`li.mailbox[data-address="${ACCOUNTS.support.email}"]`);
  // The real fix is the card's first action (after its address), named by what it does.
  await expect(card.getByRole('button').nth(1)).toHaveText('Reauthorize in Freshdesk');
  await card.getByRole('button', { name: 'Reauthorize in Freshdesk' }).click();
  // the row's own control (its edit icon) was pressed in the helpdesk tab, with the rules for its address
  await expect(page.locator('#edit-0')).toBeVisible();
  await expect.poll(() => sessionRules(worker)).toBeGreaterThan(0);
  const opened = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  const signin = await opened;
  await expect(signin.locator('[data-testid="account-picker"]')).toBeVisible();
  await pickAccount(signin, ACCOUNTS.support.email);
  await expect.poll(() => replica.signins.length).toBe(1);
  expect(replica.signins[0]).toMatchObject({ mailbox: ACCOUNTS.support.email, account: ACCOUNTS.support.email });
  await expect(row(page, ACCOUNTS.support.email)).not.toHaveAttribute('data-reauth-state', 'needs-reauth');
});
