/// <reference types="chrome" />
/**
 * SupportCenter Plus, Admin >> Helpdesk >> Mail Server Settings (replica written from seed 003, a classic
 * table-layout form with the page's own form script), on the admin's own domain added in the options page,
 * with the built extension in Chromium: the form is recognised by its structure, every wrong field is marked
 * with its fix, Fill from provider goes through the page's own input events, and Verify opens the
 * extension's verify page, where the guard stops the wrong account and the companion checks the mailbox
 * against the local IMAP and SMTP servers.
 */
import type { Page } from '@playwright/test';
import { READY_HEADLINE } from '../../lib/verification';
import { ACCOUNTS } from '../stack';
import { openVerifyPage, signInOnVerifyPage, useAssistE2E } from '../support/assist-e2e';
import { addHelpdeskOrigin } from '../support/custom-origin';
import { popupTabFor } from '../support/popup-tab';
import { sameLayoutWithExtension } from '../support/layout';
import { test, expect } from '../support/extension';
import type { FixtureServer } from '../support/fixture-server';
import { panel as signinPanel, pickAccount, startSignIn } from './signin-support';

const HOST = 'servicedesk.contoso-it.test';
const ORIGIN = `https://${HOST}`;
const INCOMING = '/supportcenter/app/admin/mail-server-settings/incoming/';
/** A second layout: CSS grid, one "Connection Protocol" select offering IMAP/IMAPS/POP/POPS/EWS, other words. */
const VARIANT = '/supportcenter/variant/incoming/';
const OUTGOING = '/supportcenter/app/admin/mail-server-settings/outgoing/';

/** The form's authorize URL, token URL and scope fields hold Microsoft's IMAP OAuth values for `tenant`. */
async function expectMicrosoftImapOauth(page: Page, [authorize, token, scope]: string[], tenant: string) {
  const base = `https://login.microsoftonline.com/${tenant}/oauth2/v2.0`;
  await expect(page.locator(authorize!)).toHaveValue(`${base}/authorize`);
  await expect(page.locator(token!)).toHaveValue(`${base}/token`);
  await expect(page.locator(scope!)).toHaveValue('https://outlook.office.com/IMAP.AccessAsUser.All offline_access');
}

const assistPanel = (page: Page) => page.locator('reauth-assist-panel');
const marks = (page: Page) => page.locator('reauth-assist-field-mark');
const mark = (page: Page, field: string) => page.locator(`reauth-assist-field-mark[data-reauth-field="${field}"]`);

async function open(page: Page, fixtures: FixtureServer, path: string): Promise<void> {
  // The fixture server's port differs from the origin's default 443: the origin pattern matches every port.
  await page.goto(`https://${HOST}:${fixtures.port}${path}`);
  await expect(assistPanel(page)).toBeVisible();
}

async function scpEvents(page: Page): Promise<Array<{ type: string; field: string; value: string }>> {
  return page.evaluate(
    () => (window as unknown as { __scpEvents: Array<{ type: string; field: string; value: string }> }).__scpEvents,
  );
}

test.describe('marks and fill from provider', () => {
  test.beforeEach(async ({ context }) => {
    await addHelpdeskOrigin(context, ORIGIN);
  });

  test('not added: nothing runs on the page; added: the form is recognised and reported as SupportCenter Plus', async ({
    context,
    worker,
    fixtures,
  }) => {
    const other = await context.newPage();
    await other.goto(`https://unlisted-scp.contoso-it.test:${fixtures.port}${INCOMING}`);
    await expect(other.locator('#incomingForm')).toBeVisible();

    const page = await context.newPage();
    await open(page, fixtures, INCOMING);
    // Checked after the added origin's page shows the panel: the extension is live, and still not on the other.
    await expect(assistPanel(other)).toHaveCount(0);
    await expect
      .poll(() => worker.evaluate(async () => JSON.stringify(await chrome.storage.session.get(null))))
      .toContain('"helpdesk":"supportcenter-plus"');
  });

  test(
    'incoming: Basic authentication on Microsoft 365, then OAuth over POP/IMAP, wrong port, ' +
      'scopes and providers, each marked with its fix',
    async ({ context, fixtures }) => {
      const page = await context.newPage();
      await open(page, fixtures, INCOMING);
      await expect(marks(page)).toHaveCount(1);
      await expect(mark(page, 'authType')).toHaveAttribute('data-reauth-rule', 'basic-auth-cloud');
      await expect(mark(page, 'authType')).toContainText('Basic authentication on a Microsoft 365 server');
      await expect(mark(page, 'authType')).toContainText('Choose OAuth as the Authentication Type');
      // The mark sits next to its field, in the field's own cell.
      expect(await mark(page, 'authType').evaluate((m) => m.previousElementSibling?.id)).toBe('authType');

      // OAuth (the page's own script fixes IMAPS 993), Microsoft URLs and an EWS scope on IMAPS.
      await page.selectOption('#authType', 'OAUTH');
      await page.fill('#authorizeUrl', 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
      await page.fill('#accessTokenUrl', 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token');
      await page.fill('#scope', 'https://outlook.office365.com/EWS.AccessAsUser.All offline_access');
      await expect(mark(page, 'authType')).toHaveCount(0);
      await expect(mark(page, 'scope')).toHaveAttribute('data-reauth-rule', 'scope-protocol-mismatch');
      await expect(mark(page, 'scope')).toContainText(
        'Use https://outlook.office.com/IMAP.AccessAsUser.All offline_access.',
      );

      // A Google scope with Microsoft's URLs.
      await page.fill('#scope', 'https://mail.google.com/');
      await expect(mark(page, 'scope')).toHaveAttribute('data-reauth-rule', 'provider-mismatch');
      await expect(mark(page, 'scope')).toContainText(
        "The Authorize and Access Token URLs are Microsoft 365's, the scope is Google (Gmail)'s.",
      );

      // OAuth over IMAP (the page auto-fills 143 for it).
      await page.fill('#scope', 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access');
      await page.selectOption('#protocol', 'imap');
      await expect(page.locator('#port')).toHaveValue('143');
      await expect(mark(page, 'protocol')).toHaveAttribute('data-reauth-rule', 'oauth-needs-imaps');
      await expect(mark(page, 'protocol')).toContainText('Choose IMAPS as the Protocol (port 993).');
      await expect(mark(page, 'port')).toHaveCount(0);

      // IMAPS on a port that is not its own.
      await page.selectOption('#protocol', 'imaps');
      await page.fill('#port', '995');
      await expect(mark(page, 'protocol')).toHaveCount(0);
      await expect(mark(page, 'port')).toHaveAttribute('data-reauth-rule', 'port-mismatch');
      await expect(mark(page, 'port')).toContainText('Port 995 does not match IMAPS, which answers on 993.');
      await page.fill('#port', '993');
      await expect(marks(page)).toHaveCount(0);
      await expect(assistPanel(page).locator('[data-assist="summary"]')).toHaveText('No problem found in this form.');

      // EWS with the IMAP scope.
      await page.selectOption('#connectionType', 'EWS');
      await page.fill('#connectUrl', 'https://outlook.office365.com/EWS/Exchange.asmx');
      await expect(mark(page, 'scope')).toHaveAttribute('data-reauth-rule', 'scope-protocol-mismatch');
      await expect(mark(page, 'scope')).toContainText(
        'Use https://outlook.office365.com/EWS.AccessAsUser.All offline_access.',
      );
    },
  );

  test('outgoing: Microsoft on 465, TLS off on 587, and the IMAP scope on SMTP', async ({ context, fixtures }) => {
    const page = await context.newPage();
    await open(page, fixtures, OUTGOING);
    await expect(marks(page)).toHaveCount(1);
    await expect(mark(page, 'port')).toHaveAttribute('data-reauth-rule', 'microsoft-smtp-465');
    await expect(mark(page, 'port')).toContainText('Use smtp.office365.com, port 587, with TLS on (Protocol SMTP).');

    await page.fill('#port', '587');
    await page.uncheck('#tls');
    await expect(mark(page, 'port')).toHaveCount(0);
    await expect(mark(page, 'tls')).toHaveAttribute('data-reauth-rule', 'microsoft-smtp-tls');
    await page.check('#tls');
    await expect(marks(page)).toHaveCount(0);

    await page.fill('#scope', 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access');
    await expect(mark(page, 'scope')).toHaveAttribute('data-reauth-rule', 'scope-protocol-mismatch');
    await expect(mark(page, 'scope')).toContainText('Use https://outlook.office.com/SMTP.Send offline_access.');
  });

  test(
    "Fill from provider goes through the page's own input events; the Redirect URL and " +
      'registration steps are shown; nothing is saved',
    async ({ context, fixtures }) => {
      const page = await context.newPage();
      await open(page, fixtures, INCOMING);
      await expect(page.locator('#saveButton')).toBeDisabled();
      const box = assistPanel(page);
      await box.locator('[data-assist="tenant"]').fill('contoso.onmicrosoft.com');
      await box.locator('[data-assist="fill"]').click();

      // The page's own listeners saw it: OAuth chosen (their script fixed IMAPS 993), Save enabled, unsaved changes.
      await expect(page.locator('#authType')).toHaveValue('OAUTH');
      await expect(page.locator('#protocol')).toHaveValue('imaps');
      await expectMicrosoftImapOauth(page, ['#authorizeUrl', '#accessTokenUrl', '#scope'], 'contoso.onmicrosoft.com');
      await expect(page.locator('#saveButton')).toBeEnabled();
      await expect(page.locator('#dirtyNote')).toHaveText('You have unsaved changes.');
      await expect(page.locator('#oauthStatus')).toHaveText('OAuth details incomplete.');
      const events = await scpEvents(page);
      for (const field of ['authorizeUrl', 'accessTokenUrl', 'scope']) {
        expect(
          events.filter((e) => e.field === field).map((e) => e.type),
          field,
        ).toEqual(['input', 'change']);
      }
      expect(events.find((e) => e.field === 'authType')?.value).toBe('OAUTH');
      await page.fill('#clientId', '0f1e2d3c-aaaa-bbbb-cccc-000000000001');
      await expect(page.locator('#oauthStatus')).toHaveText('OAuth details complete.');

      await expect(box.locator('[data-assist="redirect-url"]')).toHaveText(
        `https://${HOST}:${fixtures.port}/OAuthRedirect.do`,
      );
      const steps = box.locator('[data-assist="registration-steps"] li');
      await expect(steps).toContainText([
        /App registrations > New registration/,
        new RegExp(`platform "Web", value https://${HOST}:${fixtures.port}/OAuthRedirect.do`),
        /IMAP.AccessAsUser.All/,
      ]);
      await expect(marks(page)).toHaveCount(0);
      await expect(box.locator('[data-assist="fill-result"]')).toContainText('Nothing is saved');

      // Google: its endpoints from the provider catalogue.
      await box.locator('[data-assist="fill-provider"]').selectOption('google');
      await box.locator('[data-assist="fill"]').click();
      await expect(page.locator('#authorizeUrl')).toHaveValue('https://accounts.google.com/o/oauth2/v2/auth');
      await expect(page.locator('#scope')).toHaveValue('https://mail.google.com/');
      // Google's URLs on Microsoft's server: marked.
      await expect(mark(page, 'authorizeUrl')).toHaveAttribute('data-reauth-rule', 'provider-mismatch');
      await expect(box.locator('[data-assist="registration-steps"] li')).toContainText([
        /Gmail API/,
        /Authorized redirect URIs/,
      ]);
    },
  );
});

test.describe(
  "pages laid out and worded differently (fields by meaning, the page's own status, layout " + 'untouched)',
  () => {
    test.beforeEach(async ({ context }) => {
      await addHelpdeskOrigin(context, ORIGIN);
    });

    test(
      'a grid form with one "Connection Protocol" select: Basic on IMAP/143 and OAuth over ' +
        'IMAP are marked; ports follow the protocol',
      async ({ context, worker, fixtures }) => {
        const page = await context.newPage();
        await open(page, fixtures, VARIANT);
        await expect
          .poll(() => worker.evaluate(async () => JSON.stringify(await chrome.storage.session.get(null))))
          .toContain('"helpdesk":"supportcenter-plus"');
        // Basic authentication on Microsoft's server, IMAP on 143.
        await expect(mark(page, 'authType')).toHaveAttribute('data-reauth-rule', 'basic-auth-cloud');
        await expect(mark(page, 'protocol')).toHaveAttribute('data-reauth-rule', 'basic-unencrypted');
        await expect(mark(page, 'protocol')).toContainText('Basic authentication over IMAP on port 143');
        await expect(marks(page)).toHaveCount(2);

        // OAuth: the page's own script moves to IMAPS 993; back to IMAP (it fills 143): OAuth needs IMAPS.
        await page.selectOption('#auth', 'oauth');
        await expect(page.locator('#conn')).toHaveValue('imaps');
        await expect(mark(page, 'authType')).toHaveCount(0);
        await page.selectOption('#conn', 'imap');
        await expect(page.locator('#pn')).toHaveValue('143');
        await expect(mark(page, 'protocol')).toHaveAttribute('data-reauth-rule', 'oauth-needs-imaps');
        // IMAPS on POPS's port: the port field is found by its name and placeholder only.
        await page.selectOption('#conn', 'imaps');
        await page.fill('#pn', '995');
        await expect(mark(page, 'port')).toHaveAttribute('data-reauth-rule', 'port-mismatch');
        await expect(mark(page, 'port')).toContainText('Port 995 does not match IMAPS, which answers on 993.');
        await page.fill('#pn', '993');
        await expect(marks(page)).toHaveCount(0);

        // The OAuth fields under other names: "Scopes", "Authorization endpoint", "Token endpoint".
        await assistPanel(page).locator('[data-assist="fill"]').click();
        await expectMicrosoftImapOauth(page, ['#az', '#tk', '#sc'], 'organizations');
        await expect(assistPanel(page).locator('[data-assist="redirect-url"]')).toHaveText(
          `https://${HOST}:${fixtures.port}/OAuthRedirect.do`,
        );

        // The seed's testing advice, with this form's own values.
        const tips = assistPanel(page).locator('[data-assist="tips"]');
        await expect(tips.locator('[data-tip="email-debug"]')).toContainText('Enable Email Debug');
        await expect(tips.locator('[data-tip="email-debug"]')).toContainText('(Email Debug is off.)');
        await expect(tips.locator('[data-tip="fetch-sample"]')).toContainText('Fetch a sample mail');
        await expect(tips.locator('[data-tip="interval"]')).toContainText('Mail is fetched every 5 minutes');
      },
    );

    for (const [status, id, words] of [
      ['auth', 'imap-disabled-or-wrong-user', 'IMAP refused support@contoso.test'],
      ['refused', 'connection-refused', 'outlook.office365.com refuses connections on port 143'],
      ['timeout', 'connection-timeout', 'did not answer on port 143 in time'],
      ['cert', 'tls-cert-untrusted', 'is not from a trusted authority'],
    ] as const) {
      test(
        `the page's own status (${status}) is read and explained through the diagnosis catalogue; ` +
          'the popup counts mail servers',
        async ({ context, fixtures }) => {
          const page = await context.newPage();
          await open(page, fixtures, `${VARIANT}?status=${status}`);
          const box = assistPanel(page).locator('[data-assist="page-status"]');
          await expect(box).toHaveAttribute('data-outcome', id);
          await expect(box.locator('[data-assist="page-status-text"]')).toContainText('Last fetch failed');
          await expect(box).toContainText(words);
          // The page and the popup count the same mail server.
          await expect(assistPanel(page).locator('[data-assist="count"]')).toHaveText(
            '1 of 1 mail server needs attention.',
          );

          const tab = await popupTabFor(context, HOST);
          await expect(tab.getByTestId('summary')).toHaveText('1 of 1 mail server needs attention');
          await expect(tab.locator('li.mailbox[data-address="support@contoso.test"] .scenario')).toContainText(
            'Incoming mail server',
          );
          await expect(tab).not.toContainText('Admin > Channels > Email');
        },
      );
    }

    test('no status on the page: nothing is made up', async ({ context, fixtures }) => {
      const page = await context.newPage();
      await open(page, fixtures, VARIANT);
      await expect(assistPanel(page).locator('[data-assist="page-status"]')).toHaveAttribute('data-outcome', 'none');
    });

    for (const [name, path] of [
      ['incoming (table layout)', INCOMING],
      ['outgoing (table layout)', OUTGOING],
      ['incoming (grid layout)', `${VARIANT}?status=auth`],
    ] as const) {
      test(
        `${name}: every row's and grid's children and boxes are the same with the extension running`,
        sameLayoutWithExtension('unlisted-scp.contoso-it.test', HOST, path, async (p) => {
          await expect(assistPanel(p)).toBeVisible();
          await expect(marks(p).first()).toBeAttached();
        }),
      );
    }
  },
);

test.describe('Verify before Save (real identity provider, companion, Dovecot and SMTP)', () => {
  test.describe.configure({ mode: 'serial' });
  const e2e = useAssistE2E(test, ORIGIN);

  test(
    "the wrong account is stopped by the guard; the mailbox's own account is verified " +
      "against the page's SMTP server",
    async () => {
      test.setTimeout(120_000);
      const { context, fixtures, worker } = e2e();
      const page = await context.newPage();
      await page.goto(`https://${HOST}:${fixtures.port}${OUTGOING}`);
      await expect(assistPanel(page)).toBeVisible();
      await page.fill('#port', '587');
      await expect(marks(page)).toHaveCount(0);

      const verify = await openVerifyPage(context, () => assistPanel(page).locator('[data-assist="verify"]').click());
      await expect(assistPanel(page).locator('[data-assist="verify-result"]')).toContainText('is open in a new tab');
      const address = ACCOUNTS.support.email;
      await expect(verify.locator(`[data-verify-request="${address}"]`)).toContainText(
        `Verify ${address} for SupportCenter Plus`,
      );
      await expect(verify.locator('[data-verify-request-servers]')).toHaveText(
        'From the page: SMTP smtp.office365.com:587.',
      );

      // ManageEngine's own warning, enforced: another account is stopped and nothing is handed on.
      const picker = await startSignIn(context, verify, address);
      await pickAccount(picker, ACCOUNTS.wrongUser.email);
      await expect(signinPanel(verify, address)).toHaveAttribute('data-signin-step', 'wrong-account');
      await expect(verify.locator(`[data-verify-request] [data-verify-mailbox="${address}"]`)).toHaveCount(0);

      await signInOnVerifyPage(context, verify, address);
      const box = verify.locator(`[data-verify-request] [data-verify-mailbox="${address}"]`);
      await box.locator('[data-verify="start"]').click();
      await expect(box.locator('[data-verdict="ready"]')).toHaveText(READY_HEADLINE, { timeout: 60_000 });
      await expect(box.locator('[data-step-id="smtp-auth"]')).toHaveAttribute('data-step-status', 'ok');

      // The page's servers were used, and no token reached the helpdesk page.
      const servers = await worker.evaluate(
        async (a) =>
          ((await chrome.storage.local.get('companionMailServers')).companionMailServers as Record<string, unknown>)[a],
        address,
      );
      expect(servers).toEqual({
        imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
        smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
      });
      const held = await worker.evaluate(
        async (a) =>
          ((await chrome.storage.session.get('signinTokens')).signinTokens as Record<string, { accessToken: string }>)[
            a
          ]!.accessToken,
        address,
      );
      expect(await page.content()).not.toContain(held);
    },
  );
});
