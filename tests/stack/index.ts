/**
 * The real test servers every later test uses: an OAuth 2.0 / OpenID Connect provider (npm oidc-provider) that
 * answers under Microsoft's, Google's and a generic provider's host names and paths, Dovecot IMAP validating
 * tokens through that provider's introspection endpoint, and an SMTP submission server (npm smtp-server) that
 * validates tokens the same way and delivers into Dovecot over LMTP. Everything listens on 127.0.0.1 on
 * OS-chosen ports and keeps its files in a mkdtemp folder, so parallel runs never collide.
 *
 * README.md next to this file documents the accounts, paths and switches.
 */
export type { ProviderKind, StackAccount, AccountRole, StackClient } from './accounts';
export { ACCOUNTS, ACCOUNT_LIST, CLIENTS, TENANTS, EXTENSION_REDIRECT_URI, accountByEmail } from './accounts';

import type { ProviderKind, StackAccount, StackClient } from './accounts';

// ---------------------------------------------------------------------------------------------- identity

export interface TokenSet {
  access_token: string;
  /** Present when offline access was asked for (offline_access scope, or Google's access_type=offline). */
  refresh_token?: string;
  /** Present when `openid` was in the scope. */
  id_token?: string;
  expires_in: number;
  token_type: 'Bearer';
  scope: string;
}

/** One authorization request as the server received it (before any internal rewriting). */
export interface AuthorizeRequestRecord {
  provider: ProviderKind;
  /** Host the browser asked for (login.microsoftonline.com, accounts.google.com, idp.reauth.test, 127.0.0.1...). */
  host: string;
  /** Microsoft only: organizations | consumers | common | <tenant id or domain>. */
  tenant?: string;
  path: string;
  /** Every query parameter as sent (prompt, login_hint, code_challenge_method, nonce, state, client_id, scope, ...). */
  query: Record<string, string>;
  at: Date;
}

/** A provider error the authorize endpoint returns to the redirect URI after an account is chosen. */
export interface AuthorizeErrorSwitch {
  error: string;
  error_description: string;
  /** Only for these accounts (default: any). */
  accounts?: string[];
  /** Only for this client id (default: any). */
  clientId?: string;
  /** Only for this provider (default: any). */
  provider?: ProviderKind;
  /** Fire once and clear itself (default: stays until cleared or admin consent is granted). */
  once?: boolean;
}

export interface TokenErrorSwitch {
  error: string;
  error_description: string;
  error_codes?: number[];
  suberror?: string;
}

/** Named Microsoft errors, with Microsoft's own wording. */
export type MicrosoftErrorPreset =
  | 'consent_required' // AADSTS65001
  | 'admin_consent_required' // AADSTS90094
  | 'mfa_required' // AADSTS50076
  | 'app_not_found' // AADSTS700016
  | 'conditional_access' // AADSTS53003
  | 'other_tenant'; // AADSTS50020

export interface IssueTokensOptions {
  /** E-mail address of one of ACCOUNTS (the account that signs in). */
  account: string;
  /** Which issuer to go through (default: the account's provider). */
  provider?: ProviderKind;
  /** Default: CLIENTS.public.clientId. A confidential client redeems with its secret. */
  clientId?: string;
  /** Default: the provider's mail scopes (lib/providers.ts) incl. offline_access for Microsoft/generic. */
  scope?: string;
  /** Microsoft tenant path segment (default: organizations, or consumers for personal accounts). */
  tenant?: string;
  /** Access token lifetime in seconds for this grant (refreshes keep it). Default: client's, else 3600. */
  accessTokenTtl?: number;
}

/** An authorization code the provider issued, not yet redeemed: what a confidential client's server receives. */
export interface IssuedCode {
  code: string;
  codeVerifier: string;
  /** Sent on the authorize request; the id token carries it back. */
  nonce: string;
  redirectUri: string;
  clientId: string;
  provider: ProviderKind;
  tenant: string;
}

export interface IntrospectionResult {
  active: boolean;
  sub?: string;
  username?: string;
  scope?: string;
  client_id?: string;
  exp?: number;
  [claim: string]: unknown;
}

export interface IdentityProvider {
  /** The one HTTPS port every provider host name is served on (127.0.0.1). */
  port: number;
  /** https://127.0.0.1:PORT: reaches the generic issuer (idp.reauth.test) and Microsoft's paths without a host map. */
  origin: string;
  /** Host names served (all on `port`). */
  hosts: readonly string[];
  /**
   * Chromium `--host-resolver-rules` entries mapping every provider host name to 127.0.0.1:PORT, e.g.
   * "MAP login.microsoftonline.com 127.0.0.1:41234, MAP accounts.google.com 127.0.0.1:41234, ...".
   */
  hostResolverRules: string;
  /**
   * Production URLs the extension uses unchanged (valid in Chromium with `hostResolverRules`, or via `fetch`
   * below).
   */
  urls: {
    microsoft: {
      authority(tenant: string): string;
      authorize(tenant: string): string;
      token(tenant: string): string;
      discovery(tenant: string): string;
      keys(tenant: string): string;
      logout(tenant: string): string;
      adminConsent(tenant: string): string;
      /** Issuer in id tokens: https://login.microsoftonline.com/{tid}/v2.0 */
      issuer(tid: string): string;
    };
    google: { issuer: string; authorize: string; token: string; revoke: string; keys: string; discovery: string };
    generic: {
      issuer: string;
      authorize: string;
      token: string;
      revoke: string;
      keys: string;
      discovery: string;
      userinfo: string;
    };
  };
  /** Introspection endpoint and the dedicated client allowed to call it (Dovecot and the SMTP server use it). */
  introspection: { url: string; clientId: string; clientSecret: string };
  /**
   * A fetch() for Node code under test: requests to any provider host name (https://login.microsoftonline.com/...)
   * go to 127.0.0.1:PORT with the real Host header, trusting the test CA. Other URLs are refused (no network).
   */
  fetch: typeof fetch;

  registerClient(client: StackClient): void;
  /** Every authorization request since start (or the last clear), oldest first. */
  authorizeRequests(): AuthorizeRequestRecord[];
  clearAuthorizeRequests(): void;
  /** Requests to Microsoft's logout endpoint (the guided sign-out), oldest first. */
  logoutRequests(): AuthorizeRequestRecord[];

  /** Make the authorize endpoint return an error to the redirect URI (after the account is chosen). `null` clears. */
  setAuthorizeError(err: AuthorizeErrorSwitch | MicrosoftErrorPreset | null): void;
  /**
   * The next code redemption at Microsoft's token endpoint answers this error instead (once), as Microsoft
   * does: `error`, `error_description` starting with AADSTSnnnnn, `error_codes`, `suberror`.
   */
  setTokenError(err: TokenErrorSwitch | null): void;
  /** Admin consents granted through /{tenant}/adminconsent (granting also clears a consent error switch). */
  adminConsents(): Array<{ tenant: string; clientId: string; at: Date }>;

  /** Headless sign-in through the real authorize endpoint + PKCE code redemption (no browser). */
  issueTokens(options: IssueTokensOptions): Promise<TokenSet>;
  /** The same sign-in, stopped at the authorization code (a confidential client redeems it with its secret). */
  issueCode(options: IssueTokensOptions): Promise<IssuedCode>;
  /** Refresh-token grant at the real token endpoint. Rejects with an Error carrying `.error` (e.g. 'invalid_grant'). */
  refresh(
    refreshToken: string,
    options?: { provider?: ProviderKind; clientId?: string; scope?: string },
  ): Promise<TokenSet>;
  /** What the introspection endpoint says about a token (as Dovecot and the SMTP server see it). */
  introspect(token: string): Promise<IntrospectionResult>;
  /** Revoke one access or refresh token (RFC 7009; a refresh token takes its grant with it). */
  revoke(token: string): Promise<void>;
  /** Revoke every grant, token and session of an account: its refresh tokens then give invalid_grant. */
  revokeAll(account: string): Promise<void>;
  /** Revokes this one access token and nothing else: its refresh token still works. */
  revokeAccessToken(accessToken: string): Promise<void>;
  /** Change the access token lifetime (seconds) for an account's future tokens, incl. refreshes; null resets. */
  setAccessTokenTtl(account: string, seconds: number | null): void;
  stop(): Promise<void>;
}

export interface IdentityProviderOptions {
  /** Extra clients besides CLIENTS (public, confidential, introspection). */
  clients?: StackClient[];
}

// ---------------------------------------------------------------------------------------------- IMAP

export interface ImapServer {
  host: '127.0.0.1';
  /** Implicit TLS (like 993), XOAUTH2 + OAUTHBEARER. */
  port: number;
  /** Plain port with STARTTLS (like 143), XOAUTH2 + OAUTHBEARER. */
  starttlsPort: number;
  /** Implicit TLS, XOAUTH2 only: behaves like outlook.office365.com:993. */
  xoauth2OnlyPort: number;
  /** LMTP (127.0.0.1 TCP) used for delivery. */
  lmtpPort: number;
  /** The Dovecot config folder (mkdtemp) with the maildirs below it. */
  dir: string;
  /** Deliver a raw RFC 5322 message into a mailbox's INBOX through LMTP. */
  deliver(to: string, raw: string | Buffer, from?: string): Promise<void>;
  /** Stop Dovecot (connections refused), and start it again on the same ports. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface ImapServerOptions {
  introspection: { url: string; clientId: string; clientSecret: string };
  /** Deliver a few sample messages per mailbox (default true). */
  seed?: boolean;
  /** Run as an operator does at volume (the scale benchmark); tests keep the defaults. */
  tuning?: MailServerTuning;
}

/**
 * How a mail operator runs Dovecot under load, for the scale benchmark only (the test stack keeps one process per
 * connection, Dovecot's default). Every sign-in is still introspected either way: revocation fails closed at once.
 */
export interface MailServerTuning {
  /** Dovecot's high-performance mode: login processes serve many connections, imap processes are reused. */
  reuseProcesses: boolean;
}

// ---------------------------------------------------------------------------------------------- SMTP

export type SmtpAuthBehaviour = 'ok' | 'smtp-auth-disabled' | 'shared-mailbox';

export type SmtpFault =
  | { kind: 'slow'; delayMs: number } // every reply (greeting included) waits delayMs
  | { kind: 'flapping'; failures: number } // the next N connections are dropped at once, then normal
  | null;

export interface ReceivedMessage {
  /** Authenticated user. */
  user: string;
  from: string;
  to: string[];
  raw: string;
  at: Date;
}

export interface SmtpServer {
  host: '127.0.0.1';
  /** Submission with STARTTLS (like 587). */
  port: number;
  /** Implicit TLS (like 465). */
  tlsPort: number;
  setAuthBehaviour(user: string, behaviour: SmtpAuthBehaviour): void;
  setFault(fault: SmtpFault): void;
  /** Close both listeners (connections refused) / listen again on the same ports. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** Messages accepted since start, oldest first. */
  received(): ReceivedMessage[];
  stop(): Promise<void>;
}

export interface SmtpServerOptions {
  introspection: { url: string; clientId: string; clientSecret: string };
  /** LMTP port on 127.0.0.1 to deliver accepted messages to (omit: keep them in memory only). */
  lmtpPort?: number;
}

// ---------------------------------------------------------------------------------------------- whole stack

export interface MailStack {
  /** PEM of the test CA every server certificate chains to, and its path. */
  ca: string;
  caPath: string;
  accounts: typeof import('./accounts').ACCOUNTS;
  clients: typeof import('./accounts').CLIENTS;
  idp: IdentityProvider;
  imap: ImapServer;
  smtp: SmtpServer;
  /**
   * Production mail endpoints mapped to the local servers, keyed "host:port"
   * (outlook.office365.com:993, smtp.office365.com:587, imap.gmail.com:993, smtp.gmail.com:465/587,
   * mail.reauth.test:993/587/465).
   */
  mailHostMap: Record<string, { host: '127.0.0.1'; port: number; security: 'tls' | 'starttls' }>;
  /** The same, as one JSON-friendly summary (what the CLI prints). */
  describe(): StackDescription;
  stop(): Promise<void>;
}

export interface StackDescription {
  idp: { port: number; origin: string; hostResolverRules: string; introspection: string };
  imap: { host: string; port: number; starttlsPort: number; xoauth2OnlyPort: number; lmtpPort: number };
  smtp: { host: string; port: number; tlsPort: number };
  caPath: string;
  accounts: StackAccount[];
  clients: { public: string; confidential: { clientId: string; clientSecret: string } };
}

export interface MailStackOptions {
  idp?: IdentityProviderOptions;
  seed?: boolean;
  tuning?: MailServerTuning;
}

export { startIdentityProvider } from './idp';
export { startImapServer } from './dovecot';
export { startSmtpServer } from './smtp';
export { startMailStack } from './stack';
