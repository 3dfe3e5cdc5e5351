/**
 * Build step for the CSS our content scripts bring (styles/*.css, imported `?inline`; mostly for their shadow
 * roots): the design tokens that are the same in both colour schemes (sizes, spaces, radii, fonts) are written
 * in as their values, and tokens.css keeps only the ones the dark scheme redefines. The page draws exactly the
 * same; the Freshdesk content script, loaded into every helpdesk page, carries about 170 B (gzip) less of its
 * 20 kB budget. The tokens that stay variables get short names there (`--ra0`, `--ra1`, ...): the names are
 * ours alone, and the content script carries each of them several times.
 * The popup and the options page keep every token (they import tokens.css through components/ui.css).
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const TOKENS_FILE = new URL('../components/theme/tokens.css', import.meta.url);
const SHADOW_CSS = /[\\/]entrypoints[\\/][^\\/]+\.content[\\/]styles[\\/][^\\/]+\.css\?inline$/;
const TOKENS_CSS = /[\\/]components[\\/]theme[\\/]tokens\.css\?inline$/;
const DECLARATION = /(--ra-[a-z0-9-]+)\s*:\s*([^;]+);/g;
const USE = /var\((--ra-[a-z0-9-]+)\)/g;

export interface TokenSplit {
  /** Tokens with one value in both schemes, by name. */
  fixed: ReadonlyMap<string, string>;
  /** Tokens the dark scheme redefines: they stay variables. */
  schemed: ReadonlySet<string>;
  /** The short name of each schemed token in the shadow roots' CSS (tokens with the same values in both schemes,
   * such as an accent colour and the focus ring drawn in it, share one). */
  short: ReadonlyMap<string, string>;
  /** The schemed tokens whose values are written under their short name: the first of each shared one. */
  declared: ReadonlySet<string>;
}

/** Reads tokens.css: the light values (first block) and which ones the dark-scheme block redefines. */
export function splitTokens(css: string): TokenSplit {
  const dark = css.indexOf('@media');
  if (dark < 0)
    throw new Error('tokens.css has no dark-scheme block (@media): update scripts/vite-shadow-css-tokens.ts');
  const valuesOf = (part: string) => new Map([...part.matchAll(DECLARATION)].map((m) => [m[1]!, m[2]!.trim()]));
  const light = valuesOf(css.slice(0, dark));
  const darkValues = valuesOf(css.slice(dark));
  const schemed = new Set(darkValues.keys());
  const fixed = new Map([...light].filter(([name]) => !schemed.has(name)));
  if (fixed.size === 0 || schemed.size === 0) throw new Error('tokens.css: no tokens found');
  const byValues = new Map<string, string>();
  const short = new Map<string, string>();
  const declared = new Set<string>();
  for (const name of schemed) {
    const values = `${light.get(name)}\n${darkValues.get(name)}`;
    let shortName = byValues.get(values);
    if (!shortName) {
      shortName = `--ra${byValues.size.toString(36)}`;
      byValues.set(values, shortName);
      declared.add(name);
    }
    short.set(name, shortName);
  }
  return { fixed, schemed, short, declared };
}

/** A shadow root's CSS with the fixed tokens written in; an unknown token is an error, not a silent blank. */
export function inlineFixedTokens(css: string, tokens: TokenSplit): string {
  return css.replace(USE, (_, name: string) => {
    const value = tokens.fixed.get(name);
    if (value !== undefined) return value;
    const short = tokens.short.get(name);
    if (short) return `var(${short})`;
    throw new Error(`${name} is not defined in components/theme/tokens.css`);
  });
}

/** tokens.css for a shadow root: only the tokens that stay variables, by their short names. */
export function schemedTokensOnly(css: string, tokens: TokenSplit): string {
  return css.replace(DECLARATION, (_, name: string, value: string) => {
    const short = tokens.declared.has(name) ? tokens.short.get(name) : undefined;
    return short ? `${short}:${value.trim()};` : '';
  });
}

export function shadowCssTokens(): Plugin {
  // Read on every use (a small file): an edited tokens.css applies without restarting `wxt` (dev).
  const split = () => splitTokens(readFileSync(TOKENS_FILE, 'utf8'));
  return {
    name: 'reauth-assist:shadow-css-tokens',
    enforce: 'pre',
    transform(code, id) {
      try {
        if (SHADOW_CSS.test(id)) return { code: inlineFixedTokens(code, split()), map: null };
        if (TOKENS_CSS.test(id)) return { code: schemedTokensOnly(code, split()), map: null };
      } catch (error) {
        this.error(`${id}: ${(error as Error).message}`);
      }
      return null;
    },
  };
}
