/**
 * The diagnosis read against providers' reply lines as published (tests/support/provider-replies.ts), in the
 * error shape nodemailer gives them: a matcher written from our own copy of a reply could only ever agree
 * with itself.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnosisContext, type DiagnosisId } from '../../lib/diagnosis';
import { GOOGLE_XOAUTH2, MICROSOFT_SMTP, type DocumentedReply } from '../support/provider-replies';

/** nodemailer's failed AUTH (smtp-connection _formatError). */
function smtpAuthFailure({ line }: DocumentedReply) {
  return Object.assign(new Error(`Invalid login: ${line}`), {
    code: 'EAUTH',
    response: line,
    responseCode: Number(line.slice(0, 3)),
    command: 'AUTH XOAUTH2',
  });
}

const microsoft: DiagnosisContext = {
  provider: 'microsoft',
  address: 'support@contoso.com',
  authUser: 'support@contoso.com',
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
  tokenAccepted: true,
};

describe('Microsoft 365 SMTP replies as published', () => {
  it.each<[string, DocumentedReply, DiagnosisId]>([
    ['SMTP AUTH off for the organisation', MICROSOFT_SMTP.authDisabledForTenant, 'smtp-auth-disabled-tenant'],
    // Same 5.7.139, other causes: telling the admin to turn on SMTP AUTH would send them the wrong way.
    ['security defaults', MICROSOFT_SMTP.securityDefaults, 'smtp-auth-rejected'],
    ['a policy that refuses the sign-in', MICROSOFT_SMTP.criteriaNotMet, 'smtp-auth-rejected'],
    ['a refusal without reason, from a delegate', MICROSOFT_SMTP.authenticationUnsuccessful, 'smtp-auth-rejected'],
  ])('%s', (_, reply, expected) => {
    const ctx =
      reply === MICROSOFT_SMTP.authenticationUnsuccessful ? { ...microsoft, authUser: 'it@contoso.com' } : microsoft;
    expect(diagnose('smtp-auth', smtpAuthFailure(reply), ctx)).toBe(expected);
  });

  it('a refusal without reason for the mailbox itself is the shared-mailbox case', () => {
    expect(diagnose('smtp-auth', smtpAuthFailure(MICROSOFT_SMTP.authenticationUnsuccessful), microsoft)).toBe(
      'smtp-shared-mailbox',
    );
  });

  it('mail sent without a successful sign-in', () => {
    const failure = Object.assign(smtpAuthFailure(MICROSOFT_SMTP.clientNotAuthenticated), { code: 'EENVELOPE' });
    expect(diagnose('round-trip', failure, microsoft)).toBe('smtp-not-authenticated');
  });
});

describe("Gmail's XOAUTH2 error challenge as published", () => {
  it('is a refused token when no other server accepted it, and an SMTP refusal when IMAP did', () => {
    const gmail: DiagnosisContext = {
      provider: 'google',
      address: 'support@example.com',
      smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    };
    const failure = smtpAuthFailure(GOOGLE_XOAUTH2.errorChallenge);
    expect(diagnose('smtp-auth', failure, gmail)).toBe('token-rejected');
    expect(diagnose('smtp-auth', failure, { ...gmail, tokenAccepted: true })).toBe('smtp-auth-rejected');
  });
});
