/**
 * Mail servers' reply lines as the providers' public documentation and admins' published troubleshooting
 * guides print them, not as we would write them: the diagnosis is tested against these, and the test SMTP
 * server answers with them (tests/stack/smtp.ts). Each names where it was read.
 */

export interface DocumentedReply {
  /** The reply line, status code first, exactly as published. */
  line: string;
  /** Where the text was published. */
  source: string;
}

const M365_SMTP_TROUBLESHOOTING = 'https://docs.bookyourpto.com/features/smtp-troubleshoot';

export const MICROSOFT_SMTP = {
  /** Exchange Online with SMTP AUTH turned off for the organisation. */
  authDisabledForTenant: {
    line: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    source: M365_SMTP_TROUBLESHOOTING,
  },
  /** The same code when Entra ID security defaults block the sign-in: not the SMTP AUTH switch at all. */
  securityDefaults: {
    line: "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.",
    source: M365_SMTP_TROUBLESHOOTING,
  },
  /** The same code when a policy (Conditional Access, the mailbox's own setting) refuses the sign-in. */
  criteriaNotMet: {
    line:
      '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated ' +
      'successfully.',
    source: M365_SMTP_TROUBLESHOOTING,
  },
  /** A refused sign-in with no reason given. */
  authenticationUnsuccessful: {
    line: '535 5.7.3 Authentication unsuccessful',
    source:
      'https://emailwarmup.com/blog/email-errors/how-to-fix-535-5-7-3-authentication-unsuccessful-office-365-oauth',
  },
  /** Mail submitted without a successful AUTH. */
  clientNotAuthenticated: {
    line: '530 5.7.57 Client not authenticated to send mail.',
    source: M365_SMTP_TROUBLESHOOTING,
  },
} as const satisfies Record<string, DocumentedReply>;

export const GOOGLE_XOAUTH2 = {
  /**
   * Gmail's SASL XOAUTH2 error challenge: base64 of {"status":"401","schemes":"bearer mac",
   * "scope":"https://mail.google.com/"} followed by a newline. The client answers it with an empty line and
   * then gets the final failure.
   */
  errorChallenge: {
    line:
      '334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIG1hYyIsInNjb3BlIjoiaHR0cHM6Ly9t' + 'YWlsLmdvb2dsZS5jb20vIn0K',
    source: 'https://developers.google.com/workspace/gmail/imap/xoauth2-protocol',
  },
} as const satisfies Record<string, DocumentedReply>;

/** The reply's text after its status code, as an SMTP server library takes it. */
export function replyText(reply: DocumentedReply): string {
  return reply.line.slice(4);
}
