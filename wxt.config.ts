import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import { BUILT_IN_HELPDESK_MATCHES } from './lib/helpdesk-origins';
import { preactWithoutInnerHtml } from './scripts/vite-preact-no-inner-html';
import { shadowCssTokens } from './scripts/vite-shadow-css-tokens';

// Public half of the signing key: it pins the Chrome extension id (bjbknmdlnppncpgpkampigklkbmnehfg)
// so the OAuth redirect URI https://<id>.chromiumapp.org/ stays the same on every machine.
const CHROME_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1OisNWV44ZTobfGNw1Mm+g0UThtfJ19fSoDTudA7NvKp3geaGVOA0ZRV' +
  'jDjFGpVoeLu12CmOnFsts6DO8PYduyObGkEqRpWuahihdpW9oiDJ5m6+cZu+0gJzwAwcTeHeMlgNJaYLo219TbMD3V8hG0M7np9k' +
  'Yi4CcqeZtHErgh/GWuhu0oahsnWXU6q3gdaylT+YD1ucMbq4Xir3z/yLILLgzUtlWxv0AWL8OFXIlAzcE6to50fM/tb2C2LhaZZW' +
  'O1EGrqr55XDkfYh7AzlmTFddJENfRQFLgihew3RgS0yBLq6HrAA5TYD4YO7a09ODLxHYouaS9+ZinNl1SsvTiwIDAQAB';
const GECKO_ID = 'reauth-assist@reauth-assist.dev';
/** public/icon-N.png, rasterized from public/icon.svg by scripts/make-icons.ts. */
export const ICONS: Readonly<Record<string, string>> = Object.fromEntries(
  [16, 32, 48, 128].map((size) => [String(size), `icon-${size}.png`]),
);

export default defineConfig({
  srcDir: '.',
  // REAUTH_OUT lets parallel work trees-in-one (and benchmarks) build side by side without clobbering.
  outDir: process.env.REAUTH_OUT ?? '.output',
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    // Terser over esbuild's minifier: about 4% less gzipped, which keeps the Freshdesk content script (loaded
    // into every helpdesk page) within its 20 kB budget. Builds take a few seconds longer. REAUTH_NOMIN=1: a
    // readable bundle whose CPU profile names our functions (scripts/profile-detection.ts).
    build: {
      minify: process.env.REAUTH_NOMIN ? false : 'terser',
      terserOptions: { ecma: 2020, compress: { passes: 2 } },
    },
    plugins: [preactWithoutInnerHtml(), shadowCssTokens()],
    resolve: {
      alias: {
        react: 'preact/compat',
        'react-dom': 'preact/compat',
        // The content scripts' lifetime without WXT's timers and location watcher (see script-context.ts).
        'wxt/utils/content-script-context': fileURLToPath(
          new URL('./entrypoints/helpdesk.content/script-context.ts', import.meta.url),
        ),
      },
    },
  }),
  hooks: {
    // The Freshdesk content script, alone, squeezed harder (about 30 B gzipped): function expressions become
    // arrows, unsafe only for code that calls one with `new` or reads its prototype, as bundled libraries may.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!config.build?.terserOptions || !entrypoints.some((e) => e.name === 'helpdesk')) return;
      config.build.terserOptions = { ...config.build.terserOptions, compress: { passes: 3, unsafe_arrows: true } };
    },
  },
  // `npm run zip`: the Chrome Web Store package, and for AMO the Firefox package plus the sources it reviews
  // (what builds the extension: the companion, demo, tests and screenshots stay out).
  zip: {
    artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip',
    sourcesTemplate: '{{name}}-{{version}}-sources.zip',
    excludeSources: ['companion/**', 'demo/**', 'tests/**', 'docs/screenshots/**', 'test-results/**', '.ci/**'],
  },
  manifest: ({ browser }) => ({
    name: 'Reauth Assist',
    description:
      'Finds the helpdesk support mailboxes that need OAuth reauthorization, says why, and walks you through the fix.',
    // webNavigation tells a new document (clears a tab's state) from a History API navigation (keeps it);
    // tabs.onUpdated reports both alike. Same install warning as "tabs", which is already asked for.
    // identity: sign-in windows (launchWebAuthFlow); offscreen: MSAL needs a DOM (Chrome only; Firefox's
    // background page has one).
    // declarativeNetRequestWithHostAccess: the account picker on the helpdesk's own sign-in (session rules, only
    // where the optional provider host permissions were granted; no install warning of its own).
    permissions: [
      'storage',
      'scripting',
      'tabs',
      'webNavigation',
      'identity',
      'alarms',
      'declarativeNetRequestWithHostAccess',
      'notifications',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    // alarms: the companion's mailbox states are polled for the badge with no popup or helpdesk tab open.
    // notifications: a desktop notification when a watched mailbox breaks or comes back (Options can turn it off).
    // 127.0.0.1 / localhost: the companion (match patterns ignore ports, so any port it was started on).
    host_permissions: [...BUILT_IN_HELPDESK_MATCHES, 'http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    icons: ICONS,
    action: { default_title: 'Reauth Assist', default_icon: ICONS },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // data_collection_permissions (AMO requires it of new add-ons) exists from Firefox 140 ESR, Android 142.
            gecko: { id: GECKO_ID, strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : { key: CHROME_PUBLIC_KEY, minimum_chrome_version: '116' }),
  }),
});
