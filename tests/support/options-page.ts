/// <reference types="chrome" />
/**
 * Driving the extension's options page the way an admin does: entering the OAuth Client IDs and pairing the
 * companion with the secret it printed at its first start. Used by the browser tests and the sandbox (demo/).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { EXTENSION_ID } from './extension';

export async function openOptions(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await page.locator('[data-companion-settings]').waitFor();
  return page;
}

/** Fills Options > Sign-in and saves; resolves once the page says "Saved.". */
export async function saveClientIds(options: Page, ids: { microsoft?: string; google?: string }): Promise<void> {
  const form = options.locator('form[data-form="signin-clients"]');
  if (ids.microsoft !== undefined) await form.locator('input[name="microsoftClientId"]').fill(ids.microsoft);
  if (ids.google !== undefined) await form.locator('input[name="googleClientId"]').fill(ids.google);
  await form.locator('button[type="submit"]').click();
  await form.getByText('Saved.', { exact: true }).waitFor();
}

/** Fills Options > Companion with the address and pairing secret, saves, and returns what the page then says. */
export async function pairCompanion(options: Page, url: string, secret: string): Promise<string> {
  await options.locator('input[name="companionUrl"]').fill(url);
  await options.locator('input[name="pairingSecret"]').fill(secret);
  await options.locator('[data-companion="save"]').click();
  const paired = options.locator('[data-companion="paired"]');
  await paired.getByText(`Paired with ${url}.`, { exact: true }).waitFor();
  return (await paired.innerText()).trim();
}

/** Presses Test connection (with the saved secret when the field is empty) and returns the verdict and text. */
export async function testCompanionConnection(options: Page): Promise<{ ok: boolean; text: string }> {
  await options.locator('[data-companion="test"]').click();
  const result = options.locator('[data-companion-test]');
  await result.waitFor();
  return { ok: (await result.getAttribute('data-companion-test')) === 'ok', text: (await result.innerText()).trim() };
}
