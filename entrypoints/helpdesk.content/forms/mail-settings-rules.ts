/**
 * Rules for a helpdesk's OAuth mail server form (SupportCenter Plus: Admin >> Helpdesk >> Mail Server
 * Settings >> Incoming / Outgoing): what is wrong with the values as entered, next to which field, and the
 * fix; and the values "Fill from provider" puts in. Pure and free of zod; only the content script's form
 * assistant uses it (host-name facts shared with other parts live in lib/mail-hosting.ts).
 *
 * What the rules know comes from the seeds (003: OAuth over IMAPS only, ports auto-filled per protocol)
 * and the providers' own documentation (Microsoft 365 answers SMTP submission on 587 only; one resource per
 * token request; EWS and IMAP/SMTP tokens are for different resources).
 */
import {
  GOOGLE_AUTHORIZE_ENDPOINT,
  GOOGLE_TOKEN_ENDPOINT,
  microsoftAuthorizeEndpoint,
  microsoftTokenEndpoint,
  PROVIDERS,
} from '../../../lib/providers';
import { cloudProviderOf, hostOf, type CloudProvider } from '../../../lib/mail-hosting';

export { cloudProviderOf, hostOf, type CloudProvider };

export type Direction = 'incoming' | 'outgoing';
/** The effective protocol: the Connection Protocol (EWS, Graph) or, for mail protocols, the Protocol choice. */
export type MailProtocol = 'POP' | 'IMAP' | 'POPS' | 'IMAPS' | 'EWS' | 'GRAPH' | 'SMTP' | 'SMTPS';
export type AuthType = 'basic' | 'oauth';

export interface MailSettingsForm {
  direction: Direction;
  protocol: MailProtocol | null;
  authType: AuthType | null;
  /** Server name / IP address (mail protocols) or the host of the Connect URL (EWS). */
  server: string;
  port: number | null;
  username: string;
  emails: readonly string[];
  clientId: string;
  authorizeUrl: string;
  tokenUrl: string;
  scope: string;
  redirectUrl: string;
  /** The TLS switch (outgoing SMTP); null where the form has none. */
  tls: boolean | null;
}

export type MailSettingsField =
  | 'authType'
  | 'protocol'
  | 'server'
  | 'port'
  | 'tls'
  | 'scope'
  | 'authorizeUrl'
  | 'tokenUrl';

export type MailSettingsRuleId =
  | 'basic-auth-cloud'
  | 'oauth-needs-imaps'
  | 'basic-unencrypted'
  | 'microsoft-smtp-465'
  | 'microsoft-smtp-tls'
  | 'port-mismatch'
  | 'scope-protocol-mismatch'
  | 'scope-mixed-resources'
  | 'provider-mismatch';

export interface MailSettingsFinding {
  rule: MailSettingsRuleId;
  /** The field the mark goes next to. */
  field: MailSettingsField;
  problem: string;
  fix: string;
}

const PROVIDER_NAMES: Readonly<Record<CloudProvider, string>> = {
  microsoft: 'Microsoft 365',
  google: 'Google (Gmail)',
};

/** What one scope grants, as far as these rules care. */
type ScopeKind = 'imap' | 'pop' | 'smtp' | 'ews' | 'graph' | 'google-mail' | 'other';

interface ParsedScope {
  value: string;
  kind: ScopeKind;
  provider: CloudProvider | null;
}

function parseScope(value: string): ParsedScope {
  const v = value.toLowerCase();
  const microsoftResource = /^https:\/\/outlook\.office(?:365)?\.com\//.test(v);
  if (microsoftResource && /\/imap\.accessasuser\.all$/.test(v)) return { value, kind: 'imap', provider: 'microsoft' };
  if (microsoftResource && /\/pop\.accessasuser\.all$/.test(v)) return { value, kind: 'pop', provider: 'microsoft' };
  if (microsoftResource && /\/smtp\.send$/.test(v)) return { value, kind: 'smtp', provider: 'microsoft' };
  if (microsoftResource && /\/ews\.accessasuser\.all$/.test(v)) return { value, kind: 'ews', provider: 'microsoft' };
  if (microsoftResource) return { value, kind: 'other', provider: 'microsoft' };
  if (/^https:\/\/graph\.microsoft\.com\//.test(v)) return { value, kind: 'graph', provider: 'microsoft' };
  if (v === 'https://mail.google.com/' || v === 'https://mail.google.com')
    return { value, kind: 'google-mail', provider: 'google' };
  if (/^https:\/\/www\.googleapis\.com\/auth\//.test(v)) return { value, kind: 'other', provider: 'google' };
  return { value, kind: 'other', provider: null };
}

export function splitScopes(scope: string): string[] {
  return scope.split(/[\s,]+/).filter(Boolean);
}

function scopeProvider(scopes: readonly ParsedScope[]): CloudProvider | null {
  const providers = new Set(scopes.map((s) => s.provider).filter((p): p is CloudProvider => p !== null));
  return providers.size === 1 ? [...providers][0]! : null;
}

// ------------------------------------------------------------------------------------------------ protocol facts

/** Ports each protocol answers on by convention (what SupportCenter Plus auto-fills). */
export const PROTOCOL_PORTS: Readonly<Record<MailProtocol, readonly number[]>> = {
  POP: [110],
  POPS: [995],
  IMAP: [143],
  IMAPS: [993],
  SMTP: [587, 25],
  SMTPS: [465],
  EWS: [],
  GRAPH: [],
};

/** The Microsoft scope each protocol needs (EWS and IMAP/SMTP are different resources). */
const MICROSOFT_SCOPE_FOR: Readonly<Record<MailProtocol, { kind: ScopeKind; scope: string }>> = {
  IMAP: { kind: 'imap', scope: 'https://outlook.office.com/IMAP.AccessAsUser.All' },
  IMAPS: { kind: 'imap', scope: 'https://outlook.office.com/IMAP.AccessAsUser.All' },
  POP: { kind: 'pop', scope: 'https://outlook.office.com/POP.AccessAsUser.All' },
  POPS: { kind: 'pop', scope: 'https://outlook.office.com/POP.AccessAsUser.All' },
  SMTP: { kind: 'smtp', scope: 'https://outlook.office.com/SMTP.Send' },
  SMTPS: { kind: 'smtp', scope: 'https://outlook.office.com/SMTP.Send' },
  EWS: { kind: 'ews', scope: 'https://outlook.office365.com/EWS.AccessAsUser.All' },
  GRAPH: { kind: 'graph', scope: 'https://graph.microsoft.com/Mail.ReadWrite' },
};

const KIND_WORDS: Readonly<Record<ScopeKind, string>> = {
  imap: 'IMAP',
  pop: 'POP',
  smtp: 'SMTP',
  ews: 'EWS',
  graph: 'Microsoft Graph',
  'google-mail': 'Gmail',
  other: 'another API',
};

function protocolWords(protocol: MailProtocol): string {
  return protocol === 'GRAPH' ? 'Microsoft Graph' : protocol;
}

// ------------------------------------------------------------------------------------------------ fill from provider

export interface ProviderFill {
  authorizeUrl: string;
  tokenUrl: string;
  scope: string;
}

const TENANT = /^[A-Za-z0-9.-]{1,128}$/;

export function isTenant(value: string): boolean {
  return TENANT.test(value.trim());
}

/**
 * The Authorize URL, Access Token URL and Scope for a provider and the form's protocol. Microsoft: the
 * tenant id or domain, or `organizations` (any work or school account). The refresh token comes with
 * `offline_access`; Google's scope alone grants IMAP, SMTP and its APIs.
 */
export function providerFill(
  provider: CloudProvider,
  form: Pick<MailSettingsForm, 'direction' | 'protocol'>,
  tenant = 'organizations',
): ProviderFill {
  if (provider === 'google') {
    return {
      authorizeUrl: GOOGLE_AUTHORIZE_ENDPOINT,
      tokenUrl: GOOGLE_TOKEN_ENDPOINT,
      scope: 'https://mail.google.com/',
    };
  }
  const t = isTenant(tenant) ? tenant.trim() : 'organizations';
  const protocol = form.protocol ?? (form.direction === 'incoming' ? 'IMAPS' : 'SMTP');
  return {
    authorizeUrl: microsoftAuthorizeEndpoint(t),
    tokenUrl: microsoftTokenEndpoint(t),
    scope: `${MICROSOFT_SCOPE_FOR[protocol].scope} offline_access`,
  };
}

/**
 * Where to register the helpdesk as an OAuth client, with the page's own Redirect URL, step by step.
 * The helpdesk's server redeems the code with a client secret, so it is a Web (confidential) client.
 */
export function registrationSteps(
  provider: CloudProvider,
  redirectUrl: string,
  protocol: MailProtocol | null,
): string[] {
  const redirect = redirectUrl.trim() || '(the Redirect URL this page shows)';
  if (provider === 'google') {
    return [
      'Open Google Cloud console (console.cloud.google.com) with the Workspace admin account and pick or create ' +
        'a project.',
      'APIs & Services > Library: enable the Gmail API.',
      'APIs & Services > OAuth consent screen: User type Internal; add the scope https://mail.google.com/.',
      'APIs & Services > Credentials > Create credentials > OAuth client ID > Application type "Web application".',
      `Authorized redirect URIs > Add URI: ${redirect}`,
      'Create, then copy the Client ID and the Client secret into this form.',
    ];
  }
  const scope = MICROSOFT_SCOPE_FOR[protocol ?? 'IMAPS'];
  const permission =
    scope.kind === 'ews'
      ? 'APIs my organization uses > Office 365 Exchange Online > Delegated permissions > EWS.AccessAsUser.All'
      : scope.kind === 'graph'
        ? 'Microsoft Graph > Delegated permissions > Mail.ReadWrite'
        : `Microsoft Graph > Delegated permissions > ${scope.scope.split('/').pop()}`;
  return [
    'Open the Microsoft Entra admin center (entra.microsoft.com) > Identity > Applications > App registrations ' +
      '> New registration.',
    'Supported account types: "Accounts in this organizational directory only" (use your tenant in Fill from ' +
      'provider), or any organizational directory (use organizations).',
    `Redirect URI: platform "Web", value ${redirect} (exactly as shown, including the path).`,
    'Register, then copy the Application (client) ID into Client ID.',
    'Certificates & secrets > New client secret: copy its Value (not its ID) into Client Secret before leaving ' +
      'the page.',
    `API permissions > Add a permission > ${permission}, and offline_access; then "Grant admin consent for ` +
      `<your organisation>".`,
    "Back here: Save, and sign in with the mailbox's own account in the consent window (not your personal one).",
  ];
}

// ------------------------------------------------------------------------------------------------ the rules

function check(form: MailSettingsForm): MailSettingsFinding[] {
  const findings: MailSettingsFinding[] = [];
  const serverProvider = cloudProviderOf(form.server);
  const protocol = form.protocol;
  const oauth = form.authType === 'oauth';

  if (form.authType === 'basic' && serverProvider) {
    findings.push({
      rule: 'basic-auth-cloud',
      field: 'authType',
      problem:
        `Basic authentication on a ${PROVIDER_NAMES[serverProvider]} server: ` +
        (serverProvider === 'microsoft'
          ? 'Microsoft turned Basic authentication off for IMAP, POP, SMTP AUTH and EWS in Exchange Online'
          : 'Google no longer accepts the mailbox password from apps') +
        '.',
      fix:
        'Choose OAuth as the Authentication Type, then press Fill from provider for the Authorize URL, ' +
        'Access Token URL and Scope.',
    });
  }

  if (form.direction === 'incoming' && oauth && (protocol === 'POP' || protocol === 'IMAP' || protocol === 'POPS')) {
    findings.push({
      rule: 'oauth-needs-imaps',
      field: 'protocol',
      problem: `OAuth with ${protocol}: SupportCenter Plus fetches mail with OAuth over IMAPS only.`,
      fix: 'Choose IMAPS as the Protocol (port 993).',
    });
  }

  if (form.direction === 'incoming' && form.authType === 'basic' && (protocol === 'IMAP' || protocol === 'POP')) {
    const secure = protocol === 'IMAP' ? 'IMAPS' : 'POPS';
    findings.push({
      rule: 'basic-unencrypted',
      field: 'protocol',
      problem:
        `Basic authentication over ${protocol}${form.port ? ` on port ${form.port}` : ''}: the mailbox ` +
        `password can cross the network unencrypted (${protocol} starts in plain text).`,
      fix:
        `Choose ${secure} (port ${PROTOCOL_PORTS[secure][0]})` +
        (serverProvider ? ', and OAuth: this provider no longer accepts the password at all' : '') +
        '.',
    });
  }

  const microsoftSmtp = form.direction === 'outgoing' && serverProvider === 'microsoft' && protocol !== 'EWS';
  if (microsoftSmtp && form.port === 465) {
    findings.push({
      rule: 'microsoft-smtp-465',
      field: 'port',
      problem: 'Microsoft 365 does not answer SMTP on port 465 (some helpdesk articles still give 465).',
      fix:
        `Use ${PROVIDERS.microsoft.smtp!.host}, port ${PROVIDERS.microsoft.smtp!.port}, ` +
        'with TLS on (Protocol SMTP).',
    });
  } else if (
    protocol &&
    form.port !== null &&
    PROTOCOL_PORTS[protocol].length > 0 &&
    !PROTOCOL_PORTS[protocol].includes(form.port)
  ) {
    const expected = PROTOCOL_PORTS[protocol];
    findings.push({
      rule: 'port-mismatch',
      field: 'port',
      problem: `Port ${form.port} does not match ${protocol}, which answers on ${expected.join(' or ')}.`,
      fix: `Set the port to ${expected[0]}, or choose the protocol that port belongs to.`,
    });
  }
  if (microsoftSmtp && form.port === 587 && form.tls === false) {
    findings.push({
      rule: 'microsoft-smtp-tls',
      field: 'tls',
      problem: 'Microsoft 365 requires TLS (STARTTLS) on port 587 before it accepts a sign-in.',
      fix: 'Tick TLS.',
    });
  }

  const scopes = splitScopes(form.scope).map(parseScope);
  const byScope = scopeProvider(scopes);
  if (oauth && protocol && byScope === 'microsoft') {
    const needed = MICROSOFT_SCOPE_FOR[protocol];
    const resources = new Set(
      scopes
        .filter((s) => s.provider === 'microsoft' && s.kind !== 'other')
        .map((s) => (s.kind === 'graph' ? 'graph' : s.kind === 'ews' ? 'ews' : 'outlook')),
    );
    if (resources.size > 1) {
      findings.push({
        rule: 'scope-mixed-resources',
        field: 'scope',
        problem:
          'The scope asks two Microsoft resources at once (Graph, EWS and IMAP/SMTP are separate): Microsoft ' +
          'refuses the token request (AADSTS700022).',
        fix: `Keep only ${needed.scope} offline_access for ${protocolWords(protocol)}.`,
      });
    } else if (!scopes.some((s) => s.kind === needed.kind)) {
      const found = scopes.find((s) => s.provider === 'microsoft' && s.kind !== 'other');
      findings.push({
        rule: 'scope-protocol-mismatch',
        field: 'scope',
        problem: found
          ? `The scope is for ${KIND_WORDS[found.kind]} (${found.value}), the connection is ` +
            `${protocolWords(protocol)}: the token would be refused.`
          : `The scope has no ${protocolWords(protocol)} permission.`,
        fix: `Use ${needed.scope} offline_access.`,
      });
    }
  }

  if (oauth) {
    const byAuthorize = cloudProviderOf(form.authorizeUrl);
    const byToken = cloudProviderOf(form.tokenUrl);
    const urls = byAuthorize ?? byToken;
    if (byAuthorize && byToken && byAuthorize !== byToken) {
      findings.push({
        rule: 'provider-mismatch',
        field: 'tokenUrl',
        problem:
          `The Authorize URL is ${PROVIDER_NAMES[byAuthorize]}'s, the Access Token URL is ` +
          `${PROVIDER_NAMES[byToken]}'s.`,
        fix: `Press Fill from provider and choose ${PROVIDER_NAMES[serverProvider ?? byAuthorize]}.`,
      });
    } else if (urls && byScope && byScope !== urls) {
      findings.push({
        rule: 'provider-mismatch',
        field: 'scope',
        problem:
          `The Authorize and Access Token URLs are ${PROVIDER_NAMES[urls]}'s, the scope is ` +
          `${PROVIDER_NAMES[byScope]}'s.`,
        fix: `Press Fill from provider and choose ${PROVIDER_NAMES[serverProvider ?? urls]}.`,
      });
    } else if (urls && serverProvider && serverProvider !== urls) {
      findings.push({
        rule: 'provider-mismatch',
        field: 'authorizeUrl',
        problem:
          `The server is ${PROVIDER_NAMES[serverProvider]}'s, the Authorize URL is ` +
          `${PROVIDER_NAMES[urls]}'s: its tokens are not accepted there.`,
        fix: `Press Fill from provider and choose ${PROVIDER_NAMES[serverProvider]}.`,
      });
    }
  }
  return findings;
}

/** Everything wrong with the form as entered, at most one finding per field (the first rule wins). */
export function checkMailSettings(form: MailSettingsForm): MailSettingsFinding[] {
  const seen = new Set<MailSettingsField>();
  return check(form).filter((f) => {
    if (seen.has(f.field)) return false;
    seen.add(f.field);
    return true;
  });
}

/** The provider a form is about: its server first, then its URLs and scope. */
export function formProvider(form: MailSettingsForm): CloudProvider | null {
  return (
    cloudProviderOf(form.server) ??
    cloudProviderOf(form.authorizeUrl) ??
    cloudProviderOf(form.tokenUrl) ??
    scopeProvider(splitScopes(form.scope).map(parseScope))
  );
}
