/**
 * Which web origins count as a helpdesk: Freshdesk's own domains out of the box, plus origins the admin adds
 * in the options page (Freshdesk custom domains, self-hosted helpdesks). Pure functions, shared by the
 * options page (validation as the admin types) and the worker (validation of what it is asked to register).
 */

/** Granted at install (manifest host_permissions); the content script is declared for it statically. */
export const BUILT_IN_HELPDESK_MATCHES = ['https://*.freshdesk.com/*'] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Does one of the built-in match patterns ("https://*.freshdesk.com/*") cover this URL? */
function isBuiltInHelpdeskUrl(url: URL): boolean {
  return BUILT_IN_HELPDESK_MATCHES.some((pattern) => {
    const [, scheme, host] = /^([a-z]+):\/\/\*\.([^/]+)\/\*$/.exec(pattern) ?? [];
    return url.protocol === `${scheme}:` && host !== undefined && url.hostname.endsWith(`.${host}`);
  });
}

export type HelpdeskOriginParse = { ok: true; origin: string; matchPattern: string } | { ok: false; error: string };

/**
 * Accepts an origin such as `https://support.acme-helpdesk.test` (a trailing slash is tolerated).
 * The match pattern carries no port: Firefox rejects ports in match patterns and Chromium ignores them,
 * so the grant covers every port of that host name.
 */
export function parseHelpdeskOrigin(input: string): HelpdeskOriginParse {
  const text = input.trim();
  if (text === '')
    return { ok: false, error: 'Enter the address of your helpdesk, for example https://support.example.com.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return { ok: false, error: `Start with https:// (for example https://${text.replace(/^\/+/, '')}).` };
  }
  const url = safeUrl(text);
  if (url === null || url.hostname === '') return { ok: false, error: `"${text}" is not a web address.` };
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { ok: false, error: 'Use an https:// address (plain http:// is accepted only for localhost).' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: 'Leave out the user name and password: enter only https:// and the host name.' };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return { ok: false, error: `Enter only the origin, without a path: ${url.origin}` };
  }
  if (url.hostname.includes('*')) return { ok: false, error: 'Wildcards are not allowed: enter one host name.' };
  if (!loopback && !url.hostname.includes('.')) {
    return { ok: false, error: `"${url.hostname}" is not a full host name (for example support.example.com).` };
  }
  if (isBuiltInHelpdeskUrl(url)) {
    return { ok: false, error: `${url.hostname} is a Freshdesk domain: it is already covered, nothing to add.` };
  }
  return { ok: true, origin: url.origin, matchPattern: `${url.protocol}//${url.hostname}/*` };
}

/** Does `url` belong to `origin` for the purposes of a granted match pattern (host name and scheme; any port)? */
export function urlMatchesOrigin(url: string, origin: string): boolean {
  const a = safeUrl(url);
  const b = safeUrl(origin);
  return a !== null && b !== null && a.protocol === b.protocol && a.hostname === b.hostname;
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
