/**
 * Who exists in the test world: accounts that can sign in at the identity provider, the mailboxes Dovecot
 * holds for them, and the OAuth clients registered at the provider. Plain data shared by every server.
 */
export type ProviderKind = 'microsoft' | 'google' | 'generic';

export interface StackAccount {
  /** Sign-in name and mailbox address (preferred_username / email in the id token, the IMAP/SMTP user). */
  email: string;
  name: string;
  provider: ProviderKind;
  /** Stable subject (`sub`); for Microsoft also the object id (`oid`) and tenant id (`tid`). */
  sub: string;
  oid?: string;
  tid?: string;
  /** Shown on the account picker and can sign in (a shared mailbox cannot). */
  canSignIn: boolean;
  /** Listed on the account picker only when the sign-in names it (login_hint): thousands of benchmark mailboxes. */
  pickerOnlyWhenHinted?: boolean;
  /** Has an IMAP mailbox in Dovecot. */
  mailbox: boolean;
  /** Valid tokens are refused at IMAP (Exchange with IMAP disabled for the mailbox). */
  imapDisabled?: boolean;
  /** SMTP reply for this user at start (switchable with smtp.setAuthBehaviour). */
  smtpAuth?: 'ok' | 'smtp-auth-disabled' | 'shared-mailbox';
  /** Mailboxes this account may open besides its own (delegate of a shared mailbox). */
  delegateOf?: readonly string[];
  role: string;
}

/** Tenant ids (GUIDs like Microsoft's). `consumers` is Microsoft's real tenant id for personal accounts. */
export const TENANTS = {
  contoso: { id: 'c5a1f3e0-7b2d-4c8e-9f10-2d3b4c5d6e01', domain: 'contoso.test' },
  fabrikam: { id: 'f4b2c8d1-3e5a-4b6c-8d7e-9f0a1b2c3d02', domain: 'fabrikam.test' },
  consumers: { id: '9188040d-6c67-4c5b-b112-36a304b66dad', domain: 'outlook.com' },
} as const;

function microsoft(
  email: string,
  name: string,
  tenant: keyof typeof TENANTS,
  n: number,
  extra: Partial<StackAccount> = {},
): StackAccount {
  const oid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    email,
    name,
    provider: 'microsoft',
    sub: `ms-sub-${n}`,
    oid,
    tid: TENANTS[tenant].id,
    canSignIn: true,
    mailbox: true,
    smtpAuth: 'ok',
    role: '',
    ...extra,
  };
}

export const ACCOUNTS = {
  /** The right account: the support mailbox's own Microsoft 365 user. */
  support: microsoft('support@contoso.test', 'Contoso Support', 'contoso', 1, {
    role: 'right account for the support mailbox',
  }),
  /** Another user of the same tenant, signed in by mistake. */
  wrongUser: microsoft('wrong.user@contoso.test', 'Wrong User', 'contoso', 2, { role: 'wrong account (same tenant)' }),
  /** Signs in on behalf of the shared mailbox. */
  delegate: microsoft('delegate@contoso.test', 'Dana Delegate', 'contoso', 3, {
    delegateOf: ['shared@contoso.test'],
    role: 'delegate of shared@contoso.test',
  }),
  /** A shared mailbox: no sign-in of its own; SMTP answers 535 5.7.3 when it authenticates as itself. */
  shared: microsoft('shared@contoso.test', 'Contoso Shared Inbox', 'contoso', 4, {
    canSignIn: false,
    smtpAuth: 'shared-mailbox',
    role: 'shared mailbox (delegate signs in)',
  }),
  /** Valid tokens, but IMAP is disabled for the mailbox (Exchange answers "AUTHENTICATE failed"). */
  imapDisabled: microsoft('imap-disabled@contoso.test', 'IMAP Disabled', 'contoso', 5, {
    imapDisabled: true,
    role: 'IMAP disabled for the mailbox',
  }),
  /** SMTP AUTH turned off for the tenant: 535 5.7.139. */
  smtpDisabled: microsoft('smtp-disabled@contoso.test', 'SMTP AUTH Disabled', 'contoso', 6, {
    smtpAuth: 'smtp-auth-disabled',
    role: 'SMTP AUTH disabled (535 5.7.139)',
  }),
  /** An account of another organisation (AADSTS50020 situations, wrong tenant). */
  otherTenant: microsoft('helpdesk@fabrikam.test', 'Fabrikam Helpdesk', 'fabrikam', 7, {
    role: 'account in another tenant',
  }),
  /** A personal Microsoft account (consumers tenant). */
  personal: microsoft('contoso.helpdesk@outlook.com', 'Contoso Helpdesk (personal)', 'consumers', 8, {
    role: 'personal Microsoft account',
  }),
  /** Google Workspace / Gmail mailbox. */
  gmail: {
    email: 'support@acme-gmail.test',
    name: 'Acme Support',
    provider: 'google',
    sub: '104560000000000000001',
    canSignIn: true,
    mailbox: true,
    smtpAuth: 'ok',
    role: 'Google mailbox',
  },
  /** A second Google account (wrong account on the picker). */
  gmailWrong: {
    email: 'someone.else@acme-gmail.test',
    name: 'Someone Else',
    provider: 'google',
    sub: '104560000000000000002',
    canSignIn: true,
    mailbox: true,
    smtpAuth: 'ok',
    role: 'wrong Google account',
  },
  /** Generic OAuth provider account (SupportCenter Plus style custom app). */
  generic: {
    email: 'helpdesk@acme-helpdesk.test',
    name: 'Acme Helpdesk',
    provider: 'generic',
    sub: 'generic-1',
    canSignIn: true,
    mailbox: true,
    smtpAuth: 'ok',
    role: 'generic provider account',
  },
} as const satisfies Record<string, StackAccount>;

export type AccountRole = keyof typeof ACCOUNTS;

/**
 * Benchmarks only (scripts/bench-companion-server.ts): REAUTH_STACK_BENCH_MAILBOXES=N adds N plain Microsoft
 * mailboxes box1@contoso.test ... boxN@contoso.test, so a companion can watch that many distinct mailboxes.
 */
function benchAccounts(count: number): StackAccount[] {
  return Array.from({ length: count }, (_, i) =>
    // mailbox: false skips seeding a thousand maildirs (minutes); Dovecot opens any user's maildir at first login.
    microsoft(`box${i + 1}@contoso.test`, `Bench Box ${i + 1}`, 'contoso', 10_000 + i, {
      role: 'benchmark mailbox',
      mailbox: false,
      pickerOnlyWhenHinted: true,
    }),
  );
}

export const ACCOUNT_LIST: readonly StackAccount[] = [
  ...Object.values(ACCOUNTS),
  ...benchAccounts(Math.max(0, Math.floor(Number(process.env.REAUTH_STACK_BENCH_MAILBOXES ?? 0)) || 0)),
];

export function accountByEmail(email: string): StackAccount | undefined {
  const wanted = email.trim().toLowerCase();
  return ACCOUNT_LIST.find((a) => a.email === wanted);
}

/** The extension's redirect URI (chrome.identity.getRedirectURL() with the pinned id). */
export const EXTENSION_REDIRECT_URI = 'https://bjbknmdlnppncpgpkampigklkbmnehfg.chromiumapp.org/';

export interface StackClient {
  clientId: string;
  /** Set: confidential client (client_secret_post or client_secret_basic). Unset: public client (auth method none). */
  clientSecret?: string;
  /**
   * Allowed redirect URIs, exact match. Default: the extension's redirect URI; any https://*.chromiumapp.org/...
   * is always allowed too (other extension ids, Firefox's *.extensions.allizom.org as well).
   */
  redirectUris?: string[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
}

export const CLIENTS = {
  /** Public client as registered for the extension (SPA / "single-page application" redirect type). */
  public: { clientId: 'a3c5e1f0-7b2d-4c8e-9f10-2d3b4c5d6e7f' },
  /** Confidential client (web redirect type) for the companion's code-redemption mode. */
  confidential: { clientId: 'b7d9f2a4-1c3e-4f5a-8b6c-7d8e9f0a1b2c', clientSecret: 'companion-test-secret-3b1f' },
  /** The only client allowed to call token introspection (Dovecot and the SMTP server). */
  introspection: { clientId: 'mail-servers-introspection', clientSecret: 'introspection-test-secret-9c2e' },
} as const satisfies Record<string, StackClient>;
