/// <reference types="chrome" />
/**
 * Accessibility of the extension's own pages in Debian Chromium with the built extension: axe-core
 * (@axe-core/playwright) on the popup in each of its states (empty, mailboxes needing reauthorization, a
 * sign-in under way, a verification's steps and verdict) and on the options page, in the light and the dark
 * colour scheme: no serious or critical violation. Then the keyboard: every control of the popup and the
 * options page is reached with Tab, and the focused one shows a visible focus ring.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { ACCOUNTS } from '../stack';
import { EXTENSION_ID, openPopup } from '../support/extension';
import { restartWorker } from '../support/extension-state';
import { expect, panel, startSignIn, test } from './signin-support';

const SCHEMES = ['light', 'dark'] as const;
const READY = '[data-popup-ready="true"]';

/** axe's serious and critical findings, as readable lines (rule, impact, the first offending elements). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), `${scheme} scheme`).toEqual([]);
  }
}

async function readyPopup(page: Page): Promise<void> {
  await page.locator(READY).waitFor();
}

test('popup, empty state: no serious or critical violation in light and dark', async ({ context, worker }) => {
  await worker.evaluate(() => true);
  const popup = await openPopup(context);
  await readyPopup(popup);
  await expect(popup.getByRole('heading', { name: 'No helpdesk email settings open' })).toBeVisible();
  await expectNoSeriousViolations(popup);
});

test('popup with mailboxes needing reauthorization, and the options page: no serious or critical violation', async ({
  context,
  popup,
}) => {
  await readyPopup(popup);
  await expect(popup.locator('li.mailbox')).toHaveCount(4);
  await expect(popup.getByRole('button', { name: 'Reauthorize in Freshdesk' })).toHaveCount(4);
  await expectNoSeriousViolations(popup);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  await options.locator('[data-companion-settings]').waitFor();
  await expectNoSeriousViolations(options);
});

test('popup with a sign-in under way (its progress and the provider choice beside it): no serious violation', async ({
  context,
  popup,
}) => {
  const picker = await startSignIn(context, popup, ACCOUNTS.support.email);
  await expect(panel(popup, ACCOUNTS.support.email)).toHaveAttribute('data-signin-step', /opening|waiting/);
  await expect(panel(popup, ACCOUNTS.support.email).getByRole('list', { name: 'Sign-in progress' })).toBeVisible();
  await expectNoSeriousViolations(popup);
  await picker.close();
});

test("popup with a verification's steps and verdict: no serious or critical violation", async ({
  context,
  popup,
  fixtures,
}) => {
  const mailbox = ACCOUNTS.support.email;
  // What the worker keeps about a finished verification (entrypoints/background/companion/view-store.ts), put
  // where it restores it from while it is stopped (a save of the running worker, e.g. of the poll the fixture's
  // popup started, could otherwise land after it), then read by the worker that wakes, as after the browser
  // stopped it.
  await popup.close();
  const wake = await restartWorker(context, fixtures.url('acme.freshdesk.com', '/a/admin/email'), (extensionPage) =>
    extensionPage.evaluate(
      async ({ mailbox, now }) => {
        const step = (id: string, status: string, title: string, summary: string) => ({
          id,
          status,
          title,
          summary,
          details: '',
        });
        const steps = [
          step('imap-auth', 'ok', 'Sign in to IMAP with OAuth', 'IMAP accepted the token.'),
          step('smtp-auth', 'failed', 'Sign in to SMTP with OAuth', 'SMTP AUTH is turned off for this mailbox.'),
        ];
        await chrome.storage.session.set({
          companionView: {
            handoffs: [{ mailbox, status: 'failed', error: 'The companion did not answer.', at: now }],
            runs: [
              {
                mailbox,
                status: 'done',
                roundTrip: false,
                startedAt: now,
                steps,
                verdict: {
                  ready: false,
                  headline: 'SMTP AUTH is turned off',
                  fixFirst: {
                    diagnosis: 'smtp-auth-disabled',
                    step: 'smtp-auth',
                    cause: 'Your organisation turned off SMTP AUTH.',
                    fix: ['Turn on Authenticated SMTP for the mailbox.'],
                  },
                  steps,
                },
              },
            ],
            reports: [],
            monitored: { fetchedAt: null, clockOffsetMs: 0, mailboxes: [], error: null },
          },
        });
      },
      { mailbox, now: Date.now() },
    ),
  );
  await expect(wake.locator('[data-reauth-state="needs-reauth"]')).toHaveCount(4);
  const reopened = await openPopup(context);
  await readyPopup(reopened);
  // Two helpdesk tabs list the mailbox now (the fixture's and the one that woke the worker): the first is checked.
  const verify = reopened.locator(`[data-verify-mailbox="${mailbox}"]`).first();
  // The restarted worker restores the run from session storage on its own time: slow on a loaded machine.
  await expect(verify.locator('.verdict')).toContainText('SMTP AUTH is turned off', { timeout: 30_000 });
  await expect(verify.getByRole('button', { name: 'Hand over again' })).toBeVisible();
  await expectNoSeriousViolations(reopened);
});

/** Tab through the page from its start; returns a description of each element focused, in order. */
async function tabOrder(page: Page, presses: number): Promise<Array<{ key: string; ring: boolean }>> {
  await page.locator('body').focus();
  const seen: Array<{ key: string; ring: boolean }> = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const now = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      return { key: el.dataset.tabKey ?? '', ring };
    });
    if (now) seen.push(now);
  }
  return seen;
}

/** Labels every visible, enabled control with a key, so the tab order can be compared with the list. */
async function labelControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('button, a[href], input, select, summary')].filter(
      (el) => el.getClientRects().length > 0 && !(el as HTMLButtonElement).disabled,
    );
    return controls.map((el, i) => {
      el.dataset.tabKey = String(i);
      return String(i);
    });
  });
}

test('keyboard: every control of the popup and the options page is reached with Tab and shows its focus', async ({
  context,
  popup,
}) => {
  await readyPopup(popup);
  await expect(popup.locator('li.mailbox')).toHaveCount(4);
  for (const page of [popup, await context.newPage()]) {
    if (page !== popup) {
      await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
      await page.locator('[data-companion-settings]').waitFor();
    }
    const controls = await labelControls(page);
    expect(controls.length).toBeGreaterThan(5);
    const order = await tabOrder(page, controls.length + 2);
    expect(new Set(order.map((o) => o.key))).toEqual(new Set(controls));
    expect(order.filter((o) => !o.ring)).toEqual([]);
  }
});
