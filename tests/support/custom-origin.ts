/// <reference types="chrome" />
/**
 * Enabling a helpdesk on its own domain the way an admin does: Options > Helpdesk addresses > Add. Chromium
 * asks for the host permission in a bubble Playwright cannot click; in a test profile the extensions page's
 * own API (chrome.developerPrivate.addHostPermission, what its "Site access" control calls) grants the site
 * first, after which the options page's permissions.request resolves without a prompt. The rest (request,
 * runtime registration of the content script) is the product's own code path.
 */
import { expect, type BrowserContext } from '@playwright/test';
import { EXTENSION_ID } from './extension';

export async function grantSiteAccess(context: BrowserContext, origin: string): Promise<void> {
  const page = await context.newPage();
  await page.goto('chrome://extensions/');
  await page.evaluate(
    ([id, pattern]) =>
      (
        chrome as unknown as { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } }
      ).developerPrivate.addHostPermission(id, pattern),
    [EXTENSION_ID, `${origin}/*`] as const,
  );
  await page.close();
}

/** Grants the site and adds it in Options > Helpdesk addresses; resolves once the options page says it is active. */
export async function addHelpdeskOrigin(context: BrowserContext, origin: string): Promise<void> {
  await grantSiteAccess(context, origin);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  const section = options.getByRole('region', { name: 'Helpdesk addresses' });
  await section.getByRole('textbox', { name: 'Helpdesk address' }).fill(origin);
  await section.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(
    section.getByRole('list', { name: 'Added helpdesk addresses' }).getByRole('listitem').filter({ hasText: origin }),
  ).toContainText('Active');
  await options.close();
}
