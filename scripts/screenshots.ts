/**
 * `npm run screenshots`: the README's screenshots (docs/screenshots/, light and dark) and the store listing's
 * 1280x800 screenshots (docs/store/), made from the real screens: the built extension in Debian Chromium over
 * the Freshdesk replica of the sandbox (demo/helpdesk.ts) with its marks, the popup as it lists the mailboxes,
 * and a real sign-in through the test identity provider (its account picker, then the wrong-account guard).
 * Run it again after any change to the marks, the popup or the tokens: it rewrites every file it owns.
 *
 *   npm run screenshots            (builds the extension first)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { EMAIL_SETTINGS_PATH, HELPDESK_HOST, emailSettingsPage } from '../demo/helpdesk';
import { ACCOUNTS, CLIENTS, startIdentityProvider } from '../tests/stack';
import { EXTENSION_ID, extensionWorker, launchWithExtension } from '../tests/support/extension';
import { startFixtureServer } from '../tests/support/fixture-server';

const README_DIR = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const STORE_DIR = fileURLToPath(new URL('../docs/store/', import.meta.url));
const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];
const STORE = { width: 1280, height: 800 };
const POPUP_WIDTH = 400;

/** `name.png` for the light scheme, `name-dark.png` for the dark one (the README's <picture> pairs them). */
const file = (dir: string, name: string, scheme: Scheme) => `${dir}${name}${scheme === 'dark' ? '-dark' : ''}.png`;

async function openPopupPage(context: BrowserContext, scheme: Scheme): Promise<Page> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: POPUP_WIDTH, height: 1400 });
  await popup.emulateMedia({ colorScheme: scheme });
  await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await popup.locator('[data-popup-ready="true"]').waitFor();
  return popup;
}

/** The popup as the toolbar shows it: its own width, as tall as its content (clipped at `maxHeight`). */
async function popupShot(popup: Page, maxHeight: number): Promise<Buffer> {
  const box = (await popup.locator('main.popup').boundingBox())!;
  return popup.screenshot({ clip: { x: 0, y: 0, width: POPUP_WIDTH, height: Math.min(box.height, maxHeight) } });
}

/** A store screenshot: the helpdesk page at 1280x800 with the popup open over it, top right, under the toolbar. */
async function composite(context: BrowserContext, page: Buffer, popup: Buffer, scheme: Scheme): Promise<Buffer> {
  const canvas = await context.newPage();
  await canvas.setViewportSize(STORE);
  await canvas.emulateMedia({ colorScheme: scheme });
  const url = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
  await canvas.setContent(`<!doctype html><style>
    body { margin: 0; width: ${STORE.width}px; height: ${STORE.height}px; overflow: hidden; position: relative; }
    .page { display: block; width: 100%; height: 100%; object-fit: cover; object-position: top left; }
    .popup { position: absolute; top: 6px; right: 24px; width: ${POPUP_WIDTH}px; max-height: ${STORE.height - 18}px;
      object-fit: cover; object-position: top; border-radius: 8px;
      box-shadow: 0 12px 32px rgb(0 0 0 / 35%), 0 0 0 1px rgb(0 0 0 / 20%); }
  </style><img class="page" src="${url(page)}"><img class="popup" src="${url(popup)}">`);
  await canvas.locator('img.popup').evaluate((img: HTMLImageElement) => img.decode());
  const shot = await canvas.screenshot();
  await canvas.close();
  return shot;
}

async function element(locator: Locator, path: string): Promise<void> {
  await locator.screenshot({ path });
}

mkdirSync(README_DIR, { recursive: true });
mkdirSync(STORE_DIR, { recursive: true });
const idp = await startIdentityProvider();
const fixtures = await startFixtureServer();
const context = await launchWithExtension([], idp.hostResolverRules);
try {
  const worker = await extensionWorker(context);
  await worker.evaluate(
    async (clientId) =>
      chrome.storage.local.set({
        signinSettings: { microsoft: { clientId }, google: { clientId, redeemVia: 'extension' }, generic: [] },
      }),
    CLIENTS.public.clientId,
  );
  fixtures.route(EMAIL_SETTINGS_PATH, emailSettingsPage());
  const helpdesk = await context.newPage();
  await helpdesk.setViewportSize(STORE);
  await helpdesk.goto(fixtures.url(HELPDESK_HOST, EMAIL_SETTINGS_PATH));
  await helpdesk.locator('[data-reauth-state="needs-reauth"]').first().waitFor({ state: 'attached' });
  await helpdesk.waitForTimeout(500); // the marks settle (they are drawn in a frame after detection)
  // One mark opened, on the primary mailbox: whatever opens it (a summary or a button inside the mark).
  const mark = helpdesk.locator('tr', { hasText: ACCOUNTS.support.email }).locator('reauth-assist-mark').first();
  await mark
    .locator('summary, button')
    .first()
    .click({ timeout: 5000 })
    .catch(() => console.log('No mark to open on the primary mailbox: marks.png shows them closed.'));

  for (const scheme of SCHEMES) {
    await helpdesk.emulateMedia({ colorScheme: scheme });
    await helpdesk.evaluate(() => window.scrollTo(0, 0)); // opening the mark may have scrolled it into view
    await helpdesk.screenshot({ path: file(README_DIR, 'marks', scheme) });
    const page = await helpdesk.screenshot();
    const popup = await openPopupPage(context, scheme);
    await element(popup.locator('main.popup'), file(README_DIR, 'popup-list', scheme));
    const over = await composite(context, page, await popupShot(popup, STORE.height), scheme);
    writeFileSync(file(STORE_DIR, '1-popup-over-helpdesk', scheme), over);
    const options = await context.newPage();
    await options.setViewportSize(STORE);
    await options.emulateMedia({ colorScheme: scheme });
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    await options.locator('[data-companion-settings]').waitFor();
    await options.screenshot({ path: file(STORE_DIR, '3-options', scheme) });
    await options.close();
    await popup.close();
  }

  // A real sign-in for the first mailbox, where the browser picks the wrong account: the provider's picker, then
  // the guard in the popup (the same in both schemes: signed in once, drawn twice).
  const address = ACCOUNTS.support.email;
  const popup = await openPopupPage(context, 'light');
  const card = popup.locator(`li.mailbox[data-address="${address}"]`);
  const picker = context.waitForEvent('page', { predicate: (p) => !p.url().startsWith('chrome-extension://') });
  await card.locator('[data-signin="start"]').click();
  const signin = await picker;
  await signin.setViewportSize({ width: 520, height: 640 });
  await signin.locator(`button[data-account="${ACCOUNTS.wrongUser.email}"]`).waitFor();
  await signin.screenshot({ path: `${README_DIR}account-picker.png` });
  await signin.locator(`button[data-account="${ACCOUNTS.wrongUser.email}"]`).click();
  await card.locator('[data-signin-step="wrong-account"]').waitFor();
  for (const scheme of SCHEMES) {
    await popup.emulateMedia({ colorScheme: scheme });
    await helpdesk.emulateMedia({ colorScheme: scheme });
    await element(card, file(README_DIR, 'wrong-account', scheme));
    // The popup scrolled to the guard, as the admin sees it after the sign-in window closed.
    await popup.setViewportSize({ width: POPUP_WIDTH, height: STORE.height - 18 });
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const shot = await popup.screenshot();
    await popup.setViewportSize({ width: POPUP_WIDTH, height: 1400 });
    const png = await composite(context, await helpdesk.screenshot(), shot, scheme);
    writeFileSync(file(STORE_DIR, '2-wrong-account-guard', scheme), png);
  }
  console.log(`Screenshots written to ${README_DIR} and ${STORE_DIR}`);
} finally {
  await context.close();
  await fixtures.close();
  await idp.stop();
}
