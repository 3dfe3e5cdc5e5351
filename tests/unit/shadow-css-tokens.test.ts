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

  it('gives every schemed token its own short name', () => {
    expect(new Set(tokens.short.values()).size).toBe(tokens.schemed.size);
    expect([...tokens.short.keys()].sort()).toEqual([...tokens.schemed].sort());
  });

  it("the shadow roots' tokens.css keeps both schemes of every colour by short name, drops the fixed ones", () => {
    const css = schemedTokensOnly(TOKENS, tokens);
    for (const name of tokens.fixed.keys()) expect(css).not.toContain(`${name}:`);
    for (const name of tokens.schemed) expect(css).not.toContain(`${name}:`);
    for (const short of tokens.short.values()) expect(css.split(`${short}:`)).toHaveLength(3);
  });
});
