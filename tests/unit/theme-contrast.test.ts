/**
 * WCAG 2 contrast of the colour pairs the popup, the options page and the marks use, computed from
 * components/theme/tokens.css itself in both schemes: text 4.5:1 (AA, normal size), the borders and focus ring
 * of controls 3:1 (non-text contrast, WCAG 1.4.11). A token changed to a colour that fails makes this fail.
 */
import { readFileSync } from 'node:fs';
import Color from 'colorjs.io';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../components/theme/tokens.css', import.meta.url), 'utf8').replace(
  /\/\*[\s\S]*?\*\//g,
  '',
);

/** The `--ra-*: value` declarations of one block of text. */
function declarations(block: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, value] of block.matchAll(/(--ra-[\w-]+)\s*:\s*([^;]+);/g)) found.set(name!, value!.trim());
  return found;
}

const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
const light = declarations(css.slice(0, darkStart));
const dark = new Map([...light, ...declarations(css.slice(darkStart))]);

/** [foreground, background] token pairs as the stylesheets use them (components/*.css, the page's marks). */
const TEXT_PAIRS: ReadonlyArray<[string, string]> = [
  ['--ra-fg', '--ra-bg'],
  ['--ra-fg', '--ra-surface'],
  ['--ra-fg', '--ra-line'], // a secondary button under the pointer
  ['--ra-muted', '--ra-bg'],
  ['--ra-muted', '--ra-surface'], // neutral pills, skeleton-adjacent notes
  ['--ra-accent', '--ra-bg'], // links, summaries
  ['--ra-accent', '--ra-surface'], // the Primary pill
  ['--ra-accent-fg', '--ra-accent'], // primary buttons
  ['--ra-danger', '--ra-bg'],
  ['--ra-danger', '--ra-danger-bg'],
  ['--ra-fg', '--ra-danger-bg'], // sign-in errors, verdicts to fix
  ['--ra-warn', '--ra-bg'],
  ['--ra-warn', '--ra-warn-bg'],
  ['--ra-ok', '--ra-bg'],
  ['--ra-ok', '--ra-ok-bg'],
];

/** Borders that identify a control, and the focus ring, against what they sit on. */
const CONTROL_PAIRS: ReadonlyArray<[string, string]> = [
  ['--ra-border-strong', '--ra-bg'],
  ['--ra-border-strong', '--ra-surface'],
  ['--ra-focus', '--ra-bg'],
  ['--ra-focus', '--ra-surface'],
  ['--ra-accent', '--ra-bg'], // the primary button's edge
  ['--ra-danger', '--ra-bg'], // an invalid input's border
];

function contrast(scheme: Map<string, string>, fg: string, bg: string): number {
  const value = (name: string) => {
    const raw = scheme.get(name);
    if (raw === undefined) throw new Error(`${name} is not defined in tokens.css`);
    return new Color(raw);
  };
  return value(bg).contrast(value(fg), 'WCAG21');
}

describe.each([
  ['light', light],
  ['dark', dark],
])('tokens.css, %s scheme', (_scheme, tokens) => {
  it('defines every colour the dark scheme overrides in the light one too', () => {
    for (const name of declarations(css.slice(darkStart)).keys()) expect(light.has(name), name).toBe(true);
  });

  it.each(TEXT_PAIRS)('text %s on %s reaches 4.5:1', (fg, bg) => {
    expect(contrast(tokens, fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(CONTROL_PAIRS)('control edge %s against %s reaches 3:1', (fg, bg) => {
    expect(contrast(tokens, fg, bg)).toBeGreaterThanOrEqual(3);
  });
});

it('the light and the dark scheme differ (dark mode is not the light colours again)', () => {
  expect(dark.get('--ra-bg')).not.toBe(light.get('--ra-bg'));
});
