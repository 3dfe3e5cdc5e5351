/**
 * Every catalogue entry: the error shapes the clients really produce (Node system errors, imapflow's
 * authentication errors, nodemailer's SMTP errors, with the servers' own words) map to the right cause,
 * and the explanation names the mailbox and the concrete fix. Real-server versions of these live in
 * tests/companion/verify*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, explain, type DiagnosisContext } from '../../lib/diagnosis';
import { DIAGNOSIS_IDS, type DiagnosisId } from '../../lib/verification';

const NOW = Date.UTC(2026, 10, 23, 12);
const ms: DiagnosisContext = {
  address: 'support@contoso.com',
  authUser: 'support@contoso.com',
  provider: 'microsoft',
  imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
  tokenExpiresAt: NOW + 3_600_000,
  now: NOW,
};
const google: DiagnosisContext = {
  ...ms,
  address: 'help@acme.com',
  authUser: 'help@acme.com',
  provider: 'google',
  imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
  smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
};

const sys = (code: string, message = code) => Object.assign(new Error(message), { code });
/** imapflow's AUTHENTICATE failure (authenticate.ts handleAuthError). */
const imapAuthFail = (responseText: string, oauthError?: object) =>
  Object.assign(new Error('Authentication failed'), {
    authenticationFailed: true,
    responseStatus: 'NO',
    responseText,
    ...(oauthError ? { oauthError } : {}),
  });
/** nodemailer's failed AUTH (smtp-connection _formatError). */
const smtpFail = (response: string, code = 'EAUTH') =>
  Object.assign(new Error(`Invalid login: ${response}`), {
    code,
    response,
    responseCode: Number(response.slice(0, 3)),
    command: 'AUTH XOAUTH2',
  });

const cases: Array<{ id: DiagnosisId; step: Parameters<typeof diagnose>[0]; error: unknown; ctx?: DiagnosisContext; mentions: RegExp[] }> = [
  { id: 'dns-not-found', step: 'dns', error: sys('ENOTFOUND', 'getaddrinfo ENOTFOUND outlook.office356.com'), ctx: { ...ms, imap: { host: 'outlook.office356.com', port: 993, security: 'tls' } }, mentions: [/outlook\.office356\.com/, /outlook\.office365\.com/] },
  { id: 'connection-refused', step: 'tcp', error: sys('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:993'), ctx: ms, mentions: [/993/, /allowlist/i] },
  { id: 'target-not-allowed', step: 'dns', error: Object.assign(new Error('mail.corp is at 10.0.0.5, a private address'), { code: 'TARGET_NOT_ALLOWED' }), ctx: { ...ms, imap: { host: 'mail.corp', port: 993, security: 'tls' } }, mentions: [/--allow-internal-host mail\.corp/, /internal/] },
  { id: 'connection-timeout', step: 'tcp', error: Object.assign(new Error('No answer within 15 s (timed out)'), { code: 'STEP_TIMEOUT' }), ctx: ms, mentions: [/firewall/i, /993/] },
  { id: 'connection-dropped', step: 'smtp-connect', error: Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }), ctx: ms, mentions: [/allowlist/i, /smtp\.office365\.com/] },
  { id: 'tls-wrong-mode', step: 'tls', error: sys('ERR_SSL_WRONG_VERSION_NUMBER', 'C0F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), ctx: { ...ms, imap: { host: 'mail.acme.com', port: 143, security: 'tls' } }, mentions: [/993/, /STARTTLS/] },
  { id: 'tls-cert-expired', step: 'tls', error: sys('CERT_HAS_EXPIRED', 'certificate has expired'), ctx: ms, mentions: [/renew/i] },
  { id: 'tls-cert-untrusted', step: 'tls', error: sys('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), ctx: ms, mentions: [/self-signed/i, /certificate authority/i] },
  { id: 'tls-cert-host-mismatch', step: 'tls', error: sys('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), ctx: ms, mentions: [/outlook\.office365\.com/] },
  { id: 'tls-failed', step: 'tls', error: sys('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version'), ctx: ms, mentions: [/TLS 1\.2/] },
  { id: 'oauth-not-offered', step: 'imap-auth', error: new Error('Unsupported authentication mechanism'), ctx: ms, mentions: [/XOAUTH2/] },
  { id: 'token-expired', step: 'imap-auth', error: imapAuthFail('AUTHENTICATE failed.'), ctx: { ...ms, tokenExpiresAt: NOW - 1000 }, mentions: [/Sign in again as support@contoso\.com/] },
  { id: 'token-rejected', step: 'imap-auth', error: imapAuthFail('Invalid credentials (Failure)', { status: '400', schemes: 'Bearer', scope: 'https://mail.google.com/' }), ctx: google, mentions: [/Sign in again/] },
  { id: 'imap-disabled-or-wrong-user', step: 'imap-auth', error: imapAuthFail('AUTHENTICATE failed.'), ctx: ms, mentions: [/Manage email apps/, /Set-CASMailbox -Identity support@contoso\.com -ImapEnabled \$true/, /private window/] },
  { id: 'gmail-imap-disabled', step: 'imap-auth', error: imapAuthFail('[ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)'), ctx: google, mentions: [/Forwarding and POP\/IMAP/, /Enable IMAP/] },
  { id: 'wrong-user-next-command', step: 'imap-command', error: Object.assign(new Error('Command failed'), { responseStatus: 'BAD', responseText: 'User is authenticated but not connected.' }), ctx: ms, mentions: [/another account/, /sign out of every Microsoft session/] },
  { id: 'imap-command-failed', step: 'imap-command', error: Object.assign(new Error('Command failed'), { responseStatus: 'NO', responseText: 'Mailbox is locked' }), ctx: ms, mentions: [/support@contoso\.com/] },
  { id: 'microsoft-smtp-465', step: 'smtp-connect', error: Object.assign(new Error('Not tried'), { code: 'PORT_NOT_ANSWERED' }), ctx: { ...ms, smtp: { host: 'smtp.office365.com', port: 465, security: 'tls' } }, mentions: [/587/, /STARTTLS/, /Freshdesk/] },
  { id: 'smtp-auth-disabled-tenant', step: 'smtp-auth', error: smtpFail('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0054.namprd05.prod.outlook.com]'), ctx: { ...ms, tokenAccepted: true }, mentions: [/Exchange admin center/, /Settings > Mail flow/, /Turn off SMTP AUTH protocol for your organization/, /Set-CASMailbox -Identity support@contoso\.com -SmtpClientAuthenticationDisabled \$false/] },
  { id: 'smtp-auth-disabled-mailbox', step: 'smtp-auth', error: smtpFail('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.'), ctx: { ...ms, tokenAccepted: true }, mentions: [/Authenticated SMTP/, /-SmtpClientAuthenticationDisabled \$false/] },
  { id: 'smtp-auth-rejected', step: 'smtp-auth', error: smtpFail('535 5.7.3 Authentication unsuccessful'), ctx: { ...ms, address: 'shared@contoso.com', authUser: 'delegate@contoso.com', tokenAccepted: true }, mentions: [/SMTP\.Send/] },
  { id: 'smtp-shared-mailbox', step: 'smtp-auth', error: smtpFail('535 5.7.3 Authentication unsuccessful [BN8PR04CA0001.namprd04.prod.outlook.com]'), ctx: { ...ms, address: 'shared@contoso.com', authUser: 'shared@contoso.com', tokenAccepted: true }, mentions: [/delegate/, /send as shared@contoso\.com/i, /Send As/] },
  { id: 'smtp-not-authenticated', step: 'round-trip', error: Object.assign(new Error('Mail command failed: 530 5.7.57 Client not authenticated to send mail.'), { code: 'EENVELOPE', response: '530 5.7.57 Client not authenticated to send mail. [AM0PR10CA0001]', responseCode: 530 }), ctx: ms, mentions: [/587/] },
  { id: 'smtp-send-as-denied', step: 'round-trip', error: Object.assign(new Error('Data command failed'), { code: 'EMESSAGE', response: '550 5.7.60 SMTP; Client does not have permissions to send as this sender', responseCode: 550 }), ctx: { ...ms, address: 'shared@contoso.com', authUser: 'delegate@contoso.com' }, mentions: [/Add-RecipientPermission -Identity shared@contoso\.com -Trustee delegate@contoso\.com -AccessRights SendAs/] },
  { id: 'round-trip-not-delivered', step: 'round-trip', error: Object.assign(new Error('Sent but not in INBOX after 30 s'), { code: 'NOT_DELIVERED' }), ctx: ms, mentions: [/Junk/] },
  { id: 'aborted', step: 'imap-auth', error: Object.assign(new Error('The check was cancelled'), { name: 'AbortError' }), ctx: ms, mentions: [/again/] },
  { id: 'unknown', step: 'smtp-connect', error: Object.assign(new Error('Invalid greeting'), { code: 'EPROTOCOL', response: '500 5.5.1 Unrecognized command' }), ctx: ms, mentions: [/details/] },
];

describe('diagnosis catalogue', () => {
  it('has a test case for every diagnosis id', () => {
    expect(new Set(cases.map((c) => c.id))).toEqual(new Set(DIAGNOSIS_IDS));
  });

  for (const c of cases) {
    it(`${c.id}: recognised and explained with a concrete fix`, () => {
      expect(diagnose(c.step, c.error, c.ctx)).toBe(c.id);
      const e = explain(c.id, c.step, c.ctx);
      expect(e.headline.length).toBeGreaterThan(10);
      expect(e.cause.length).toBeGreaterThan(10);
      expect(e.fix.length).toBeGreaterThan(0);
      const text = [e.headline, e.cause, ...e.fix].join('\n');
      for (const m of c.mentions) expect(text).toMatch(m);
    });
  }
});

describe('diagnosis does not depend on one server dialect', () => {
  it('Dovecot [CONTACTADMIN] and Exchange (no code) give the same answer for a refused good token', () => {
    const dovecot = imapAuthFail('[CONTACTADMIN] AUTHENTICATE failed.');
    const exchange = imapAuthFail('AUTHENTICATE failed.');
    expect(diagnose('imap-auth', dovecot, ms)).toBe('imap-disabled-or-wrong-user');
    expect(diagnose('imap-auth', exchange, ms)).toBe('imap-disabled-or-wrong-user');
  });

  it('a token the server calls invalid is a token problem, not a disabled mailbox', () => {
    const err = imapAuthFail('AUTHENTICATE failed.', { status: 'invalid_token', schemes: 'bearer', scope: 'mail' });
    expect(diagnose('imap-auth', err, ms)).toBe('token-rejected');
  });

  it('a JSON "invalid_token" refusal of a token SMTP accepted in the same run is about IMAP, not the token', () => {
    const err = imapAuthFail('Authentication failed.', { status: 'invalid_token' });
    expect(diagnose('imap-auth', err, ms)).toBe('token-rejected');
    expect(diagnose('imap-auth', err, { ...ms, tokenAccepted: true })).toBe('imap-disabled-or-wrong-user');
  });

  it('an expired token wins over every other reading of a refused sign-in', () => {
    const expired = { ...ms, tokenExpiresAt: NOW - 1 };
    expect(diagnose('imap-auth', imapAuthFail('AUTHENTICATE failed.'), expired)).toBe('token-expired');
    expect(diagnose('smtp-auth', smtpFail('535 5.7.3 Authentication unsuccessful'), expired)).toBe('token-expired');
  });

  it('SMTP 535 before IMAP ever accepted the token is a token problem', () => {
    expect(diagnose('smtp-auth', smtpFail('535 5.7.3 Authentication unsuccessful'), ms)).toBe('token-rejected');
    expect(diagnose('smtp-auth', smtpFail('535-5.7.8 Username and Password not accepted.'), google)).toBe('token-rejected');
  });

  it('a timeout on a port whose security setting is the wrong one is the wrong mode, not a firewall', () => {
    const ctx = { ...ms, smtp: { host: 'smtp.acme.com', port: 465, security: 'starttls' as const }, provider: 'generic' as const };
    expect(diagnose('smtp-connect', Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }), ctx)).toBe('tls-wrong-mode');
  });

  it('a STARTTLS port that stalls or drips bytes timed out; it is no SSL/TLS mismatch', () => {
    const imap143 = { ...ms, imap: { host: 'mail.acme.com', port: 143, security: 'starttls' as const }, provider: 'generic' as const };
    // imapflow's own words for a greeting that never came: it guesses at TLS.
    const greeting = Object.assign(new Error('Failed to receive greeting from server in required time. Maybe should use TLS?'), { code: 'GREETING_TIMEOUT' });
    expect(diagnose('tls', greeting, imap143)).toBe('connection-timeout');
    // Bytes that are not TLS after the server agreed to STARTTLS on its plain port: a broken server.
    const smtp587 = { ...ms, smtp: { host: 'smtp.acme.com', port: 587, security: 'starttls' as const }, provider: 'generic' as const };
    expect(diagnose('smtp-connect', Object.assign(new Error('ssl3_get_record:wrong version number'), { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }), smtp587)).toBe('tls-failed');
    // The same greeting timeout on the implicit-TLS port is the wrong mode.
    expect(diagnose('tls', greeting, { ...imap143, imap: { ...imap143.imap, port: 993 } })).toBe('tls-wrong-mode');
  });

  it('Microsoft on 465 is named even when the attempt timed out', () => {
    const ctx = { ...ms, smtp: { host: 'smtp.office365.com', port: 465, security: 'tls' as const } };
    expect(diagnose('smtp-connect', sys('ETIMEDOUT'), ctx)).toBe('microsoft-smtp-465');
  });

  it('nodemailer keeps the system code as originalCode; a refused connection is still named', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:587'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' });
    expect(diagnose('smtp-connect', err, ms)).toBe('connection-refused');
  });

  it('a 421 greeting (Exchange turning clients away) reads as a dropped connection', () => {
    const err = Object.assign(new Error('Invalid greeting. response=421 4.3.2 Service not available, closing transmission channel'), {
      code: 'EPROTOCOL', response: '421 4.3.2 Service not available, closing transmission channel', responseCode: 421,
    });
    expect(diagnose('smtp-connect', err, ms)).toBe('connection-dropped');
  });

  it("Exchange's own send-as refusal (554 5.2.252 SendAsDenied) is a send-as problem", () => {
    const err = Object.assign(new Error('Mail command failed'), {
      code: 'EENVELOPE', responseCode: 554,
      response: '554 5.2.252 SendAsDenied; delegate@contoso.com not allowed to send as support@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied',
    });
    expect(diagnose('round-trip', err, ms)).toBe('smtp-send-as-denied');
  });

  it('falls back to plain words when no context is known', () => {
    const e = explain('connection-refused', 'tcp');
    expect(e.headline).toContain('the mail server');
  });
});
