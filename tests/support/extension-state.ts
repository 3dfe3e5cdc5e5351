/// <reference types="chrome" />
/**
 * Helpers for tests that look at the extension's own state (tabs, badge, permissions) from its worker,
 * and serve the helpdesk replica pages under the paths the real helpdesk uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
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
 * "Stop"), then wakes it by loading `wakeUrl`. Both pages are opened before the stop: Playwright cannot
 * create pages while the worker target is stopped. Returns the page that woke the worker.
 */
export async function restartWorker(context: BrowserContext, wakeUrl: string): Promise<Page> {
  const wake = await context.newPage();
  const internals = await context.newPage();
  await internals.goto('chrome://serviceworker-internals/');
  const running = internals.locator('.serviceworker-running-status .value').first();
  await expect(running).toHaveText('RUNNING');
  await internals.getByRole('button', { name: 'Stop' }).first().click();
  await expect(running).toHaveText('STOPPED');
  await wake.goto(wakeUrl);
  await expect(running).toHaveText('RUNNING');
  await internals.close();
  return wake;
}
