/**
 * `npm run demo`: the whole product on loopback, no tenant needed. With a display it opens Chromium to click
 * through and runs until Ctrl+C; without one (a server, CI) it runs the scripted tour headless and writes a
 * screenshot per step plus an HTML report. Everything it writes stays in one mkdtemp folder; Ctrl+C, SIGTERM
 * or SIGHUP stop every process it started (companion, Dovecot, servers, Chromium).
 *
 *   node --import tsx demo/run.ts [--headless]
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'reauth-assist-demo-'));
const runtime = join(root, 'sandbox');
const scratch = join(runtime, 'tmp');
mkdirSync(scratch, { recursive: true });
// When run as root, Dovecot runs as Debian's dovecot user and must be able to walk down to its folder.
for (const dir of [root, runtime, scratch]) chmodSync(dir, 0o711);
// Every temp file of every part (test certificates, Dovecot, Chromium, child processes) lands in here. Set before
// the sandbox's modules load, so none of them has looked at the temp folder yet.
process.env.TMPDIR = scratch;
// Chromium writes crash-report settings, dconf and font caches under the home folder: give it one in here too.
// A real display's X authority stays reachable.
const home = join(runtime, 'home');
mkdirSync(home);
const xauthority = process.env.XAUTHORITY ?? join(homedir(), '.Xauthority');
if (existsSync(xauthority)) process.env.XAUTHORITY = xauthority;
Object.assign(process.env, {
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_DATA_HOME: join(home, '.local', 'share'),
});

const headless = !process.env.DISPLAY || process.argv.includes('--headless');
const say = (line: string) => process.stdout.write(`${line}\n`);

say(`Sandbox folder (everything the sandbox writes): ${root}`);

const { Resources } = await import('./resources');
const resources = new Resources();
let starting: Promise<unknown> | undefined;
let finishing: Promise<never> | undefined;

/**
 * Stops everything, removes the sandbox's files (the tour's report stays when asked), and exits. The first call
 * wins: a tour step failing because Ctrl+C closed the browser must not exit before the servers are stopped.
 */
function finish(code: number, keep?: string): Promise<never> {
  finishing ??= (async () => {
    // A part still starting (the companion waiting to listen, Chromium launching) is registered when it is up:
    // let the start-up reach its next step and give up there, so that part is stopped too.
    resources.cancel();
    await Promise.race([
      starting?.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 60_000).unref()),
    ]);
    const failed = await resources.stopAll();
    for (const part of failed) process.stderr.write(`Could not stop ${part}\n`);
    rmSync(keep ? runtime : root, { recursive: true, force: true });
    if (keep) say(`\nThe tour's report: ${keep}`);
    process.exit(code);
  })();
  return finishing;
}

// Once stopping, the browser closes under a tour step: what that step was still waiting for fails, and is no news.
process.on('unhandledRejection', (reason) => {
  if (finishing) return;
  throw reason;
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.on(signal, () => {
    say(`\n${signal}: stopping everything the sandbox started...`);
    void finish(code);
  });
}

try {
  const { startSandbox } = await import('./sandbox');
  const { DEMO_MAILBOXES } = await import('./helpdesk');
  starting = startSandbox({ dir: runtime, headless, log: (line) => say(line) }, resources);
  const sandbox = await (starting as ReturnType<typeof startSandbox>);

  if (!headless) {
    sandbox.context.on('close', () => {
      if (finishing) return;
      say('\nThe browser was closed: stopping everything the sandbox started...');
      void finish(0);
    });
    say(
      `
Reauth Assist sandbox is running (all on 127.0.0.1; Chromium maps the real host names there).

  Helpdesk (Freshdesk replica): ${sandbox.helpdeskUrl}
${sandbox.screens.map((s) => `  ${s.helpdesk}: ${s.url}\n`).join('')}  Companion: ${sandbox.companion.url} (paired; ` +
        `data in ${runtime})

Open the Reauth Assist popup from the toolbar (puzzle icon > Reauth Assist) and sign in per mailbox.
The account picker lists the local accounts; every account's password-free: click it.
${DEMO_MAILBOXES.map((m) => `  ${m.address.padEnd(30)} ${m.story}`).join('\n')}

Ctrl+C stops everything and removes ${root}.`,
    );
  } else {
    const { runTour } = await import('./tour');
    const { writeReport } = await import('./report');
    const out = join(root, 'tour');
    mkdirSync(out);
    const startedAt = new Date();
    say('No display: running the scripted tour headless.');
    const steps = await runTour(sandbox, out, say);
    if (finishing) await finishing; // interrupted: the tour's late failures are not news
    const report = writeReport(out, steps, { startedAt, helpdeskUrl: sandbox.helpdeskUrl });
    for (const step of steps)
      say(
        `  ${
          step.status === 'passed' ? 'ok  ' : step.status === 'failed' ? 'FAIL' : '--  '
        } ${step.title}${step.error ? `: ${step.error.split('\n')[0]}` : ''}`,
      );
    const passed = steps.every((s) => s.status === 'passed');
    say(
      passed
        ? 'Every step reached its expected state.'
        : 'Some steps did not reach their expected state (see the report).',
    );
    await finish(passed ? 0 : 1, report);
  }
} catch (err) {
  if (finishing) await finishing; // interrupted while starting: not a start-up failure
  process.stderr.write(`The sandbox could not start: ${(err as Error)?.stack ?? String(err)}\n`);
  await finish(1);
}
