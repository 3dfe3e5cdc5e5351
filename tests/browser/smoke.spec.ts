import { test, expect, EXTENSION_ID } from '../support/extension';

test('the built extension loads with its pinned id', async ({ worker }) => {
  expect(new URL(worker.url()).host).toBe(EXTENSION_ID);
});

test('test host names reach the fixture server on loopback', async ({ context, fixtures }) => {
  fixtures.route('/smoke', '<h1>hello</h1>');
  const page = await context.newPage();
  await page.goto(fixtures.url('acme.freshdesk.com', '/smoke'));
  await expect(page.locator('h1')).toHaveText('hello');
});
