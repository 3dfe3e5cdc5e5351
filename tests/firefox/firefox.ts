/**
 * Debian's Firefox ESR driven over WebDriver BiDi (puppeteer-core; Playwright needs its own patched Firefox),
 * with the built Firefox extension installed as a temporary add-on at a pinned moz-extension:// UUID, and
 * every production host name reaching the local test servers through a CONNECT proxy (Firefox has no
 * --host-resolver-rules). Facts behind each choice: docs/firefox-testing.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr';
export const FIREFOX_EXTENSION_DIR = fileURLToPath(
  new URL(`../../${process.env.REAUTH_OUT ?? '.output'}/firefox-mv3/`, import.meta.url),
);
/** Pinned with extensions.webextensions.uuids so the extension's pages have a known address. */
export const EXTENSION_UUID = '7d6b6c8e-3c1a-4f6e-9d1e-2a4f0c5b8e11';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

/** Throws (never skips) when Firefox or the Firefox build is missing, with the command that fixes it. */
export function assertFirefoxReady(): void {
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `Firefox ESR is not installed (${FIREFOX} missing). Run: bash scripts/ensure-system.sh ` +
        '(or apt-get install -y --no-install-recommends firefox-esr), or set FIREFOX_PATH.',
    );
  }
  if (!existsSync(`${FIREFOX_EXTENSION_DIR}manifest.json`)) {
    throw new Error(
      `The Firefox build is missing (${FIREFOX_EXTENSION_DIR}manifest.json). Run: ` +
        `REAUTH_OUT=${process.env.REAUTH_OUT ?? '.output'} npx wxt build -b firefox --mv3`,
    );
  }
}

/** The add-on id in the build under test (browser_specific_settings.gecko.id, from wxt.config.ts). */
function geckoId(): string {
  const manifest = JSON.parse(readFileSync(`${FIREFOX_EXTENSION_DIR}manifest.json`, 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${FIREFOX_EXTENSION_DIR}manifest.json has no browser_specific_settings.gecko.id`);
  return id;
}

/** Firefox with the extension installed; every https:// request goes through the proxy on `proxyPort`. */
export async function launchFirefoxWithExtension(proxyPort: number, extraPrefs: Record<string, unknown> = {}): Promise<Browser> {
  assertFirefoxReady();
  const id = geckoId();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // The test servers present a certificate from the test CA; this trusts it for this session only.
    acceptInsecureCerts: true,
    // Without it BiDi refuses to navigate a tab to moz-extension:// ("not allowed in this context").
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [id]: EXTENSION_UUID }),
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxyPort,
      ...extraPrefs,
    },
  });
  try {
    const installed = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    if (installed !== id) throw new Error(`Installed add-on id ${installed}, expected ${id}`);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return browser;
}

type BidiNavigable = { browsingContext?: { navigate(url: string, wait: 'complete'): Promise<unknown> } };

/**
 * Loads an extension page (popup.html, options.html) in `page`. Firefox answers the BiDi navigate command
 * for moz-extension:// documents but sends no load events for them, so page.goto() would wait forever;
 * the navigate command itself (wait: complete) is enough.
 */
export async function gotoExtensionPage(page: Page, path: string): Promise<void> {
  const frame = page.mainFrame() as unknown as BidiNavigable;
  if (!frame.browsingContext) throw new Error('puppeteer-core no longer exposes the BiDi browsing context (see tests/firefox/firefox.ts)');
  await frame.browsingContext.navigate(`${EXTENSION_ORIGIN}/${path}`, 'complete');
}

export async function openExtensionPage(browser: Browser, path: string): Promise<Page> {
  const page = await browser.newPage();
  await gotoExtensionPage(page, path);
  return page;
}
