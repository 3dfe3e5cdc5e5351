/**
 * The account picker forced on the helpdesk's own sign-in. When the admin starts a reauthorization from a
 * marked row, the helpdesk sends the browser to the provider's authorize endpoint without `prompt`, and the
 * provider silently signs in whichever account the browser already has a session for (the seeds' wrong-account
 * trap). For a few minutes, and only in that tab and a sign-in popup it opens, declarativeNetRequest session
 * rules add `prompt=select_account` to that request, and `login_hint=<the row's address>` where the provider
 * honours it with a picker. Pure data: the worker installs the rules (entrypoints/background/signin/helpdesk-flow).
 */

export const HELPDESK_PICKER_SETTINGS_KEY = 'helpdeskPicker';

export interface HelpdeskPickerSettings {
  /** The admin's switch (Options). Off: the helpdesk's flow is left alone and the incognito guide is the fix. */
  enabled: boolean;
  /** The popup asked once for the provider permissions (granted or not): it does not ask again. */
  asked: boolean;
}

export const DEFAULT_HELPDESK_PICKER_SETTINGS: HelpdeskPickerSettings = { enabled: true, asked: false };

export function parseHelpdeskPickerSettings(raw: unknown): HelpdeskPickerSettings {
  const value = (raw ?? {}) as Partial<Record<keyof HelpdeskPickerSettings, unknown>>;
  return {
    enabled: typeof value.enabled === 'boolean' ? value.enabled : DEFAULT_HELPDESK_PICKER_SETTINGS.enabled,
    asked: typeof value.asked === 'boolean' ? value.asked : DEFAULT_HELPDESK_PICKER_SETTINGS.asked,
  };
}

/** How long a started reauthorization keeps its rules when the flow never comes back (the admin walked away). */
export const PICKER_RULE_LIFETIME_MS = 5 * 60_000;

/** Why, in one plain sentence, when the permission is asked. */
export const PICKER_PERMISSION_REASON =
  'When you press Re-authorize in the helpdesk, Reauth Assist adds "show the account picker" to the helpdesk\'s ' +
  'sign-in request to Microsoft or Google, so the browser cannot silently sign in an account it already knows; ' +
  'for that it needs access to their sign-in pages.';

export interface PickerEndpoint {
  provider: 'microsoft' | 'google' | 'generic';
  /** `https://host/*`: the host permission the rule needs. */
  origin: string;
  /** RE2 pattern of the authorize URL (up to the query). */
  pattern: string;
  /** The provider shows the picker with a login_hint too (Microsoft refuses the pair: MSAL drops the hint). */
  hint: boolean;
  /** Google issues a refresh token only with its consent screen: a `prompt` asking for consent keeps it. */
  keepConsent: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export const BUILT_IN_ENDPOINTS: readonly PickerEndpoint[] = [
  {
    provider: 'microsoft',
    origin: 'https://login.microsoftonline.com/*',
    pattern: '^https://login\\.microsoftonline\\.com/[^/?#]+/oauth2/(v2\\.0/)?authorize',
    hint: false,
    keepConsent: false,
  },
  {
    provider: 'microsoft',
    origin: 'https://login.live.com/*',
    pattern: '^https://login\\.live\\.com/oauth20_authorize\\.srf',
    hint: false,
    keepConsent: false,
  },
  {
    provider: 'google',
    origin: 'https://accounts.google.com/*',
    pattern: '^https://accounts\\.google\\.com/o/oauth2/(v2/)?auth',
    hint: true,
    keepConsent: true,
  },
];

/** A generic provider's authorize URL from Options (the helpdesk's own OAuth provider). */
export function genericEndpoint(authorizeUrl: string): PickerEndpoint | null {
  let url: URL;
  try {
    url = new URL(authorizeUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  return {
    provider: 'generic',
    origin: `https://${url.host}/*`,
    pattern: `^${escapeRe(`${url.origin}${url.pathname}`)}`,
    hint: true,
    keepConsent: true,
  };
}

/** The subset of a declarativeNetRequest rule these rules use (Chrome's and Firefox's shape). */
export interface PickerRule {
  id: number;
  priority: number;
  action: {
    type: 'redirect';
    redirect: {
      transform: {
        queryTransform: { addOrReplaceParams: Array<{ key: string; value: string }>; removeParams?: string[] };
      };
    };
  };
  condition: {
    regexFilter: string;
    resourceTypes: Array<'main_frame' | 'sub_frame'>;
    tabIds?: number[];
    initiatorDomains?: string[];
    excludedTabIds?: number[];
  };
}

export interface PickerScope {
  /** The helpdesk tab and the sign-in popups it opened so far. */
  tabIds: number[];
  /**
   * A popup the tab opens next is not known yet when its first request goes out: a navigation started by the
   * helpdesk page (its initiator) in a tab that did not exist when the rules were made.
   */
  popupsFrom?: { initiator: string; existingTabs: number[] };
}

/**
 * The rules for one reauthorization: for each endpoint, one that sets the picker (and hint), and where the
 * provider needs consent for a refresh token, a higher-priority one for requests that asked for consent.
 * `address` null: no row chosen yet (a tab that shows one): the picker alone, the helpdesk's own hint kept.
 * A function gives each endpoint its own address (or none).
 */
export function pickerRules(
  endpoints: readonly PickerEndpoint[],
  address: string | null | ((endpoint: PickerEndpoint) => string | null),
  scope: PickerScope,
  firstId: number,
): PickerRule[] {
  const rules: PickerRule[] = [];
  const scopes: Array<Pick<PickerRule['condition'], 'tabIds' | 'initiatorDomains' | 'excludedTabIds'>> = [
    { tabIds: scope.tabIds },
  ];
  if (scope.popupsFrom) {
    scopes.push({
      initiatorDomains: [scope.popupsFrom.initiator],
      excludedTabIds: [...scope.popupsFrom.existingTabs, ...scope.tabIds],
    });
  }
  let id = firstId;
  for (const endpoint of endpoints) {
    const hint = typeof address === 'function' ? address(endpoint) : address;
    for (const where of scopes) {
      const params = (prompt: string) => [
        { key: 'prompt', value: prompt },
        ...(endpoint.hint && hint ? [{ key: 'login_hint', value: hint }] : []),
      ];
      const rule = (priority: number, regexFilter: string, prompt: string): PickerRule => ({
        id: id++,
        priority,
        action: {
          type: 'redirect',
          redirect: {
            transform: {
              queryTransform: {
                addOrReplaceParams: params(prompt),
                // Microsoft refuses an account hint together with select_account.
                ...(endpoint.hint ? {} : { removeParams: ['login_hint', 'sid'] }),
              },
            },
          },
        },
        condition: { regexFilter, resourceTypes: ['main_frame', 'sub_frame'], ...where },
      });
      rules.push(rule(1, endpoint.pattern, 'select_account'));
      if (endpoint.keepConsent)
        rules.push(rule(2, `${endpoint.pattern}[^#]*[?&]prompt=[^&#]*consent`, 'select_account consent'));
    }
  }
  return rules;
}

/**
 * Before any press, the hint a tab's rules can already carry for `endpoint`: the address of the one mailbox on
 * that provider that needs reauthorization. Then a press whose navigation outruns the worker still gets the
 * right account suggested; with two or more such mailboxes only the press can tell which one is meant.
 */
export function prearmedHint(
  mailboxes: ReadonlyArray<{ address: string; state: string; provider?: string }>,
  endpoint: PickerEndpoint,
): string | null {
  const broken = mailboxes.filter((m) => m.state === 'needs-reauth' && m.provider === endpoint.provider);
  return broken.length === 1 ? broken[0]!.address : null;
}

/** Is `url` on one of the endpoints' hosts (the admin is at the provider now)? */
export function onProviderHost(url: string, endpoints: readonly PickerEndpoint[]): boolean {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return false;
  }
  return endpoints.some((e) => e.origin === `https://${host}/*`);
}

/** worker -> content script: what the row's mark says about the helpdesk's own sign-in. */
export const MARK_NOTICE_KIND = 'reauth-mark-notice';
export type MarkNotice = 'still-needs-reauth' | 'no-permission' | 'reauthorized';
export interface MarkNoticeRequest {
  kind: typeof MARK_NOTICE_KIND;
  address: string;
  notice: MarkNotice | null;
  /** The notice's words (MARK_NOTICE_TEXT), sent with it: they stay out of the content script's bundle. */
  text: string | null;
}

export const MARK_NOTICE_TEXT: Readonly<Record<MarkNotice, string>> = {
  'still-needs-reauth':
    "Still needs reauthorization after the helpdesk's sign-in. If an account signed in by itself, the guided " +
    'private-window sign-out fixes it.',
  'no-permission':
    "Reauth Assist could not make this sign-in show the account picker: allow it in Reauth Assist's toolbar popup " +
    'or Options. If the wrong account signs in by itself, use the guided sign-out.',
  reauthorized: 'Reauthorized in the helpdesk.',
};

/** Mark buttons the content script answers (the mark itself only shows them). */
/** worker -> content script: press the own Re-authorize control of the row listing `address` (popup's button). */
export const PRESS_ROW_CONTROL_KIND = 'reauth-press-row-control';
export interface PressRowControlRequest {
  kind: typeof PRESS_ROW_CONTROL_KIND;
  address: string;
}

export const MARK_ACTION_ATTR = 'data-reauth-action';
export const MARK_ACTIONS = { reauthorize: 'reauthorize-with-picker', guide: 'guided-sign-out' } as const;
