/// <reference types="chrome" />
/**
 * The whole thing, end to end, with real parts only: the test stack (oidc-provider under Microsoft's host
 * names, Dovecot, the SMTP submission server), the companion as a child process started the way users start
 * it, and Debian Chromium with the built extension. The Freshdesk email-settings replica shows a broken
 * mailbox; the admin pairs the companion in Options, signs in from the popup, the worker hands the tokens
 * over, Verify streams each step from Dovecot and SMTP, and the verdict is shown. The popup and the badge
 * show the companion's monitored mailboxes with no helpdesk tab open, and the outage report on reconnect.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { READY_HEADLINE } from '../../lib/verification';
import type { ChildCompanion } from '../companion/companion-support';
import { ACCOUNTS, CLIENTS, type MailStack } from '../stack';
import { startRealParts, type RealParts } from '../support/assist-e2e';
import { EXTENSION_ID, openPopup } from '../support/extension';
import { FIXTURES_DIR, type FixtureServer } from '../support/fixture-server';
import { panel, pickAccount, startSignIn } from './signin-support';

// Written out here rather than taken from lib/verification.ts, so the test says what the admin must see.
const EVERY_STEP_IN_ORDER = [
  'dns',
  'tcp',
  'tls',
  'imap-auth',
  'imap-command',
  'sample-mail',
  'smtp-connect',
  'smtp-auth',
  'round-trip',
];

/** The Freshdesk replica with its OAuth row (help@acme.com, credentials expired) turned into a stack mailbox. */
function helpdeskPageFor(address: string): string {
  return readFileSync(join(FIXTURES_DIR, 'freshdesk/a/admin/email/index.html'), 'utf8').replaceAll(
    'help@acme.com',
    address,
  );
}

test.describe.configure({ mode: 'serial' });

let parts: RealParts;
let stack: MailStack;
let companion: ChildCompanion;
let fixtures: FixtureServer;
let context: BrowserContext;
let worker: Worker;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // Time scale 0.1: a retry schedule of 3 s to 16.5 s and a 6 s health check, so an outage plays out in a test.
  parts = await startRealParts({ companionArgs: ['--time-scale', '0.1', '--check-interval', '60'] });
  ({ stack, companion, fixtures, context, worker } = parts);
});

test.afterAll(async () => {
  await parts?.stop();
});

/** A port nothing listens on: the OS picks a free one, which is closed again at once. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function openOptions(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await expect(page.locator('[data-companion-settings]')).toBeVisible();
  return page;
}

async function testConnection(options: Page, url: string, secret: string): Promise<string> {
  await options.locator('input[name="companionUrl"]').fill(url);
  await options.locator('input[name="pairingSecret"]').fill(secret);
  await options.locator('[data-companion="test"]').click();
  const result = options.locator('[data-companion-test]');
  await expect(result).toBeVisible();
  return (await result.innerText()).trim();
}

async function openHelpdesk(address: string): Promise<Page> {
  fixtures.route('/a/admin/email', helpdeskPageFor(address));
  const page = await context.newPage();
  await page.goto(fixtures.url('acme.freshdesk.com', '/a/admin/email'));
  await expect(page.locator(`[data-reauth-state="needs-reauth"]`).first()).toBeVisible();
  return page;
}

/** Signs in from the popup, picking the mailbox's own account, and waits for the handoff to the companion. */
async function signInAndHandOver(popup: Page, address: string): Promise<void> {
  const picker = await startSignIn(context, popup, address);
  await pickAccount(picker, address);
  await expect(panel(popup, address)).toHaveAttribute('data-signin-step', 'done');
  await expect(verifyPanel(popup, address)).toHaveAttribute('data-handoff-status', 'handed-over', { timeout: 20_000 });
}

function verifyPanel(popup: Page, address: string) {
  return popup.locator(`section.tab [data-verify-mailbox="${address}"]`);
}

/** Every render of the step list, in order: which steps showed which status, and whether the verdict was there. */
async function recordSteps(popup: Page): Promise<void> {
  await popup.evaluate(() => {
    const log: Array<{ steps: string[]; verdict: boolean }> = [];
    (window as unknown as { stepLog: typeof log }).stepLog = log;
    new MutationObserver(() => {
      const steps = [...document.querySelectorAll('section.tab [data-step-id]')].map(
        (el) => `${el.getAttribute('data-step-id')}:${el.getAttribute('data-step-status')}`,
      );
      const verdict = document.querySelector('section.tab [data-verdict]') !== null;
      const last = log.at(-1);
      if (!last || last.steps.join() !== steps.join() || last.verdict !== verdict) log.push({ steps, verdict });
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

async function stepLog(popup: Page): Promise<Array<{ steps: string[]; verdict: boolean }>> {
  return popup.evaluate(() => (window as unknown as { stepLog: Array<{ steps: string[]; verdict: boolean }> }).stepLog);
}

async function badges(): Promise<Array<{ url: string; text: string }>> {
  return worker.evaluate(async () => {
    const tabs = await chrome.tabs.query({});
    return Promise.all(
      tabs.map(async (t) => ({ url: t.url ?? '', text: await chrome.action.getBadgeText({ tabId: t.id! }) })),
    );
  });
}

test('Options: Test connection says what is wrong (not running, wrong secret), then pairs', async () => {
  const options = await openOptions();
  await options.locator('input[name="microsoftClientId"]').fill(CLIENTS.public.clientId);
  await options.locator('form[data-form="signin-clients"] button[type="submit"]').click();
  await expect(options.locator('form[data-form="signin-clients"]')).toContainText('Saved.');

  expect(companion.secret, 'the companion prints its pairing secret at its first start').toMatch(/^[A-Za-z0-9_-]{43}$/);
  const secret = companion.secret!;

  const closedPort = await freePort();
  const down = await testConnection(options, `http://127.0.0.1:${closedPort}`, secret);
  expect(down).toContain(`The companion is not running at http://127.0.0.1:${closedPort}`);
  expect(down).toContain('npm start');

  const wrong = await testConnection(options, companion.url, 'x'.repeat(43));
  expect(wrong).toContain(`The Reauth Assist companion`);
  expect(wrong).toContain('The pairing secret is wrong.');
  await expect(options.locator('[data-companion-test]')).toHaveAttribute('data-companion-test', 'failed');

  await options.locator('input[name="companionUrl"]').fill(companion.url);
  await options.locator('input[name="pairingSecret"]').fill(secret);
  await options.locator('[data-companion="save"]').click();
  await expect(options.locator('[data-companion="paired"]')).toHaveText(`Paired with ${companion.url}.`);
  await expect(options.locator('input[name="pairingSecret"]')).toHaveValue('');

  // The saved secret is used when the field is left empty.
  await options.locator('[data-companion="test"]').click();
  await expect(options.locator('[data-companion-test]')).toHaveAttribute('data-companion-test', 'ok');
  await expect(options.locator('[data-companion-test]')).toContainText(
    'The pairing secret is right. The companion monitors 0 mailboxes.',
  );

  // No message answers with the secret, not even to the extension's own pages.
  const status = await options.evaluate(async () =>
    JSON.stringify(await chrome.runtime.sendMessage({ kind: 'companion-pairing-status' })),
  );
  expect(status).toContain(companion.url);
  expect(status).not.toContain(secret);
  await options.close();
});

test('Sign in, handoff, Verify streams each step from Dovecot and SMTP, verdict: ready', async () => {
  test.setTimeout(120_000);
  const address = ACCOUNTS.support.email;
  const helpdesk = await openHelpdesk(address);
  const popup = await openPopup(context);
  await signInAndHandOver(popup, address);

  const box = verifyPanel(popup, address);
  await expect(box.locator('[data-handoff="handed-over"]')).toHaveText(
    'The companion has the sign-in and watches the mailbox.',
  );
  await recordSteps(popup);
  await box.locator('[data-verify="round-trip"]').check();
  await box.locator('[data-verify="start"]').click();

  await expect(box.locator('[data-verdict]')).toBeVisible({ timeout: 60_000 });
  await expect(box.locator('[data-verdict="ready"]')).toHaveText(READY_HEADLINE);
  for (const id of EVERY_STEP_IN_ORDER) {
    await expect(box.locator(`[data-step-id="${id}"]`), id).toHaveAttribute('data-step-status', 'ok');
  }

  // The steps arrived one after another, each shown running before the verdict came.
  const log = await stepLog(popup);
  const beforeVerdict = log.filter((entry) => !entry.verdict);
  expect(beforeVerdict.length).toBeGreaterThan(2);
  expect(beforeVerdict.some((entry) => entry.steps.some((s) => s.endsWith(':running')))).toBe(true);
  const firstSeen = [...new Set(log.flatMap((entry) => entry.steps.map((s) => s.split(':')[0])))];
  expect(firstSeen).toEqual(EVERY_STEP_IN_ORDER);

  // The server's own words, behind the "details" toggle.
  const smtpAuth = box.locator('[data-step-id="smtp-auth"]');
  await expect(smtpAuth.locator('[data-step-details]')).toBeHidden();
  await smtpAuth.locator('summary', { hasText: 'details' }).click();
  await expect(smtpAuth.locator('[data-step-details]')).toBeVisible();
  expect((await smtpAuth.locator('[data-step-details]').innerText()).length).toBeGreaterThan(0);

  // Tokens never reach the popup or the helpdesk page.
  const held = await worker.evaluate(
    async (a) =>
      ((await chrome.storage.session.get('signinTokens')).signinTokens as Record<string, { accessToken: string }>)[a],
    address,
  );
  expect(held?.accessToken).toBeTruthy();
  expect(await popup.content()).not.toContain(held!.accessToken);
  expect(await helpdesk.content()).not.toContain(held!.accessToken);
  expect(await helpdesk.content()).not.toContain(companion.secret!);

  // The helpdesk's own servers: saved for the mailbox, handed over again, and the next run connects there.
  const servers = box.locator('details.servers');
  await servers.locator('summary').click();
  await expect(servers.locator('input[name="imap-host"]')).toHaveValue('outlook.office365.com');
  await expect(servers.locator('input[name="smtp-port"]')).toHaveValue('587');
  await servers.locator('input[name="smtp-port"]').fill('465');
  await expect(servers.locator('[data-servers="microsoft-465"]')).toContainText(
    'Microsoft does not answer SMTP on port 465',
  );
  await servers.locator('input[name="imap-host"]').fill('mail.reauth.test');
  await servers.locator('input[name="smtp-host"]').fill('mail.reauth.test');
  await servers.locator('input[name="smtp-port"]').fill('587');
  await servers.locator('[data-servers="save"]').click();
  await expect(servers).toContainText('Saved.');
  await expect(box).toHaveAttribute('data-handoff-status', 'handed-over');
  await box.locator('[data-verify="round-trip"]').uncheck();
  await box.locator('[data-verify="start"]').click();
  await expect(box).toHaveAttribute('data-run-status', 'done', { timeout: 60_000 });
  await expect(box.locator('[data-step-id="tcp"]')).toContainText('mail.reauth.test');
  await expect(box.locator('[data-step-id="smtp-connect"]')).toContainText('mail.reauth.test');
  await expect(box.locator('[data-verdict="ready"]')).toBeVisible();
  await expect(box.locator('[data-step-id="round-trip"]')).toHaveAttribute('data-step-status', 'skipped');
  await popup.close();
  await helpdesk.close();
});

test('SMTP AUTH disabled for the tenant: the verdict names the Exchange admin center fix', async () => {
  test.setTimeout(120_000);
  const address = ACCOUNTS.smtpDisabled.email;
  const helpdesk = await openHelpdesk(address);
  const popup = await openPopup(context);
  await signInAndHandOver(popup, address);

  const box = verifyPanel(popup, address);
  await box.locator('[data-verify="start"]').click();
  const verdict = box.locator('[data-verdict="fix"]');
  await expect(verdict).toBeVisible({ timeout: 60_000 });
  await expect(verdict.locator('.verdict-headline')).toContainText('SMTP AUTH is turned off for the organisation');
  await expect(verdict.locator('[data-fix="smtp-auth-disabled-tenant"] li').first()).toContainText(
    'Exchange admin center (https://admin.exchange.microsoft.com) > Settings > Mail flow: untick "Turn off SMTP AUTH ' +
      'protocol for your organization"',
  );
  await expect(box.locator('[data-step-id="imap-auth"]')).toHaveAttribute('data-step-status', 'ok');
  const smtpAuth = box.locator('[data-step-id="smtp-auth"]');
  await expect(smtpAuth).toHaveAttribute('data-step-status', 'failed');
  await smtpAuth.locator('summary', { hasText: 'details' }).click();
  await expect(smtpAuth.locator('[data-step-details]')).toContainText('5.7.139');
  await popup.close();
  await helpdesk.close();
});

test('Wrong account picked: the guard fires and nothing reaches the companion', async () => {
  test.setTimeout(120_000);
  const address = ACCOUNTS.imapDisabled.email;
  const helpdesk = await openHelpdesk(address);
  const popup = await openPopup(context);
  const picker = await startSignIn(context, popup, address);
  await pickAccount(picker, ACCOUNTS.wrongUser.email);
  await expect(panel(popup, address)).toHaveAttribute('data-signin-step', 'wrong-account');
  // A handoff starts the moment tokens are held. One round trip through the worker and the companion first,
  // so a handoff that had started would show in the popup and in the companion's list.
  await popup.locator('[data-monitored]').waitFor();
  await popup.evaluate(() => chrome.runtime.sendMessage({ kind: 'companion-refresh' }));
  await expect(popup.locator(`[data-verify-mailbox="${address}"]`)).toHaveCount(0);
  const listed = await fetch(`${companion.url}/v1/mailboxes`, {
    headers: { authorization: `Bearer ${companion.secret}` },
  }).then((r) => r.json());
  expect((listed as { mailboxes: Array<{ address: string }> }).mailboxes.map((m) => m.address).sort()).toEqual(
    [ACCOUNTS.smtpDisabled.email, ACCOUNTS.support.email].sort(),
  );
  await popup.close();
  await helpdesk.close();
});

test(
  'No helpdesk tab open: the popup shows each monitored mailbox with its state and countdown, the badge counts ' +
    'the broken one, and the outage report shows on reconnect',
  async () => {
    test.setTimeout(150_000);
    for (const page of context.pages()) if (page.url().includes('freshdesk.com')) await page.close();
    const popup = await openPopup(context);
    await expect(popup.locator('section.tab')).toHaveCount(0);

    const support = popup.locator(`[data-monitored-address="${ACCOUNTS.support.email}"]`);
    const broken = popup.locator(`[data-monitored-address="${ACCOUNTS.smtpDisabled.email}"]`);
    await expect(support).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
    await expect(support.locator('[data-monitored-line]')).toHaveText(/^Connected\. Next check in \d+:\d\d\.$/);
    await expect(broken).toHaveAttribute('data-status', /retrying|disconnected/, { timeout: 30_000 });
    // A countdown: on a loaded machine the first retries (3 s apart here) may reach the popup only once due
    // ("retry 1 of 8 now"); a later, longer one shows its countdown.
    await expect(broken.locator('[data-monitored-line]')).toHaveText(
      /(retry \d of 8 in \d+:\d\d|all 8 retries failed\. Next check in \d+:\d\d)/,
      { timeout: 30_000 },
    );
    await expect(broken).toContainText('SMTP AUTH is turned off for the organisation');

    // The badge: the companion's count of broken mailboxes on every tab without a helpdesk badge of its own.
    await expect
      .poll(
        async () =>
          (await badges()).find((b) => b.url.startsWith(`chrome-extension://${EXTENSION_ID}/popup.html`))?.text,
      )
      .toBe('1');
    const title = await worker.evaluate(() => chrome.action.getTitle({}));
    expect(title).toContain(`${ACCOUNTS.smtpDisabled.email} (`);

    // A helpdesk tab keeps its own count (three broken rows on the replica) over the companion's.
    const helpdesk = await openHelpdesk(ACCOUNTS.support.email);
    await expect.poll(async () => (await badges()).find((b) => b.url.includes('acme.freshdesk.com'))?.text).toBe('3');
    // Leaving the helpdesk drops the tab's own badge: the companion's count shows there again.
    fixtures.route('/elsewhere', '<!doctype html><title>Elsewhere</title><p>Not a helpdesk.</p>');
    await helpdesk.goto(fixtures.url('intranet.example.test', '/elsewhere'));
    await expect
      .poll(async () => (await badges()).find((b) => b.url.includes('intranet.example.test'))?.text)
      .toBe('1');
    await helpdesk.close();

    // The tenant turns SMTP AUTH back on; mail arrives meanwhile; the next retry passes and the report shows it.
    const subject = `Arrived while SMTP was refused ${Date.now()}`;
    await stack.imap.deliver(
      ACCOUNTS.smtpDisabled.email,
      `From: customer@example.test\r\nTo: ${ACCOUNTS.smtpDisabled.email}\r\nSubject: ${subject}\r\nMessage-ID: ` +
        `<outage-${Date.now()}@example.test>\r\n\r\nHello\r\n`,
    );
    stack.smtp.setAuthBehaviour(ACCOUNTS.smtpDisabled.email, 'ok');
    try {
      await expect(broken).toHaveAttribute('data-status', 'connected', { timeout: 60_000 });
      const report = broken.locator(`[data-outage-report="${ACCOUNTS.smtpDisabled.email}"]`);
      await expect(report).toBeVisible({ timeout: 20_000 });
      await report.locator('summary').click();
      await expect(report.locator('[data-report="received"]')).toContainText(subject);
      const popupUrl = `chrome-extension://${EXTENSION_ID}/popup.html`;
      await expect.poll(async () => (await badges()).find((b) => b.url.startsWith(popupUrl))?.text).toBe('');
      await popup.close();
    } finally {
      stack.smtp.setAuthBehaviour(ACCOUNTS.smtpDisabled.email, 'smtp-auth-disabled');
    }
  },
);

test(
  'Signed in before the companion is paired: the popup ' + 'says so, and the sign-in goes over once it is paired',
  async () => {
    test.setTimeout(120_000);
    const options = await openOptions();
    await options.locator('[data-companion="forget"]').click();
    await expect(options.locator('[data-companion="paired"]')).toHaveText('Not paired yet.');

    const address = ACCOUNTS.support.email;
    const helpdesk = await openHelpdesk(address);
    const popup = await openPopup(context);
    await expect(popup.locator('[data-monitored]')).toContainText('Pair the companion to verify mailboxes');
    const picker = await startSignIn(context, popup, address);
    await pickAccount(picker, address);
    const box = verifyPanel(popup, address);
    await expect(box).toHaveAttribute('data-handoff-status', 'not-paired');
    await expect(box.locator('[data-handoff="not-paired"]')).toContainText('open Options > Companion');
    await expect(box.locator('[data-verify="start"]')).toHaveCount(0);

    await options.locator('input[name="companionUrl"]').fill(companion.url);
    await options.locator('input[name="pairingSecret"]').fill(companion.secret!);
    await options.locator('[data-companion="save"]').click();
    await expect(box).toHaveAttribute('data-handoff-status', 'handed-over', { timeout: 20_000 });
    await box.locator('[data-verify="start"]').click();
    await expect(box.locator('[data-verdict="ready"]')).toBeVisible({ timeout: 60_000 });
    await options.close();
    await popup.close();
    await helpdesk.close();
  },
);
