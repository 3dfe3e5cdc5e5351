/// <reference types="chrome" />
/**
 * The scripted tour of the sandbox: the path an admin clicks through, from the marked helpdesk page to the
 * verdicts. Every step reads what the page, the popup, the worker and the companion really show, compares it
 * with what the step expects, and takes a screenshot. Nothing here decides a result without looking.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { READY_HEADLINE } from '../lib/verification';
import { heldTokens, panel, pickAccount, startSignIn } from '../tests/browser/signin-support';
import { api } from '../tests/companion/companion-support';
import { ACCOUNTS } from '../tests/stack';
import { EXTENSION_ID, openPopup } from '../tests/support/extension';
import { DEMO_MAILBOXES } from './helpdesk';
import type { Sandbox } from './sandbox';

export interface TourStep {
  id: string;
  title: string;
  /** What the step expects, in words (the report shows it beside what was observed). */
  expected: string;
  status: 'passed' | 'failed' | 'not-reached';
  /** What the real page state was, as read from it. */
  observed?: unknown;
  /** File name of the screenshot, in the tour's output folder. */
  screenshot?: string;
  /** The same in the dark colour scheme (the README pairs them). */
  darkScreenshot?: string;
  error?: string;
}

interface StepOutcome {
  observed: unknown;
  ok: boolean;
  /** What to photograph: a whole page (viewport), one element, or a picture already taken at the right moment. */
  shot: Page | Locator | Buffer;
  /** With a picture taken at the right moment: the same moment in the dark colour scheme. */
  darkShot?: Buffer;
}

/** Photographs `shot` in the dark colour scheme, then gives its page back the browser's own scheme. */
async function inDark(shot: Page | Locator): Promise<Buffer> {
  const page = 'page' in shot ? shot.page() : shot;
  await page.emulateMedia({ colorScheme: 'dark' });
  try {
    return await shot.screenshot();
  } finally {
    await page.emulateMedia({ colorScheme: null });
  }
}

interface StepPlan {
  id: string;
  title: string;
  expected: string;
  run(): Promise<StepOutcome>;
}

const POPUP_VIEWPORT = { width: 392, height: 760 };
const PAGE_VIEWPORT = { width: 1180, height: 760 };
const PICKER_VIEWPORT = { width: 560, height: 680 };
/** Local servers answer in milliseconds; this SMTP delay lets the progress screenshot catch the stream mid-run. */
const PROGRESS_SMTP_DELAY_MS = 2500;
const VERIFY_TIMEOUT_MS = 60_000;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

function errorText(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  // Playwright appends a call log; the first lines say what was awaited.
  return message.split('\n').slice(0, 6).join('\n');
}

export async function runTour(
  sandbox: Sandbox,
  outDir: string,
  log: (line: string) => void = () => undefined,
): Promise<TourStep[]> {
  const { context, worker, helpdesk, stack, companion } = sandbox;
  const companionApi = api(companion.url, sandbox.pairingSecret);
  const broken = DEMO_MAILBOXES.filter((m) => m.expected.state === 'needs-reauth').map((m) => m.address);
  const connected = DEMO_MAILBOXES.filter((m) => m.expected.state === 'connected').map((m) => m.address);
  let popup: Page | undefined;
  /** The account picker the account-picker step opened; the wrong-account step answers it. */
  let pickerPage: Page | undefined;
  const popupPage = async () => {
    if (!popup || popup.isClosed()) {
      popup = await openPopup(context);
      await popup.setViewportSize(POPUP_VIEWPORT);
    }
    return popup;
  };
  const verifyBox = (page: Page, address: string) => page.locator(`section.tab [data-verify-mailbox="${address}"]`);
  const mailboxItem = (page: Page, address: string) =>
    page.locator(`section.tab li.mailbox[data-address="${address}"]`);
  const companionMailboxes = async (): Promise<string[]> => {
    const res = await companionApi('GET', '/v1/mailboxes');
    return ((res.json?.mailboxes ?? []) as Array<{ address: string }>).map((m) => m.address);
  };
  const stepStatuses = (box: Locator) =>
    box
      .locator('[data-step-id]')
      .evaluateAll((els) =>
        Object.fromEntries(els.map((el) => [el.getAttribute('data-step-id'), el.getAttribute('data-step-status')])),
      );

  /** Sign in from the popup with the mailbox's own account and wait until the companion has it. */
  const signInAndHandOver = async (page: Page, address: string) => {
    const picker = await startSignIn(context, page, address);
    await pickAccount(picker, address);
    await panel(page, address).and(page.locator('[data-signin-step="done"]')).waitFor({ timeout: 30_000 });
    await verifyBox(page, address)
      .and(page.locator('[data-handoff-status="handed-over"]'))
      .waitFor({ timeout: 30_000 });
  };

  /** Verify, wait for the verdict, and read it back: kind, headline, first fix, every step's status. */
  const verifyAndReadVerdict = async (page: Page, address: string) => {
    const box = verifyBox(page, address);
    await box.locator('[data-verify="start"]').click();
    await box.locator('[data-verdict]').waitFor({ timeout: VERIFY_TIMEOUT_MS });
    const verdict = box.locator('[data-verdict]');
    const kind = await verdict.getAttribute('data-verdict');
    const fix = verdict.locator('[data-fix]');
    return {
      box,
      observed: {
        verdict: kind,
        headline: (await (kind === 'ready' ? verdict : verdict.locator('.verdict-headline')).innerText()).trim(),
        fix: (await fix.count()) ? await fix.getAttribute('data-fix') : null,
        firstFixStep: (await fix.count()) ? (await fix.locator('li').first().innerText()).trim() : null,
        steps: await stepStatuses(box),
      },
    };
  };

  const failedVerdict =
    (address: string, fixId: string, failedStep: string, serverWords: RegExp): StepPlan['run'] =>
    async () => {
      const page = await popupPage();
      await signInAndHandOver(page, address);
      const { box, observed } = await verifyAndReadVerdict(page, address);
      const failedDetails = box.locator(`[data-step-id="${failedStep}"] [data-step-details]`);
      const details = (await failedDetails.count()) ? ((await failedDetails.textContent()) ?? '') : '';
      await box
        .locator(`[data-step-id="${failedStep}"] summary`)
        .first()
        .click()
        .catch(() => undefined);
      await box.scrollIntoViewIfNeeded();
      const serverSaid = /^Server reply: (.*)$/m.exec(details)?.[1] ?? details.trim().split('\n')[0];
      return {
        observed: { ...observed, serverSaid },
        ok:
          observed.verdict === 'fix' &&
          observed.fix === fixId &&
          observed.steps[failedStep] === 'failed' &&
          serverWords.test(details),
        shot: box,
      };
    };

  const plans: StepPlan[] = [
    {
      id: 'marks',
      title: 'Marks on the helpdesk page',
      expected:
        `${broken.length} rows marked "needs reauthorization" with their scenario, ${connected.length} ` +
        `marked connected, the primary flagged`,
      run: async () => {
        await helpdesk.setViewportSize(PAGE_VIEWPORT);
        await helpdesk.bringToFront();
        await helpdesk
          .locator('[data-reauth-state]')
          .nth(DEMO_MAILBOXES.length - 1)
          .waitFor({ timeout: 20_000 });
        const rows = await helpdesk.locator('[data-reauth-state]').evaluateAll((els) =>
          els.map((el) => ({
            text: el.textContent ?? '',
            state: el.getAttribute('data-reauth-state'),
            scenario: el.getAttribute('data-reauth-scenario'),
            primary: el.getAttribute('data-reauth-primary') === 'true',
          })),
        );
        const observed = DEMO_MAILBOXES.map((m) => {
          const row = rows.find((r) => r.text.includes(m.address));
          return {
            address: m.address,
            state: row?.state ?? null,
            scenario: row?.scenario ?? null,
            primary: row?.primary ?? false,
          };
        });
        const ok =
          rows.length === DEMO_MAILBOXES.length &&
          DEMO_MAILBOXES.every((m, i) => {
            const o = observed[i]!;
            const scenario = m.expected.state === 'needs-reauth' ? m.expected.scenario : null;
            return o.state === m.expected.state && o.scenario === scenario && o.primary === Boolean(m.primary);
          });
        // Open the primary mailbox's mark: the scenario's exact steps, the Scenario 4 primary-address steps among them.
        const primary = DEMO_MAILBOXES.find((m) => m.primary)!;
        const mark = helpdesk
          .locator('[data-reauth-state]', { hasText: primary.address })
          .locator('reauth-assist-mark');
        await mark.locator('button.pill').click();
        // The mark builds its steps when it is opened: wait for them rather than count a half-built list.
        await mark
          .locator('li')
          .first()
          .waitFor({ timeout: 10_000 })
          .catch(() => undefined);
        const stepsShown = await mark.locator('li').count();
        return {
          observed: { rows: observed, marked: rows.length, primaryMarkSteps: stepsShown },
          ok: ok && stepsShown > 0,
          shot: await helpdesk.screenshot({ fullPage: true }),
        };
      },
    },
    {
      id: 'banner',
      title: 'The banner summarises which mailboxes need reauthorization',
      expected:
        `"${broken.length} of ${DEMO_MAILBOXES.length} support emails need reauthorization: ..." naming each ` +
        `of them, "· ${connected.length} connected"`,
      run: async () => {
        const summary = helpdesk.locator('reauth-assist-summary');
        await summary.waitFor({ timeout: 10_000 });
        const text = (await summary.getAttribute('data-reauth-summary')) ?? '';
        const links = await summary
          .locator('a[data-address]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-address') ?? ''));
        const ok =
          text.startsWith(`${broken.length} of ${DEMO_MAILBOXES.length} support emails need reauthorization: `) &&
          text.endsWith(`· ${connected.length} connected`) &&
          sameSet(links, broken);
        return { observed: { text, links }, ok, shot: helpdesk.locator('[data-reauth-assist="banner"]') };
      },
    },
    {
      id: 'popup-list',
      title: 'The popup lists the affected mailboxes; the badge counts them',
      expected: `the helpdesk tab with ${broken.join(', ')}; badge "${broken.length}"`,
      run: async () => {
        const helpdeskTabId = await worker.evaluate(
          async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id,
          helpdesk.url(),
        );
        const page = await popupPage();
        await mailboxItem(page, broken[0]!).waitFor({ timeout: 10_000 });
        const listed = await page
          .locator('section.tab li.mailbox[data-state="needs-reauth"]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-address') ?? ''));
        const badge =
          helpdeskTabId === undefined
            ? null
            : await worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), helpdeskTabId);
        return {
          observed: { listed, badge },
          ok: sameSet(listed, broken) && badge === String(broken.length),
          shot: page,
        };
      },
    },
    {
      id: 'account-picker',
      title: 'Sign in: the provider always shows its account picker',
      expected:
        `Microsoft's authorize page on login.microsoftonline.com with prompt=select_account, ` +
        `listing ${ACCOUNTS.support.email} and ${ACCOUNTS.wrongUser.email}`,
      run: async () => {
        stack.idp.clearAuthorizeRequests();
        const page = await popupPage();
        const picker = await startSignIn(context, page, ACCOUNTS.support.email);
        await picker.setViewportSize(PICKER_VIEWPORT);
        await picker.locator('button[data-account]').first().waitFor();
        const accounts = await picker
          .locator('button[data-account]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-account') ?? ''));
        const request = stack.idp.authorizeRequests().at(-1);
        const observed = { host: new URL(picker.url()).hostname, prompt: request?.query.prompt ?? null, accounts };
        pickerPage = picker;
        return {
          observed,
          ok:
            observed.host === 'login.microsoftonline.com' &&
            observed.prompt === 'select_account' &&
            accounts.includes(ACCOUNTS.support.email) &&
            accounts.includes(ACCOUNTS.wrongUser.email),
          shot: picker,
        };
      },
    },
    {
      id: 'wrong-account',
      title: 'The wrong account is stopped before anything is handed on',
      expected:
        `signed in ${ACCOUNTS.wrongUser.email}, expected ${ACCOUNTS.support.email}; no tokens kept for the ` +
        `mailbox, the companion has nothing`,
      run: async () => {
        const page = await popupPage();
        if (!pickerPage) throw new Error('The account picker did not open.');
        await pickAccount(pickerPage, ACCOUNTS.wrongUser.email);
        const box = panel(page, ACCOUNTS.support.email);
        await box.and(page.locator('[data-signin-step="wrong-account"]')).waitFor({ timeout: 20_000 });
        const observed = {
          signedIn: (await box.locator('[data-account="signed-in"]').innerText()).trim(),
          expected: (await box.locator('[data-account="expected"]').innerText()).trim(),
          tokensKept: ACCOUNTS.support.email in (await heldTokens(worker)),
          companionMailboxes: await companionMailboxes(),
        };
        return {
          observed,
          ok:
            observed.signedIn === ACCOUNTS.wrongUser.email &&
            observed.expected === ACCOUNTS.support.email &&
            !observed.tokensKept &&
            !observed.companionMailboxes.includes(ACCOUNTS.support.email),
          shot: mailboxItem(page, ACCOUNTS.support.email),
        };
      },
    },
    {
      id: 'handoff',
      title: 'The right account: tokens handed to the companion',
      expected: `signed in as ${ACCOUNTS.support.email}; the companion watches the mailbox`,
      run: async () => {
        const page = await popupPage();
        const box = panel(page, ACCOUNTS.support.email);
        const [picker] = await Promise.all([
          context.waitForEvent('page', {
            predicate: (p) => !p.url().startsWith(`chrome-extension://${EXTENSION_ID}`),
          }),
          box.locator('[data-signin="retry-picker"]').click(),
        ]);
        await pickAccount(picker, ACCOUNTS.support.email);
        await box.and(page.locator('[data-signin-step="done"]')).waitFor({ timeout: 30_000 });
        const verify = verifyBox(page, ACCOUNTS.support.email);
        await verify.and(page.locator('[data-handoff-status="handed-over"]')).waitFor({ timeout: 30_000 });
        const observed = {
          signinResult: (await box.locator('[data-signin-result="done"]').innerText()).trim(),
          handoff: await verify.getAttribute('data-handoff-status'),
          companionMailboxes: await companionMailboxes(),
        };
        return {
          observed,
          ok:
            observed.signinResult.startsWith(`Signed in as ${ACCOUNTS.support.email}`) &&
            observed.handoff === 'handed-over' &&
            observed.companionMailboxes.includes(ACCOUNTS.support.email),
          shot: mailboxItem(page, ACCOUNTS.support.email),
        };
      },
    },
    {
      id: 'verify-progress',
      title: 'Verify streams each step as it happens',
      expected: 'IMAP steps passed while the SMTP connection is still running, no verdict yet',
      run: async () => {
        const page = await popupPage();
        const box = verifyBox(page, ACCOUNTS.support.email);
        stack.smtp.setFault({ kind: 'slow', delayMs: PROGRESS_SMTP_DELAY_MS });
        try {
          await box.locator('[data-verify="round-trip"]').check();
          await box.locator('[data-verify="start"]').click();
          await box
            .locator('[data-step-id="smtp-connect"][data-step-status="running"]')
            .waitFor({ timeout: VERIFY_TIMEOUT_MS });
          const steps = await stepStatuses(box);
          const verdictShown = (await box.locator('[data-verdict]').count()) > 0;
          // Photographed now, while the stream is running, before the verdict arrives.
          const shot = await box.screenshot();
          const darkShot = await inDark(box);
          return {
            observed: { steps, verdictShown },
            ok:
              !verdictShown &&
              steps['imap-auth'] === 'ok' &&
              steps['sample-mail'] === 'ok' &&
              steps['smtp-connect'] === 'running',
            shot,
            darkShot,
          };
        } finally {
          stack.smtp.setFault(null);
        }
      },
    },
    {
      id: 'verdict-ready',
      title: 'Verdict: ready to press Re-authorize',
      expected: `"${READY_HEADLINE}", every step passed, the round trip included`,
      run: async () => {
        const page = await popupPage();
        const box = verifyBox(page, ACCOUNTS.support.email);
        await box.locator('[data-verdict]').waitFor({ timeout: VERIFY_TIMEOUT_MS });
        const steps = await stepStatuses(box);
        const observed = {
          verdict: await box.locator('[data-verdict]').getAttribute('data-verdict'),
          headline: (await box.locator('[data-verdict]').innerText()).trim(),
          steps,
        };
        return {
          observed,
          ok:
            observed.verdict === 'ready' &&
            observed.headline === READY_HEADLINE &&
            Object.values(steps).every((s) => s === 'ok') &&
            steps['round-trip'] === 'ok',
          shot: box,
        };
      },
    },
    {
      id: 'verdict-smtp-auth-disabled',
      title: 'Verdict with its fix: SMTP AUTH disabled for the tenant',
      expected:
        `${ACCOUNTS.smtpDisabled.email}: IMAP passes, SMTP AUTH fails with 5.7.139; fix ` +
        `"smtp-auth-disabled-tenant" (Exchange admin center)`,
      run: failedVerdict(ACCOUNTS.smtpDisabled.email, 'smtp-auth-disabled-tenant', 'smtp-auth', /535 5\.7\.139/),
    },
    {
      id: 'verdict-imap-disabled',
      title: 'Verdict with its fix: IMAP disabled for the mailbox',
      expected:
        `${ACCOUNTS.imapDisabled.email}: a valid token refused at IMAP AUTHENTICATE; fix ` +
        `"imap-disabled-or-wrong-user"`,
      run: failedVerdict(
        ACCOUNTS.imapDisabled.email,
        'imap-disabled-or-wrong-user',
        'imap-auth',
        /authenticat\w* failed/i,
      ),
    },
    ...sandbox.screens.map(
      (screen): StepPlan => ({
        id: `screen-${screen.helpdesk}${screen.path.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}`,
        title: `${screen.helpdesk}: ${screen.path}`,
        expected: screen.matched
          ? 'the page recognised: mailbox rows, accounts or form fields marked'
          : `the page shown (the extension does not run on ${screen.host})`,
        run: async () => {
          const page = await context.newPage();
          await page.setViewportSize(PAGE_VIEWPORT);
          await page.goto(screen.url!);
          // Freshdesk-like screens mark mailbox rows; settings forms (SupportCenter Plus, Salesorder) mark fields
          // and accounts.
          const recognised = '[data-reauth-state], [data-reauth-problems], [data-reauth-accounts]';
          if (screen.matched)
            await page
              .locator(recognised)
              .first()
              .waitFor({ timeout: 15_000 })
              .catch(() => undefined);
          const states = await page
            .locator('[data-reauth-state]')
            .evaluateAll((els) => els.map((el) => el.getAttribute('data-reauth-state')));
          const panels = await page.locator('[data-reauth-problems], [data-reauth-accounts]').evaluateAll((els) =>
            els.map((el) => ({
              problems: el.getAttribute('data-reauth-problems'),
              accounts: el.getAttribute('data-reauth-accounts'),
            })),
          );
          const banner = (await page.locator('reauth-assist-summary').count())
            ? await page.locator('reauth-assist-summary').getAttribute('data-reauth-summary')
            : null;
          const marked = states.length + panels.length;
          return {
            observed: { url: screen.url, marked, states, panels, banner },
            ok: !screen.matched || marked > 0,
            shot: page,
          };
        },
      }),
    ),
  ];

  const results: TourStep[] = [];
  let stopped = false;
  for (const [i, plan] of plans.entries()) {
    const base = { id: plan.id, title: plan.title, expected: plan.expected };
    if (stopped) {
      results.push({ ...base, status: 'not-reached' });
      continue;
    }
    const screenshot = `${String(i + 1).padStart(2, '0')}-${plan.id}.png`;
    log(`  ${i + 1}. ${plan.title}`);
    try {
      const outcome = await plan.run();
      if (Buffer.isBuffer(outcome.shot)) await writeFile(join(outDir, screenshot), outcome.shot);
      else await outcome.shot.screenshot({ path: join(outDir, screenshot) });
      const dark = Buffer.isBuffer(outcome.shot) ? outcome.darkShot : await inDark(outcome.shot);
      const darkScreenshot = dark ? screenshot.replace(/\.png$/, '-dark.png') : undefined;
      if (dark && darkScreenshot) await writeFile(join(outDir, darkScreenshot), dark);
      results.push({
        ...base,
        status: outcome.ok ? 'passed' : 'failed',
        observed: outcome.observed,
        screenshot,
        ...(darkScreenshot ? { darkScreenshot } : {}),
      });
    } catch (err) {
      // What the screen showed when the step gave up, for the report; the rest of the tour depends on this step.
      const page = popup && !popup.isClosed() ? popup : helpdesk;
      const saved = await page.screenshot({ path: join(outDir, screenshot) }).then(
        () => screenshot,
        () => undefined,
      );
      results.push({ ...base, status: 'failed', error: errorText(err), ...(saved ? { screenshot: saved } : {}) });
      stopped = true;
    }
  }
  return results;
}
