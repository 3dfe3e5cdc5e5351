/**
 * Other helpdesks' replica screens, picked up from tests/fixtures/<helpdesk>/ as they are added (SupportCenter
 * Plus, Salesorder, ...): every index.html there is served on its real path (tests/fixtures/<helpdesk>/a/b/index.html
 * -> /a/b), the Freshdesk convention, under a host name the built extension's content scripts match.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { EXTENSION_DIR } from '../tests/support/extension';
import { FIXTURES_DIR } from '../tests/support/fixture-server';

export interface HelpdeskScreen {
  /** Fixture folder name: supportcenter, salesorder, ... */
  helpdesk: string;
  file: string;
  host: string;
  path: string;
  /** Whether the extension runs on `host`: its manifest matches it, or the sandbox added it in Options. */
  matched: boolean;
  /** Set once served. */
  url?: string;
}

/** Folders whose screens the sandbox builds itself (demo/helpdesk.ts). */
const BUILT_IN = new Set(['freshdesk']);
/** Pages that quote helpdesk texts without being agent screens (help articles, portals) are not tour stops. */
const NOT_A_SCREEN = /(^|\/)(support|solutions|articles?|portal|help)(\/|$)/;

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return htmlFiles(full);
    return name === 'index.html' ? [full] : [];
  });
}

function manifestMatches(): string[] {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  if (!existsSync(manifest)) return [];
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { content_scripts?: Array<{ matches?: string[] }> };
  return (parsed.content_scripts ?? []).flatMap((c) => c.matches ?? []);
}

/** A host the extension matches for this helpdesk ("https://*.salesorder.com/*" -> acme.salesorder.com), if any. */
function matchedHost(helpdesk: string, matches: readonly string[]): string | undefined {
  for (const pattern of matches) {
    const host = /^https?:\/\/([^/]+)\//.exec(pattern)?.[1];
    if (
      !host
        ?.replace(/[^a-z]/gi, '')
        .toLowerCase()
        .includes(helpdesk.toLowerCase())
    )
      continue;
    return host.startsWith('*.') ? `acme.${host.slice(2)}` : host;
  }
  return undefined;
}

export function otherHelpdeskScreens(fixturesDir = FIXTURES_DIR, matches = manifestMatches()): HelpdeskScreen[] {
  return readdirSync(fixturesDir)
    .filter((name) => !BUILT_IN.has(name) && statSync(join(fixturesDir, name)).isDirectory())
    .sort()
    .flatMap((helpdesk) => {
      const root = join(fixturesDir, helpdesk);
      const host = matchedHost(helpdesk, matches);
      return htmlFiles(root)
        .map((file) => `/${relative(root, dirname(file)).split(sep).join('/')}`.replace(/\/$/, '') || '/')
        .filter((path) => !NOT_A_SCREEN.test(path))
        .sort()
        .map((path) => ({
          helpdesk,
          file: join(root, path, 'index.html'),
          host: host ?? `${helpdesk}.acme-helpdesk.test`,
          path,
          matched: host !== undefined,
        }));
    });
}
