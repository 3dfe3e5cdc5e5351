/** The tour's HTML report: one section per step with what it expected, what the page showed, and its screenshot. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TourStep } from './tour';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const LABEL: Record<TourStep['status'], string> = { passed: 'passed', failed: 'FAILED', 'not-reached': 'not reached' };

function section(step: TourStep, n: number): string {
  const observed =
    step.observed === undefined
      ? ''
      : `<details><summary>observed</summary><pre>${escapeHtml(JSON.stringify(step.observed, null, 2))}</pre></detail` +
        `s>`;
  const error = step.error ? `<pre class="error">${escapeHtml(step.error)}</pre>` : '';
  const shot = step.screenshot
    ? `<a href="${escapeHtml(step.screenshot)}"><img src="${escapeHtml(step.screenshot)}" ` +
      `alt="${escapeHtml(step.title)}" loading="lazy"></a>`
    : '';
  return `<section class="${step.status}" id="${escapeHtml(step.id)}">
<h2>${n}. ${escapeHtml(step.title)} <span class="status">${LABEL[step.status]}</span></h2>
<p><strong>Expected:</strong> ${escapeHtml(step.expected)}</p>
${error}${observed}${shot}
</section>`;
}

/** Writes index.html into `dir` (next to the screenshots) and returns its path. */
export function writeReport(
  dir: string,
  steps: readonly TourStep[],
  context: { startedAt: Date; helpdeskUrl: string },
): string {
  const passed = steps.filter((s) => s.status === 'passed').length;
  const html =
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reauth Assist sandbox tour</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1b2733; }
section { border-top: 1px solid #d5dde5; padding: 1rem 0; }
h2 { font-size: 1.1rem; margin: 0 0 .4rem; }
.status { font-size: .8rem; padding: 1px 8px; border-radius: 10px; background: #dff5e8; color: #12632f; }
.failed .status { background: #fde2e1; color: #8c1a14; }
.not-reached .status { background: #eceff3; color: #4b5a68; }
img { max-width: 100%; border: 1px solid #d5dde5; margin-top: .5rem; }
pre { background: #f5f7f9; padding: .5rem; overflow: auto; font-size: 12px; }
pre.error { background: #fde2e1; }
</style></head><body>
<h1>Reauth Assist sandbox tour</h1>
<p>${passed} of ${steps.length} steps reached their expected state. Run ` +
    `started ${escapeHtml(context.startedAt.toISOString())};
helpdesk replica at <code>${escapeHtml(context.helpdeskUrl)}</code> (Chromium maps the host names to 127.0.0.1).
Everything ran on loopback: the local identity provider under Microsoft's and Google's host names, Dovecot IMAP, SMTP
submission, the companion, and Chromium with the built extension.</p>
${steps.map((s, i) => section(s, i + 1)).join('\n')}
</body></html>
`;
  const path = join(dir, 'index.html');
  writeFileSync(path, html);
  return path;
}
