/// <reference types="chrome" />
/**
 * Helpers for tests that look at the extension's own state (tabs, badge, permissions) from its worker,
 * and serve the helpdesk replica pages under the paths the real helpdesk uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { EXTENSION_ID } from './extension';
import { FIXTURES_DIR, type FixtureServer } from './fixture-server';

/** Serve tests/fixtures/<file> at `path` on `host` and return the page's URL. */
export function serveFixture(fixtures: FixtureServer, file: string, path: string, host: string): string {
  fixtures.route(path, readFileSync(join(FIXTURES_DIR, file), 'utf8'));
  return fixtures.url(host, path);
}

/** The browser's tab id of the tab showing `url` (exact match). */
export async function tabIdOf(worker: Worker, page: Page): Promise<number> {
  const url = page.url();
  return worker.evaluate(async (wanted) => {
    const tabs = await chrome.tabs.query({});
    const tab = tabs.find((t) => t.url === wanted);
    if (tab?.id === undefined) throw new Error(`no tab shows ${wanted}`);
    return tab.id;
  }, url);
}

export async function badgeText(worker: Worker, tabId: number): Promise<string> {
  return worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

export async function badgeTitle(worker: Worker, tabId: number): Promise<string> {
  return worker.evaluate((id) => chrome.action.getTitle({ tabId: id }), tabId);
}

/**
 * Stops the extension's service worker as Chromium does when it is idle (chrome://serviceworker-internals
 * "Stop"), then wakes it by loading `wakeUrl`. Every page is opened before the stop: Playwright cannot
 * create pages while the worker target is stopped. Returns the page that woke the worker.
 *
 * `whileStopped` runs once the worker is stopped, on a page of the extension's origin that never talks to the
 * worker (its manifest.json, with the extension's APIs): state it writes (storage.session, storage.local) is
 * what the next worker finds, and no write of the stopped one (a poll's save still on its way) can land after it.
 */
export async function restartWorker(
  context: BrowserContext,
  wakeUrl: string,
  whileStopped?: (extensionPage: Page) => Promise<void>,
): Promise<Page> {
  const wake = await context.newPage();
  const internals = await context.newPage();
  const quiet = whileStopped ? await context.newPage() : null;
  await quiet?.goto(`chrome-extension://${EXTENSION_ID}/manifest.json`);
  await internals.goto('chrome://serviceworker-internals/');
  const running = internals.locator('.serviceworker-running-status .value').first();
  await expect(running).toHaveText('RUNNING');
  await internals.getByRole('button', { name: 'Stop' }).first().click();
  await expect(running).toHaveText('STOPPED');
  if (quiet && whileStopped) {
    await whileStopped(quiet);
    await quiet.close();
  }
  await wake.goto(wakeUrl);
  await expect(running).toHaveText('RUNNING');
  await internals.close();
  return wake;
}
