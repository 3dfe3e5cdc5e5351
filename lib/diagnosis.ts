/**
 * The diagnosis catalogue: what a server's reply or a connection error means, and what the admin does
 * about it. Shared by the companion (which sees the errors) and the extension (which shows the advice).
 *
 * `diagnose()` is pure: it reads the fields the clients put on their errors (Node's `code`, imapflow's
 * `responseText` / `oauthError` / `authenticationFailed`, nodemailer's `responseCode` / `response`)
 * and never depends on one server's response codes alone: Dovecot answers `NO [CONTACTADMIN]
 * AUTHENTICATE failed.` where Exchange answers `NO AUTHENTICATE failed.`, so codes are not the signal.
 */
import { PROVIDERS, type ProviderId } from './providers';
import type { DiagnosisId, MailServerEndpoint, StepId } from './verification';

export interface DiagnosisContext {
  /** The mailbox being verified. */
  address?: string;
  /** Who the token was issued to (a delegate for a shared mailbox). */
  authUser?: string;
  provider?: ProviderId;
  imap?: MailServerEndpoint;
  smtp?: MailServerEndpoint;
  /** Epoch ms the access token expires at, when known. */
  tokenExpiresAt?: number;
  /**
   * Another server accepted this very token in the same run (IMAP before SMTP, or SMTP after an IMAP
   * refusal), so the token itself is good and a refusal is about the mailbox or the protocol.
   */
  tokenAccepted?: boolean;
  /** Epoch ms; injectable so tests are deterministic. */
  now?: number;
}

export interface Explanation {
  id: DiagnosisId;
  /** One line: what is wrong. */
  headline: string;
  /** Why, in plain words. */
  cause: string;
  /** What to do, in order. */
  fix: string[];
}

/** Error fields the diagnosis reads, whichever client produced the error. */
interface ErrorFields {
  name: string;
  code: string;
  message: string;
  /** The server's reply text (imapflow responseText, nodemailer response). */
  reply: string;
  responseCode: number | undefined;
  oauthError: Record<string, unknown> | undefined;
  authenticationFailed: boolean;
  tlsFailed: boolean;
}

function fieldsOf(error: unknown): ErrorFields {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const cause = typeof e.cause === 'object' && e.cause !== null ? (e.cause as Record<string, unknown>) : {};
  const oauth = e.oauthError;
  return {
    name: str(e.name),
    // nodemailer replaces a system error's code with its own category and keeps the original.
    code: str(e.originalCode) || str(e.code) || str(cause.code),
    message: [str(e.message), str(cause.message)].filter(Boolean).join(' '),
    reply: [str(e.responseText), str(e.response), str(e.serverResponseCode)].filter(Boolean).join(' '),
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
    oauthError: typeof oauth === 'object' && oauth !== null ? (oauth as Record<string, unknown>) : undefined,
    authenticationFailed: e.authenticationFailed === true,
    tlsFailed: e.tlsFailed === true,
  };
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL', 'ENODATA']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'STEP_TIMEOUT',
  'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN',
]);
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'NoConnection', 'ECONNECTION', 'ClosedAfterConnectTLS', 'ClosedAfterConnectText']);
const CERT_EXPIRED_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const CERT_UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_REVOKED',
]);
const CERT_HOST_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
/** What an OpenSSL client says when one side speaks TLS and the other plain text. */
const WRONG_MODE_TEXT = /wrong version number|packet length too long|unknown protocol|http request|Maybe should use TLS/i;

/** Ports whose protocol fixes the security mode, so a mismatch is recognisable. */
const IMPLICIT_TLS_PORTS = new Set([993, 465, 995]);
const PLAIN_START_PORTS = new Set([143, 587, 25, 110]);

function serverFor(step: StepId, ctx: DiagnosisContext): MailServerEndpoint | undefined {
  return step === 'smtp-connect' || step === 'smtp-auth' ? ctx.smtp : ctx.imap;
}

function securityMismatch(server: MailServerEndpoint | undefined): boolean {
  if (!server) return false;
  return (
    (server.security === 'starttls' && IMPLICIT_TLS_PORTS.has(server.port)) ||
    (server.security === 'tls' && PLAIN_START_PORTS.has(server.port))
  );
}

/** Microsoft 365 does not answer SMTP on 465; a helpdesk article may still suggest it. */
export function isMicrosoftSmtpPortNotAnswered(provider: ProviderId | undefined, smtpPort: number | undefined): boolean {
  if (!provider || smtpPort === undefined) return false;
  return PROVIDERS[provider].smtpPortsNotAnswered?.includes(smtpPort) ?? false;
}

function tokenExpired(ctx: DiagnosisContext): boolean {
  return ctx.tokenExpiresAt !== undefined && ctx.tokenExpiresAt <= (ctx.now ?? Date.now());
}

/** The enhanced status code (5.7.139) of an SMTP reply, if any. */
function enhancedCode(reply: string): string | undefined {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1];
}

/**
 * Map a failed step's error to one catalogue entry. Order matters: the most specific signal wins
 * (a server's own words over a transport code over the step it happened in).
 */
export function diagnose(step: StepId, error: unknown, ctx: DiagnosisContext = {}): DiagnosisId {
  const f = fieldsOf(error);
  const text = `${f.message} ${f.reply}`;
  const server = serverFor(step, ctx);

  if (f.name === 'AbortError' || f.code === 'ABORT_ERR') return 'aborted';

  if ((step === 'smtp-connect' || step === 'smtp-auth') && isMicrosoftSmtpPortNotAnswered(ctx.provider, ctx.smtp?.port)) {
    return 'microsoft-smtp-465';
  }

  // The server's own words first.
  if (/not enabled for IMAP use/i.test(text)) return 'gmail-imap-disabled';
  if (/authenticated but not connected/i.test(text)) return 'wrong-user-next-command';
  if (/Unsupported authentication mechanism|AUTH(?:ENTICATE)? mechanism .*not (?:supported|available)/i.test(text)) {
    return 'oauth-not-offered';
  }
  const smtpCode = enhancedCode(f.reply);
  if (smtpCode === '5.7.139' || /SmtpClientAuthentication is disabled/i.test(text)) {
    return /for the Mailbox/i.test(text) ? 'smtp-auth-disabled-mailbox' : 'smtp-auth-disabled-tenant';
  }
  if (smtpCode === '5.7.57' || /Client not authenticated to send mail/i.test(text)) return 'smtp-not-authenticated';
  if (smtpCode === '5.7.60' || smtpCode === '5.2.252' || /not have permissions? to send as|not allowed to send as|SendAsDenied/i.test(text)) {
    return 'smtp-send-as-denied';
  }

  // Name resolution, connection and TLS.
  if (f.code === 'TARGET_NOT_ALLOWED') return 'target-not-allowed';
  if (DNS_CODES.has(f.code) || step === 'dns') return 'dns-not-found';
  if (f.code === 'ECONNREFUSED') return 'connection-refused';
  if (CERT_EXPIRED_CODES.has(f.code) || /certificate has expired|certificate is not yet valid/i.test(text)) return 'tls-cert-expired';
  if (CERT_HOST_CODES.has(f.code) || /Hostname\/IP does not match|altnames/i.test(text)) return 'tls-cert-host-mismatch';
  if (CERT_UNTRUSTED_CODES.has(f.code) || /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate/i.test(text)) {
    return 'tls-cert-untrusted';
  }
  // A timeout before the TLS-mode guess: a server that stalls or drips bytes makes imapflow add "Maybe should
  // use TLS?" to its greeting timeout, yet only a port of the other mode makes that likely.
  if (TIMEOUT_CODES.has(f.code) || /timed? ?out/i.test(f.message)) {
    return securityMismatch(server) ? 'tls-wrong-mode' : 'connection-timeout';
  }
  if (f.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || WRONG_MODE_TEXT.test(text)) {
    // After a STARTTLS the server itself agreed to on its plain port, garbage is a broken server, not a wrong mode.
    return server?.security === 'starttls' && !securityMismatch(server) ? 'tls-failed' : 'tls-wrong-mode';
  }
  if (f.tlsFailed || f.code === 'ETLS' || f.code === 'EPROTO' || f.code.startsWith('ERR_SSL') || f.code.startsWith('ERR_TLS') || step === 'tls') {
    return securityMismatch(server) ? 'tls-wrong-mode' : 'tls-failed';
  }
  // 421 is a server turning the client away for now (Exchange: "4.3.2 Service not available"), like a drop.
  if (f.responseCode === 421 || /^421[ -]/m.test(f.reply)) return 'connection-dropped';
  if (DROPPED_CODES.has(f.code) || /Connection closed|socket hang up|closed unexpectedly|Unexpected close/i.test(text)) {
    return 'connection-dropped';
  }

  // Sign-in.
  if (step === 'imap-auth') {
    if (tokenExpired(ctx)) return 'token-expired';
    // Gmail and Dovecot answer with a JSON challenge ("invalid_token") whatever the reason; Exchange says
    // nothing at all. Only a token another server just accepted proves the refusal is about IMAP itself.
    if (!ctx.tokenAccepted && f.oauthError && oauthSaysTokenBad(f.oauthError)) return 'token-rejected';
    if (f.authenticationFailed || /AUTHENTICATE failed|AUTHENTICATIONFAILED|Invalid credentials/i.test(text)) {
      return 'imap-disabled-or-wrong-user';
    }
  }
  if (step === 'smtp-auth' && (f.code === 'EAUTH' || f.responseCode === 535 || f.responseCode === 334)) {
    if (tokenExpired(ctx)) return 'token-expired';
    if (smtpCode === '5.7.3' && ctx.tokenAccepted && ctx.address !== undefined && ctx.authUser === ctx.address) {
      return 'smtp-shared-mailbox';
    }
    return ctx.tokenAccepted ? 'smtp-auth-rejected' : 'token-rejected';
  }
  if (step === 'imap-command' || step === 'sample-mail') return 'imap-command-failed';
  if (step === 'round-trip' && f.code === 'NOT_DELIVERED') return 'round-trip-not-delivered';
  return 'unknown';
}

/** Dovecot sends `{"status":"invalid_token"...}` or `"401"`, Gmail `{"status":"400"...}`. */
function oauthSaysTokenBad(oauthError: Record<string, unknown>): boolean {
  const status = String(oauthError.status ?? '');
  return /^(400|401|invalid_token|invalid_request)$/i.test(status);
}

// ------------------------------------------------------------------------------------------- catalogue

interface Entry {
  headline(ctx: Ctx): string;
  cause(ctx: Ctx): string;
  fix(ctx: Ctx): string[];
}

/** Context with names filled in so every sentence reads naturally. */
interface Ctx extends DiagnosisContext {
  mailbox: string;
  signer: string;
  host: string;
  port: string;
  protocol: 'IMAP' | 'SMTP';
}

const MS_ADMIN_CENTER = 'Microsoft 365 admin center (https://admin.microsoft.com)';
const EXCHANGE_ADMIN_CENTER = 'Exchange admin center (https://admin.exchange.microsoft.com)';
const PORT_ADVICE = 'IMAP: port 993 with SSL/TLS. SMTP: port 587 with STARTTLS, or 465 with SSL/TLS where the provider answers on it (Microsoft 365 does not).';
const ALLOWLIST_ADVICE =
  "If the mail server or a firewall in front of it only accepts known addresses, ask IT to allowlist the helpdesk's IP addresses (Freshdesk publishes its list in its reauthorization article).";
const SIGN_IN_AGAIN = (ctx: Ctx) =>
  `Sign in again as ${ctx.signer} (the extension's Sign in, then Re-authorize in the helpdesk).`;
const WRONG_ACCOUNT_STEPS = (ctx: Ctx) => [
  `Sign in with ${ctx.signer}'s own account. If the browser signs in as someone else by itself, use a private window and sign out of every Microsoft session first.`,
];

function defaultServerLine(ctx: Ctx): string | undefined {
  const p = ctx.provider ? PROVIDERS[ctx.provider] : undefined;
  if (!p?.imap || !p.smtp) return undefined;
  return `${p.label} uses ${p.imap.host} (IMAP, port ${p.imap.port}) and ${p.smtp.host} (SMTP, port ${p.smtp.port}).`;
}

const CATALOGUE: Readonly<Record<DiagnosisId, Entry>> = {
  'dns-not-found': {
    headline: (c) => `The server name ${c.host} does not exist`,
    cause: (c) => `DNS has no address for ${c.host}: the name is misspelled or no longer in use.`,
    fix: (c) => [
      `Check the ${c.protocol} server name in the helpdesk's mail settings.`,
      ...(defaultServerLine(c) ? [defaultServerLine(c)!] : []),
      'For your own mail server, ask whoever runs it for the exact host name.',
    ],
  },
  'connection-refused': {
    headline: (c) => `${c.host} refuses connections on port ${c.port}`,
    cause: (c) => `Nothing accepts ${c.protocol} connections on ${c.host} port ${c.port}: the port is wrong, the server is down, or a firewall rejects the connection.`,
    fix: () => [PORT_ADVICE, ALLOWLIST_ADVICE, 'If the port is right and nothing blocks it, the mail server is down: ask whoever runs it.'],
  },
  'target-not-allowed': {
    headline: (c) => `The companion may not connect to ${c.host}: it is an internal address`,
    cause: (c) =>
      `${c.host} resolves to a private, loopback or link-local address. A companion shared by a team only connects ` +
      "to public mail servers, so a paired client cannot use it to reach the server's own network.",
    fix: (c) => [
      `Check the ${c.protocol} server name: a helpdesk's mailbox normally uses the provider's public server.`,
      ...(defaultServerLine(c) ? [defaultServerLine(c)!] : []),
      `If ${c.host} is your own internal mail server, the companion's admin starts it with ` +
        `--allow-internal-host ${c.host}.`,
    ],
  },
  'connection-timeout': {
    headline: (c) => `${c.host} did not answer on port ${c.port} in time`,
    cause: (c) => `The ${c.protocol} server at ${c.host}:${c.port} did not answer before the time limit. A firewall that silently drops connections, a wrong port, or an overloaded server does this.`,
    fix: () => [PORT_ADVICE, ALLOWLIST_ADVICE, 'If the settings are right, try again in a few minutes: the server may be overloaded.'],
  },
  'connection-dropped': {
    headline: (c) => `${c.host} closed the connection`,
    cause: (c) => `The ${c.protocol} server at ${c.host}:${c.port} (or a firewall in between) cut the connection before the check finished. When this keeps happening, the server limits connections or blocks the address.`,
    fix: () => [ALLOWLIST_ADVICE, 'Ask the mail server admin whether it limits connections per client.', 'Run the check again: a single drop can be a passing network problem.'],
  },
  'tls-wrong-mode': {
    headline: (c) => `The SSL/TLS setting does not match port ${c.port}`,
    cause: (c) => `Port ${c.port} on ${c.host} expects ${c.protocol === 'SMTP' ? 'a different start: 465 starts encrypted (SSL/TLS), 587 starts plain and upgrades (STARTTLS)' : 'a different start: 993 starts encrypted (SSL/TLS), 143 starts plain and upgrades (STARTTLS)'}.`,
    fix: () => [`Set the security to match the port. ${PORT_ADVICE}`],
  },
  'tls-cert-expired': {
    headline: (c) => `The certificate of ${c.host} has expired`,
    cause: (c) => `${c.host} presents a certificate outside its validity dates, so no client can trust the connection.`,
    fix: () => ['Whoever runs the mail server must renew its certificate.', 'Do not turn off certificate checks in the helpdesk: that exposes the mailbox password or token.'],
  },
  'tls-cert-untrusted': {
    headline: (c) => `The certificate of ${c.host} is not from a trusted authority`,
    cause: (c) => `${c.host} presents a self-signed certificate, or one whose issuer chain is incomplete.`,
    fix: () => ['Whoever runs the mail server must install a certificate from a public certificate authority, including its intermediate certificates.', 'Do not turn off certificate checks in the helpdesk.'],
  },
  'tls-cert-host-mismatch': {
    headline: (c) => `The certificate does not name ${c.host}`,
    cause: (c) => `The server at ${c.host} presents a certificate made out for other names, so the connection may not be the server it claims to be.`,
    fix: (c) => [
      `Use the host name the certificate is made out for${defaultServerLine(c) ? ` (${defaultServerLine(c)})` : ''}, not an alias.`,
      'Or have the mail server admin reissue the certificate to include this name.',
    ],
  },
  'tls-failed': {
    headline: (c) => `The secure connection to ${c.host} failed`,
    cause: (c) => `${c.host}:${c.port} and the client found no common TLS version or cipher, or the handshake broke off.`,
    fix: () => ['The mail server needs TLS 1.2 or newer.', `Check the port and security setting. ${PORT_ADVICE}`],
  },
  'oauth-not-offered': {
    headline: (c) => `${c.host} does not offer OAuth sign-in`,
    cause: (c) => `The ${c.protocol} server does not list XOAUTH2 or OAUTHBEARER among its sign-in methods, so a token cannot be used there.`,
    fix: (c) => [
      ...(defaultServerLine(c) ? [`Use the provider's servers: ${defaultServerLine(c)}`] : []),
      'For your own server, enable OAuth 2.0 (XOAUTH2/OAUTHBEARER) on it, or keep password sign-in in the helpdesk.',
    ],
  },
  'token-expired': {
    headline: () => 'The sign-in has expired',
    cause: (c) => `The access token for ${c.signer} expired before the check and could not be used.`,
    fix: (c) => [SIGN_IN_AGAIN(c)],
  },
  'token-rejected': {
    headline: (c) => `${c.host} rejected the sign-in token`,
    cause: (c) => `The ${c.protocol} server says the token is not valid: it was revoked (password change, sign-out everywhere, admin action), expired, or lacks the mail permissions.`,
    fix: (c) => [
      SIGN_IN_AGAIN(c),
      c.provider === 'microsoft'
        ? 'If it fails again right after signing in, check that the app has the IMAP.AccessAsUser.All and SMTP.Send permissions with admin consent.'
        : 'If it fails again right after signing in, check that the app asks for the mail permission (Google: https://mail.google.com/).',
    ],
  },
  'imap-disabled-or-wrong-user': {
    headline: (c) => `IMAP refused ${c.mailbox} with a current token`,
    cause: (c) => `The token is current, yet the IMAP server refused it: IMAP is turned off for ${c.mailbox}, or the token belongs to another account than ${c.mailbox}.`,
    fix: (c) =>
      c.provider === 'google'
        ? [
            'Gmail: Settings > See all settings > Forwarding and POP/IMAP > IMAP access: Enable IMAP > Save Changes.',
            'Google Workspace: Admin console > Apps > Google Workspace > Gmail > End User Access > POP and IMAP access: allow IMAP.',
            ...WRONG_ACCOUNT_STEPS(c),
          ]
        : c.provider === 'microsoft'
          ? [
              `${MS_ADMIN_CENTER} > Users > Active users > ${c.mailbox} > Mail > Manage email apps: tick IMAP and save.`,
              `Or in Exchange Online PowerShell: Set-CASMailbox -Identity ${c.mailbox} -ImapEnabled $true`,
              ...WRONG_ACCOUNT_STEPS(c),
              'If IMAP is on and the account is right, the token was revoked: sign in again.',
            ]
          : [`Ask the mail server admin to allow IMAP for ${c.mailbox}.`, ...WRONG_ACCOUNT_STEPS(c)],
  },
  'gmail-imap-disabled': {
    headline: (c) => `IMAP is turned off for ${c.mailbox}`,
    cause: () => 'Gmail answered "Your account is not enabled for IMAP use".',
    fix: () => [
      'Gmail: Settings > See all settings > Forwarding and POP/IMAP > IMAP access: Enable IMAP > Save Changes.',
      'Google Workspace: an admin allows it in Admin console > Apps > Google Workspace > Gmail > End User Access > POP and IMAP access.',
    ],
  },
  'wrong-user-next-command': {
    headline: (c) => `The token belongs to another account than ${c.mailbox}`,
    cause: (c) => `The server accepted the sign-in but refused the next command ("User is authenticated but not connected"): Microsoft does this when the token was issued to another account than ${c.mailbox}.`,
    fix: (c) => [
      ...WRONG_ACCOUNT_STEPS(c),
      `For a shared mailbox: sign in as a user with Full Access to ${c.mailbox} (${EXCHANGE_ADMIN_CENTER} > Recipients > Mailboxes > ${c.mailbox} > Delegation).`,
    ],
  },
  'imap-command-failed': {
    headline: (c) => `The IMAP server refused to open ${c.mailbox}'s folders`,
    cause: () => 'Sign-in worked, but listing folders or opening INBOX failed; the server\'s words are in the details.',
    fix: (c) => [`Ask the mail server admin about ${c.mailbox} with the details shown (the mailbox may be locked, moved or over its limits).`],
  },
  'microsoft-smtp-465': {
    headline: () => 'Microsoft 365 does not answer SMTP on port 465',
    cause: () => 'The outgoing server is set to port 465. Microsoft 365 accepts SMTP submission only on port 587 with STARTTLS; Freshdesk\'s article mentions 465 for custom mail servers, not for Microsoft.',
    fix: () => ['Set the outgoing server to smtp.office365.com, port 587, STARTTLS (shown as "TLS" in some helpdesks).'],
  },
  'smtp-auth-disabled-tenant': {
    headline: () => 'SMTP AUTH is turned off for the organisation',
    cause: () => 'Microsoft answered 535 5.7.139 "SmtpClientAuthentication is disabled for the Tenant": the organisation blocks SMTP sign-in, OAuth included.',
    fix: (c) => [
      `${EXCHANGE_ADMIN_CENTER} > Settings > Mail flow: untick "Turn off SMTP AUTH protocol for your organization" and save.`,
      `Or allow it for this mailbox only: Set-CASMailbox -Identity ${c.mailbox} -SmtpClientAuthenticationDisabled $false (or ${MS_ADMIN_CENTER} > Users > Active users > ${c.mailbox} > Mail > Manage email apps: tick Authenticated SMTP).`,
      'Changes can take up to an hour to apply; then verify again.',
    ],
  },
  'smtp-auth-disabled-mailbox': {
    headline: (c) => `SMTP AUTH is turned off for ${c.mailbox}`,
    cause: () => 'Microsoft answered 535 5.7.139 "SmtpClientAuthentication is disabled for the Mailbox".',
    fix: (c) => [
      `${MS_ADMIN_CENTER} > Users > Active users > ${c.mailbox} > Mail > Manage email apps: tick Authenticated SMTP and save.`,
      `Or: Set-CASMailbox -Identity ${c.mailbox} -SmtpClientAuthenticationDisabled $false`,
    ],
  },
  'smtp-auth-rejected': {
    headline: (c) => `SMTP refused the sign-in of ${c.signer}`,
    cause: () => 'The token worked for IMAP, yet the SMTP server refused it. The app may lack the SMTP.Send permission, or SMTP sign-in is restricted for this account.',
    fix: (c) => [
      c.provider === 'microsoft'
        ? 'Check that the app has the SMTP.Send permission (https://outlook.office.com/SMTP.Send) with consent, then sign in again.'
        : 'Check that the token was issued with the mail-sending permission, then sign in again.',
      `Ask the mail server admin whether ${c.signer} may submit mail over SMTP.`,
    ],
  },
  'smtp-shared-mailbox': {
    headline: (c) => `${c.mailbox} looks like a shared mailbox: it cannot sign in to SMTP itself`,
    cause: (c) => `The same token opened IMAP, but SMTP answered 535 5.7.3 for ${c.mailbox}. Shared mailboxes have no sign-in of their own.`,
    fix: (c) => [
      `Sign in as a user with Full Access and Send As rights on ${c.mailbox} (the delegate), and send as ${c.mailbox}.`,
      `Grant the rights in ${EXCHANGE_ADMIN_CENTER} > Recipients > Mailboxes > ${c.mailbox} > Delegation (Send as, Read and manage).`,
      'In the helpdesk, keep the shared address as the support email and authorize with the delegate.',
    ],
  },
  'smtp-not-authenticated': {
    headline: () => 'The SMTP server received mail without a sign-in',
    cause: () => 'The server answered 5.7.57 "Client not authenticated to send mail": the sign-in did not happen or was not accepted before sending.',
    fix: (c) => [`Send through ${c.provider === 'microsoft' ? 'smtp.office365.com port 587 with STARTTLS' : 'the submission port (587 STARTTLS)'} with OAuth sign-in, not port 25 without sign-in.`],
  },
  'smtp-send-as-denied': {
    headline: (c) => `${c.signer} may not send as ${c.mailbox}`,
    cause: (c) => `Sign-in worked, but the server refused the sender address ${c.mailbox} for ${c.signer} (5.7.60).`,
    fix: (c) => [
      `${EXCHANGE_ADMIN_CENTER} > Recipients > Mailboxes > ${c.mailbox} > Delegation > Send as: add ${c.signer}.`,
      `Or: Add-RecipientPermission -Identity ${c.mailbox} -Trustee ${c.signer} -AccessRights SendAs`,
    ],
  },
  'round-trip-not-delivered': {
    headline: (c) => `The test message did not arrive in ${c.mailbox}'s inbox`,
    cause: () => 'The server accepted the test message for sending, but it did not reach INBOX within the wait: delivery is slow, or a rule or spam filter moved it.',
    fix: (c) => [`Look for the "Reauth Assist test" message in ${c.mailbox}'s Junk folder and in mail flow rules.`, 'Run the check again in a few minutes.'],
  },
  aborted: {
    headline: () => 'The check was cancelled',
    cause: () => 'The check stopped before it finished.',
    fix: () => ['Run the check again.'],
  },
  unknown: {
    headline: (c) => `${c.protocol} gave an unexpected answer`,
    cause: () => 'The server\'s reply does not match a known problem; its exact words are in the details.',
    fix: () => ['Share the details with the mail server admin.'],
  },
};

function fill(step: StepId | undefined, ctx: DiagnosisContext): Ctx {
  const smtp = step === 'smtp-connect' || step === 'smtp-auth';
  const server = smtp ? ctx.smtp : ctx.imap;
  return {
    ...ctx,
    mailbox: ctx.address ?? 'the mailbox',
    signer: ctx.authUser ?? ctx.address ?? 'the mailbox account',
    host: server?.host ?? 'the mail server',
    port: server ? String(server.port) : 'the configured port',
    protocol: smtp ? 'SMTP' : 'IMAP',
  };
}

/** Cause and fix of a diagnosis, in the admin's terms, with the mailbox and servers named. */
export function explain(id: DiagnosisId, step?: StepId, ctx: DiagnosisContext = {}): Explanation {
  const entry = CATALOGUE[id];
  const c = fill(step, ctx);
  return { id, headline: entry.headline(c), cause: entry.cause(c), fix: entry.fix(c) };
}
