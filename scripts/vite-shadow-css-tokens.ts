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
  /** The short name of each schemed token in the shadow roots' CSS. */
  short: ReadonlyMap<string, string>;
}

/** Reads tokens.css: the light values (first block) and which ones the dark-scheme block redefines. */
export function splitTokens(css: string): TokenSplit {
  const dark = css.indexOf('@media');
  if (dark < 0)
    throw new Error('tokens.css has no dark-scheme block (@media): update scripts/vite-shadow-css-tokens.ts');
  const schemed = new Set([...css.slice(dark).matchAll(DECLARATION)].map((m) => m[1]!));
  const fixed = new Map<string, string>();
  for (const [, name, value] of css.slice(0, dark).matchAll(DECLARATION))
    if (!schemed.has(name!)) fixed.set(name!, value!.trim());
  if (fixed.size === 0 || schemed.size === 0) throw new Error('tokens.css: no tokens found');
  const short = new Map([...schemed].map((name, i) => [name, `--ra${i.toString(36)}`]));
  return { fixed, schemed, short };
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
    const short = tokens.short.get(name);
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
