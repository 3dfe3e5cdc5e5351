import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inlineFixedTokens, schemedTokensOnly, splitTokens } from '../../scripts/vite-shadow-css-tokens';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const TOKENS = read('components/theme/tokens.css');
const STYLES = 'entrypoints/helpdesk.content/styles';

describe('design tokens written into the shadow roots’ CSS (scripts/vite-shadow-css-tokens.ts)', () => {
  const tokens = splitTokens(TOKENS);

  it('tells the tokens the dark scheme redefines from the ones with one value', () => {
    expect(tokens.fixed.get('--ra-space-3')).toBe('8px');
    expect(tokens.fixed.get('--ra-font')).toMatch(/^system-ui, /);
    expect(tokens.schemed.has('--ra-bg')).toBe(true);
    expect(tokens.schemed.has('--ra-shadow')).toBe(true);
    expect(tokens.fixed.has('--ra-bg')).toBe(false);
  });

  it.each(readdirSync(new URL(`../../${STYLES}`, import.meta.url)).filter((f) => f.endsWith('.css')))(
    '%s: fixed tokens become their values, colours stay variables',
    (file) => {
      const css = inlineFixedTokens(read(`${STYLES}/${file}`), tokens);
      const shortNames = new Set(tokens.short.values());
      for (const [, name] of css.matchAll(/var\((--ra[a-z0-9-]*)\)/g)) expect(shortNames.has(name!)).toBe(true);
      for (const name of [...tokens.fixed.keys(), ...tokens.schemed]) expect(css).not.toContain(`var(${name})`);
    },
  );

  it('writes the value in place of the variable', () => {
    const css = '.a { padding: var(--ra-space-2) var(--ra-space-3); color: var(--ra-fg); }';
    const fg = tokens.short.get('--ra-fg');
    expect(fg).toMatch(/^--ra[0-9a-z]+$/);
    expect(inlineFixedTokens(css, tokens)).toBe(`.a { padding: 4px 8px; color: var(${fg}); }`);
  });

  it('a token tokens.css does not define fails the build', () => {
    expect(() => inlineFixedTokens('.a { margin: var(--ra-space-9); }', tokens)).toThrow(/--ra-space-9/);
  });

  it('gives every schemed token a short name, one for tokens with the same values in both schemes', () => {
    expect([...tokens.short.keys()].sort()).toEqual([...tokens.schemed].sort());
    // The focus ring is drawn in the accent colour, in both schemes; the accent's text colour is not the same.
    expect(tokens.short.get('--ra-focus')).toBe(tokens.short.get('--ra-accent'));
    expect(tokens.short.get('--ra-accent-fg')).not.toBe(tokens.short.get('--ra-accent'));
    expect(new Set(tokens.short.values()).size).toBe(tokens.declared.size);
    const shared = splitTokens(
      ':root { --ra-x: 1px; --ra-a: #111; --ra-b: #111; --ra-c: #111; }\n' +
        '@media (prefers-color-scheme: dark) { :root { --ra-a: #eee; --ra-b: #eee; --ra-c: #ddd; } }',
    );
    expect(shared.short.get('--ra-b')).toBe(shared.short.get('--ra-a'));
    expect(shared.short.get('--ra-c')).not.toBe(shared.short.get('--ra-a'));
    // The shared name is declared once (the second token's declaration is dropped).
    expect(schemedTokensOnly(':root { --ra-a: #111; --ra-b: #111; }', shared).match(/--ra\w+:[^;]*/g)).toEqual([
      `${shared.short.get('--ra-a')}:#111`,
    ]);
  });

  it("the shadow roots' tokens.css keeps both schemes of every colour by short name, drops the fixed ones", () => {
    const css = schemedTokensOnly(TOKENS, tokens);
    for (const name of tokens.fixed.keys()) expect(css).not.toContain(`${name}:`);
    for (const name of tokens.schemed) expect(css).not.toContain(`${name}:`);
    for (const short of tokens.short.values()) expect(css.split(`${short}:`)).toHaveLength(3);
  });
});
