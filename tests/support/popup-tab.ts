/** The popup, opened as a page, and its section for one helpdesk tab (by the tab's host). */
import type { BrowserContext, Locator } from '@playwright/test';
import { EXTENSION_ID } from './extension';

export async function popupTabFor(context: BrowserContext, host: string): Promise<Locator> {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  return popup.locator('section.tab', { hasText: host });
}
