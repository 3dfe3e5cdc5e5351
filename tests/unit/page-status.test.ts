import { describe, expect, it } from 'vitest';
import { explainPageStatus, stepOf } from '../../lib/page-status';

const explained = (text: string, ctx = {}) => {
  const outcome = explainPageStatus(text, ctx);
  return outcome.kind === 'problem' ? outcome.explanation : null;
};

describe("a helpdesk page's own status text, through the diagnosis catalogue", () => {
  it('IMAP AUTHENTICATE failed (Java mail client words) is a refused IMAP sign-in', () => {
    const e = explained('javax.mail.AuthenticationFailedException: AUTHENTICATE failed.', {
      direction: 'incoming',
      host: 'outlook.office365.com',
      port: 993,
      mailbox: 'support@contoso.test',
      provider: 'microsoft',
    });
    expect(e?.id).toBe('imap-disabled-or-wrong-user');
    expect(e?.headline).toContain('support@contoso.test');
    expect(stepOf('AUTHENTICATE failed', 'incoming')).toBe('imap-auth');
  });

  it('connection refused, timeouts, unknown hosts and certificate errors', () => {
    expect(
      explained('java.net.ConnectException: Connection refused', { host: 'mail.contoso.test', port: 993 })?.id,
    ).toBe('connection-refused');
    expect(
      explained('java.net.ConnectException: Connection refused', { host: 'mail.contoso.test', port: 993 })?.headline,
    ).toBe('mail.contoso.test refuses connections on port 993');
    expect(explained('java.net.SocketTimeoutException: connect timed out')?.id).toBe('connection-timeout');
    expect(
      explained('Could not connect to SMTP host: smtp.contoso.test, port: 25; timeout -1', { direction: 'outgoing' })
        ?.id,
    ).toBe('connection-timeout');
    expect(explained('java.net.UnknownHostException: outlook.office365.co')?.id).toBe('dns-not-found');
    expect(
      explained(
        'javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find ' +
          'valid certification path to requested target',
      )?.id,
    ).toBe('tls-cert-untrusted');
    expect(explained('Certificate has expired (NotAfter: 2025-01-01)')?.id).toBe('tls-cert-expired');
    expect(explained('No subject alternative DNS name matching imap.contoso.test found.')?.id).toBe(
      'tls-cert-host-mismatch',
    );
  });

  it('SMTP: 5.7.139 (SMTP AUTH off for the tenant) and a plain 535 on the outgoing screen', () => {
    expect(
      explained('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', {
        direction: 'outgoing',
      })?.id,
    ).toBe('smtp-auth-disabled-tenant');
    expect(explained('535 Authentication failed', { direction: 'outgoing' })?.id).toBe('token-rejected');
  });

  it('success is not a problem; an unrecognised failure is still explained, never silent', () => {
    expect(explainPageStatus('Connection successful. Mails fetched.').kind).toBe('ok');
    expect(explained('Mail fetching failed with error code 17')?.id).toBe('unknown');
  });
});

describe('the port the page shows decides the security mode, not a guess', () => {
  it('a timeout on IMAP 143 is a timeout; an SSL message error on 993 is the wrong mode', () => {
    expect(
      explained('java.net.SocketTimeoutException: connect timed out', { host: 'outlook.office365.com', port: 143 })?.id,
    ).toBe('connection-timeout');
    expect(
      explained('javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?', {
        host: 'mail.contoso.test',
        port: 993,
      })?.id,
    ).toBe('tls-wrong-mode');
  });
});
