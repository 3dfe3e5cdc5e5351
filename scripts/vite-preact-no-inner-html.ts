/**
 * Build step: preact's only innerHTML write serves `dangerouslySetInnerHTML`, which this extension never uses.
 * addons.mozilla.org's linter (web-ext lint) flags that write as UNSAFE_VAR_ASSIGNMENT in every page bundling
 * preact. Replacing it with a thrown error keeps the Firefox lint clean and makes any future use of
 * `dangerouslySetInnerHTML` fail loudly instead of injecting markup into an extension page.
 */
import type { Plugin } from 'vite';

const PREACT_BUNDLE = /node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/;
/** `(dom.innerHTML = newHtml.__html)` in preact's minified diff. */
const SINK = /\((\w+)\.innerHTML=(\w+)\.__html\)/g;

export function preactWithoutInnerHtml(): Plugin {
  return {
    name: 'reauth-assist:preact-without-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!PREACT_BUNDLE.test(id)) return null;
      const replaced = code.replace(
        SINK,
        '(()=>{throw new Error("dangerouslySetInnerHTML is not allowed in Reauth Assist")})()',
      );
      if (replaced === code)
        this.error('preact changed: its innerHTML write was not found, update scripts/vite-preact-no-inner-html.ts');
      return { code: replaced, map: null };
    },
  };
}
