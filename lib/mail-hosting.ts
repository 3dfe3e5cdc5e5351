/**
 * Where a domain's or a server's mail is hosted, told by host names alone: a server field (host, host:port
 * or URL), or a domain's MX exchanges. Shared by the content script (server fields on settings screens), the
 * worker and the companion (which resolves MX records); no browser or Node API.
 */

export type CloudProvider = 'microsoft' | 'google';
/** Hosting as the MX records tell it. */
export type MailHosting = 'microsoft365' | 'google' | 'other';

const MICROSOFT_HOST = /(?:^|\.)(?:office365\.com|outlook\.com|office\.com|microsoftonline\.com|microsoft\.com)$/i;
const GOOGLE_HOST = /(?:^|\.)(?:gmail\.com|google\.com|googleapis\.com|googlemail\.com)$/i;
/** Exchange Online's inbound MX: <tenant>.mail.protection.outlook.com (and the sovereign clouds' names). */
const MICROSOFT_MX = /\.mail\.protection\.(?:outlook\.com|partner\.outlook\.cn|office365\.us|outlook\.de)$/i;
/** Google Workspace / Gmail: aspmx.l.google.com, alt1.aspmx.l.google.com, smtp.google.com, *.googlemail.com. */
const GOOGLE_MX = /(?:^|\.)(?:google\.com|googlemail\.com)$/i;

/** The host of a server field that may hold a bare name, host:port or a URL (EWS Connect URL). */
export function hostOf(value: string): string {
  const text = value.trim().toLowerCase();
  if (text === '') return '';
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) return new URL(text).hostname;
  } catch {
    return '';
  }
  return text.replace(/[:/].*$/, '');
}

/** Which cloud provider a host or URL belongs to, if any. */
export function cloudProviderOf(hostOrUrl: string): CloudProvider | null {
  const host = hostOf(hostOrUrl);
  if (host === '') return null;
  if (MICROSOFT_HOST.test(host)) return 'microsoft';
  if (GOOGLE_HOST.test(host)) return 'google';
  return null;
}

/** Who hosts a domain's mail, from its MX exchanges (any order; a trailing dot is ignored). */
export function hostingFromMx(exchanges: readonly string[]): MailHosting {
  const names = exchanges.map((e) => e.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean);
  if (names.some((n) => MICROSOFT_MX.test(n))) return 'microsoft365';
  if (names.some((n) => GOOGLE_MX.test(n))) return 'google';
  return 'other';
}

/** The domain of an address, lower case; '' when it is not an address. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0
    ? address
        .slice(at + 1)
        .trim()
        .toLowerCase()
    : '';
}

/** Public mail services on Google or Microsoft whatever MX says (their domains never need a lookup). */
const GOOGLE_CONSUMER = new Set(['gmail.com', 'googlemail.com']);
const MICROSOFT_CONSUMER = new Set(['outlook.com', 'hotmail.com', 'live.com', 'msn.com']);

/** Hosting known from the domain alone (consumer services), else null. */
export function knownHosting(domain: string): MailHosting | null {
  const d = domain.toLowerCase();
  if (GOOGLE_CONSUMER.has(d)) return 'google';
  if (MICROSOFT_CONSUMER.has(d)) return 'microsoft365';
  return null;
}

/** The command an admin runs to see a domain's MX records. */
export function mxCommand(domain: string): string {
  return `nslookup -type=mx ${domain}`;
}
