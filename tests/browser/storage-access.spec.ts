/// <reference types="chrome" />
/**
 * What our content script's own world can reach: nothing of the extension's storage. The pairing secret
 * lives in storage.local (closed to content scripts by the worker, storage-lockdown.ts) and tokens in
 * storage.session (closed by default). Checked from inside the content script's isolated world of a real
 * helpdesk page, reached through the DevTools protocol, with a secret really saved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../support/extension';
import { FIXTURES_DIR } from '../support/fixture-server';

async function inContentScriptWorld(page: import('@playwright/test').Page, expression: string): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: Array<{ id: number; name: string; auxData?: { type?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
  await cdp.send('Runtime.enable');
  const world = worlds.find((w) => w.auxData?.type === 'isolated' && w.name === 'Reauth Assist');
  if (!world)
    throw new Error(
      `No isolated world of Reauth Assist in ${page.url()}: ${JSON.stringify(worlds.map((w) => w.name))}`,
    );
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression,
    contextId: world.id,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) return `threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`;
  return String(result.value);
}

test('the content script cannot read storage.local (pairing secret) or storage.session (tokens)', async ({
  context,
  worker,
  fixtures,
}) => {
  await worker.evaluate(async () => {
    await chrome.storage.local.set({ companionPairing: { url: 'http://127.0.0.1:8787', secret: 'S'.repeat(43) } });
    await chrome.storage.session.set({ signinTokens: { 'support@contoso.test': { accessToken: 'T'.repeat(40) } } });
  });
  fixtures.route('/a/admin/email', readFileSync(join(FIXTURES_DIR, 'freshdesk/a/admin/email/index.html'), 'utf8'));
  const page = await context.newPage();
  await page.goto(fixtures.url('acme.freshdesk.com', '/a/admin/email'));
  await expect(page.locator('[data-reauth-assist="banner"]')).toHaveCount(1);

  // The world is ours: it sees the extension's runtime id.
  expect(await inContentScriptWorld(page, 'chrome.runtime.id')).toBe(new URL(worker.url()).host);
  for (const area of ['local', 'session']) {
    const read = await inContentScriptWorld(page, `chrome.storage.${area}.get(null).then((v) => JSON.stringify(v))`);
    expect(read, area).toMatch(/^threw: .*(not allowed|denied|Access)/i);
    expect(read, area).not.toContain('S'.repeat(43));
  }
});
