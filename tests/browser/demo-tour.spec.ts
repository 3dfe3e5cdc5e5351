/**
 * The sandbox (`npm run demo`) as CI runs it: no display, so the scripted tour runs headless against the real
 * stack, companion and Chromium with the built extension. Each step must reach its expected state, read from
 * the page, the popup, the worker and the companion; and the runner must leave nothing behind on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { DEMO_MAILBOXES } from '../../demo/helpdesk';
import { Resources } from '../../demo/resources';
import { startSandbox } from '../../demo/sandbox';
import { runTour, type TourStep } from '../../demo/tour';
import { READY_HEADLINE } from '../../lib/verification';
import { ACCOUNTS } from '../stack';

const ROOT = join(import.meta.dirname, '..', '..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Command lines of every process on the machine that mention `text` (a folder only this run uses). */
function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

test(
  'headless tour: every step reaches its expected state, ' + 'read from the real page, popup, worker and companion',
  async () => {
    test.setTimeout(240_000);
    const dir = mkdtempSync(join(tmpdir(), 'reauth-demo-test-'));
    const out = mkdtempSync(join(tmpdir(), 'reauth-demo-tour-'));
    const resources = new Resources();
    let steps: TourStep[] = [];
    try {
      const sandbox = await startSandbox({ dir, headless: true }, resources);
      steps = await runTour(sandbox, out);
      await sandbox.stop();
      // Stopped means stopped: the companion child exited, the browser is gone.
      expect(sandbox.companion.process.exitCode !== null || sandbox.companion.process.signalCode !== null).toBe(true);
      expect(processesMentioning(dir)).toEqual([]);
    } finally {
      await resources.stopAll();
      rmSync(dir, { recursive: true, force: true });
    }

    const byId = Object.fromEntries(steps.map((s) => [s.id, s]));
    const failures = steps
      .filter((s) => s.status !== 'passed')
      .map((s) => `${s.id}: ${s.status}${s.error ? ` (${s.error})` : ''} ${JSON.stringify(s.observed)}`);
    expect(failures).toEqual([]);
    expect(steps.map((s) => s.id).slice(0, 10)).toEqual([
      'marks',
      'banner',
      'popup-list',
      'account-picker',
      'wrong-account',
      'handoff',
      'verify-progress',
      'verdict-ready',
      'verdict-smtp-auth-disabled',
      'verdict-imap-disabled',
    ]);

    // What each step read, checked here against the sandbox's mailboxes independently of the tour's own verdict.
    const broken = DEMO_MAILBOXES.filter((m) => m.expected.state === 'needs-reauth').map((m) => m.address);
    const marks = byId.marks!.observed as {
      rows: Array<{ address: string; state: string; scenario: string | null; primary: boolean }>;
    };
    expect(marks.rows).toEqual(
      DEMO_MAILBOXES.map((m) => ({
        address: m.address,
        state: m.expected.state,
        scenario: m.expected.state === 'needs-reauth' ? m.expected.scenario : null,
        primary: Boolean(m.primary),
      })),
    );
    const banner = byId.banner!.observed as { text: string; links: string[] };
    expect(banner.text).toBe(
      `${broken.length} of ${DEMO_MAILBOXES.length} support emails need reauthorization: ${broken.join(', ')} · 2 ` +
        `connected`,
    );
    expect((byId['popup-list']!.observed as { listed: string[]; badge: string }).badge).toBe(String(broken.length));
    expect(byId['account-picker']!.observed).toMatchObject({
      host: 'login.microsoftonline.com',
      prompt: 'select_account',
    });
    expect(byId['wrong-account']!.observed).toEqual({
      signedIn: ACCOUNTS.wrongUser.email,
      expected: ACCOUNTS.support.email,
      tokensKept: false,
      companionMailboxes: [],
    });
    expect((byId.handoff!.observed as { companionMailboxes: string[] }).companionMailboxes).toEqual([
      ACCOUNTS.support.email,
    ]);
    const progress = byId['verify-progress']!.observed as { steps: Record<string, string>; verdictShown: boolean };
    expect(progress.verdictShown).toBe(false);
    expect(progress.steps).toMatchObject({ 'imap-auth': 'ok', 'smtp-connect': 'running' });
    expect(byId['verdict-ready']!.observed).toMatchObject({
      verdict: 'ready',
      headline: READY_HEADLINE,
      steps: { 'round-trip': 'ok' },
    });
    expect(byId['verdict-smtp-auth-disabled']!.observed).toMatchObject({
      verdict: 'fix',
      fix: 'smtp-auth-disabled-tenant',
      steps: { 'imap-auth': 'ok', 'smtp-auth': 'failed' },
      serverSaid: expect.stringContaining('535 5.7.139'),
    });
    expect(byId['verdict-imap-disabled']!.observed).toMatchObject({
      verdict: 'fix',
      fix: 'imap-disabled-or-wrong-user',
      steps: { 'imap-auth': 'failed', 'smtp-auth': 'ok' },
    });

    // A screenshot per step, each a real PNG.
    for (const step of steps) {
      expect(step.screenshot, step.id).toBeTruthy();
      expect(readFileSync(join(out, step.screenshot!)).subarray(0, 8).equals(PNG_SIGNATURE), step.id).toBe(true);
    }
    rmSync(out, { recursive: true, force: true });
  },
);

test(
  "npm run demo's runner: SIGTERM once everything is up stops every process it started and removes its " + 'folder',
  async () => {
    test.setTimeout(180_000);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'demo/run.ts'), '--headless'], {
      cwd: ROOT,
      env: { ...process.env, DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await expect
      .poll(() => output, { timeout: 120_000, message: 'the sandbox starts and begins its tour' })
      .toContain('running the scripted tour headless');
    const root = /Sandbox folder \(everything the sandbox writes\): (\S+)/.exec(output)?.[1];
    expect(root, output).toBeTruthy();
    const running = processesMentioning(root!);
    // The companion (its --data-dir), Dovecot (its config) and Chromium (its profile) all live under the folder.
    expect(
      running.some((p) => p.includes('companion/src/main.ts')),
      running.join('\n'),
    ).toBe(true);
    expect(
      running.some((p) => p.includes('dovecot')),
      running.join('\n'),
    ).toBe(true);
    expect(
      running.some((p) => p.includes('chrom')),
      running.join('\n'),
    ).toBe(true);

    child.kill('SIGTERM');
    expect(await exited, output).toBe(143);
    expect(output).toContain('SIGTERM: stopping everything the sandbox started');
    expect(processesMentioning(root!)).toEqual([]);
    expect(existsSync(root!)).toBe(false);
  },
);
