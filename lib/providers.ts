/**
 * The provider catalogue: where each mail provider signs people in and where its mail servers are.
 * Shared by the extension (sign-in) and the companion (token refresh, IMAP/SMTP defaults).
 * Values are the providers' production endpoints; tests serve these same host names from loopback.
 */

export const PROVIDER_IDS = ['microsoft', 'google', 'generic'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface MailServer {
  host: string;
  port: number;
  /** implicit TLS from the first byte (IMAPS 993, SMTPS 465) vs STARTTLS upgrade (SMTP 587) */
  security: 'tls' | 'starttls';
}

export interface ProviderInfo {
  id: ProviderId;
  label: string;
  imap?: MailServer;
  smtp?: MailServer;
  /** Other ports the provider answers on for SMTP submission. */
  smtpAlternatives?: readonly MailServer[];
  /** Ports a helpdesk article may suggest but the provider does not answer on (explained to the admin). */
  smtpPortsNotAnswered?: readonly number[];
  scopes: readonly string[];
}

/**
 * Microsoft identity platform v2.0. `tenant` is a tenant id or domain, `organizations` (work/school) or `consumers`
 * (outlook.com, hotmail.com).
 */
export const MICROSOFT_AUTHORITY_HOST = 'login.microsoftonline.com';
export function microsoftAuthority(tenant: string): string {
  return `https://${MICROSOFT_AUTHORITY_HOST}/${encodeURIComponent(tenant)}`;
}
export function microsoftTokenEndpoint(tenant: string): string {
  return `${microsoftAuthority(tenant)}/oauth2/v2.0/token`;
}
export function microsoftAuthorizeEndpoint(tenant: string): string {
  return `${microsoftAuthority(tenant)}/oauth2/v2.0/authorize`;
}
export function microsoftAdminConsentUrl(tenant: string, clientId: string, redirectUri: string): string {
  const url = new URL(`${microsoftAuthority(tenant)}/adminconsent`);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
}
/** Signs the browser out of every Microsoft session (the seeds' fix for the wrong account signing in by itself). */
export const MICROSOFT_LOGOUT_URL = `https://${MICROSOFT_AUTHORITY_HOST}/common/oauth2/v2.0/logout`;

/** One resource per request: mixing Graph scopes with these fails with AADSTS700022. */
export const MICROSOFT_MAIL_SCOPES = [
  'https://outlook.office.com/IMAP.AccessAsUser.All',
  'https://outlook.office.com/SMTP.Send',
  'offline_access',
  'openid',
  'profile',
  'email',
] as const;

export const GOOGLE_AUTHORIZE_ENDPOINT = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';
export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const GOOGLE_MAIL_SCOPES = ['https://mail.google.com/', 'openid', 'email'] as const;

export const PROVIDERS: Readonly<Record<ProviderId, ProviderInfo>> = {
  microsoft: {
    id: 'microsoft',
    label: 'Microsoft 365 / Outlook.com',
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    smtpPortsNotAnswered: [465],
    scopes: MICROSOFT_MAIL_SCOPES,
  },
  google: {
    id: 'google',
    label: 'Google Workspace / Gmail',
    imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    smtpAlternatives: [{ host: 'smtp.gmail.com', port: 587, security: 'starttls' }],
    scopes: GOOGLE_MAIL_SCOPES,
  },
  generic: {
    id: 'generic',
    label: 'Other OAuth 2.0 provider',
    scopes: [],
  },
};

/** Personal Microsoft accounts sign in through the `consumers` tenant, not `organizations`. */
const MICROSOFT_CONSUMER_DOMAINS = ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'];
export function microsoftTenantFor(address: string, configuredTenant?: string): string {
  const domain = address.split('@')[1]?.toLowerCase() ?? '';
  if (MICROSOFT_CONSUMER_DOMAINS.some((d) => domain === d || domain.startsWith(`${d.split('.')[0]}.`))) {
    return 'consumers';
  }
  return configuredTenant?.trim() || 'organizations';
}
