/**
 * No wrong state while the popup loads: watched from the page's first script on (a MutationObserver added with
 * addInitScript records the text of every change), a popup opened over a helpdesk tab with four mailboxes
 * needing reauthorization never shows, even for one frame, the empty state, "No Client ID", an empty history or
 * a count other than the right one; the first text it shows is the complete picture. The options page likewise
 * never shows "Loading…" and shows all its sections at once. No timings here: how fast is measured by
 * `npm run bench` (scripts/bench-popup.ts).
 */
import { EXTENSION_ID } from '../support/extension';
import { expect, MAILBOXES, test } from './signin-support';

interface Seen {
  texts: string[];
  readyText: string | null;
}

/** Runs in the page from its first script on: the page's text after every change, and at the ready mark. */
function recordEveryText(readyAttribute: string): void {
  const seen: Seen = { texts: [], readyText: null };
  (globalThis as { __seen?: Seen }).__seen = seen;
  const record = () => {
    const text = document.body?.innerText ?? '';
    if (text !== seen.texts.at(-1)) seen.texts.push(text);
    if (seen.readyText === null && document.documentElement.hasAttribute(readyAttribute)) seen.readyText = text;
  };
  new MutationObserver(record).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
  });
}

const WRONG = [
  'No helpdesk email settings open',
  'No Client ID is set',
  'No mailbox has needed reauthorization yet',
  'Loading',
  'No support emails on this page',
];

test('the popup shows nothing wrong before the right picture, and marks itself ready with it', async ({
  context,
  popup,
}) => {
  await expect(popup.locator('li.mailbox')).toHaveCount(MAILBOXES.length);
  await popup.close();
  const page = await context.newPage();
  await page.addInitScript(recordEveryText, 'data-popup-ready');
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  await page.locator('[data-popup-ready="true"]').waitFor();
  await expect(page.getByTestId('summary')).toHaveText('4 of 4 support emails need reauthorization');
  const seen = (await page.evaluate(() => (globalThis as { __seen?: Seen }).__seen)) as Seen;

  expect(seen.texts.length).toBeGreaterThan(0);
  for (const text of seen.texts) {
    for (const wrong of WRONG) expect(text, `a moment of the popup showed "${wrong}"`).not.toContain(wrong);
    const count = /(\d+) of (\d+) support emails? needs? reauthorization/.exec(text);
    if (count) expect(count.slice(1)).toEqual(['4', '4']);
  }
  // The first moment any mailbox is on screen, all of them and their actions are.
  const first = seen.texts.find((t) => MAILBOXES.some((m) => t.includes(m.address)));
  for (const mailbox of MAILBOXES) expect(first).toContain(mailbox.address);
  expect(first).toContain('4 of 4 support emails need reauthorization');
  expect(first).toContain('Check the mailbox');
  expect(seen.readyText).toContain('4 of 4 support emails need reauthorization');
});

const OPTIONS_SECTIONS = [
  'Helpdesk addresses',
  'Sign-in (OAuth clients)',
  "Account picker on the helpdesk's sign-in",
  'Companion',
  'Alerts',
];

test('the options page shows no "Loading…" and all its sections at once', async ({ context }) => {
  // Opened once before, as the popup is above: the worker has started and the page's script is compiled, so the
  // page's patience (components/options/options-ready.ts) does not run out on a busy machine's cold start.
  const warm = await context.newPage();
  await warm.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await warm.locator('[data-options-ready="true"]').waitFor({ state: 'attached' });
  await warm.close();
  const page = await context.newPage();
  await page.addInitScript(recordEveryText, 'data-options-ready');
  await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await page.locator('[data-options-ready="true"]').waitFor({ state: 'attached' });
  await expect(page.getByRole('heading', { name: 'Alerts' })).toBeVisible();
  const seen = (await page.evaluate(() => (globalThis as { __seen?: Seen }).__seen)) as Seen;
  for (const text of seen.texts) expect(text, 'a moment of the options page').not.toContain('Loading');
  const first = seen.texts.find((t) => OPTIONS_SECTIONS.some((heading) => t.includes(heading)));
  for (const heading of OPTIONS_SECTIONS) expect(first, 'the first text with a section').toContain(heading);
  for (const heading of OPTIONS_SECTIONS) expect(seen.readyText).toContain(heading);
});
