/** What the verification needs from a stored mailbox: servers, user and a fresh access token. */
import type { VerifyTarget } from '../../lib/verification';
import type { MailboxRecord, StoredTokens } from './store/mailbox-store';

export function targetFor(
  record: MailboxRecord,
  tokens: StoredTokens,
  options: { roundTrip?: boolean; sampleMail?: boolean } = {},
): VerifyTarget {
  return {
    address: record.address,
    imap: record.imap,
    smtp: record.smtp,
    provider: record.provider,
    auth: { user: record.account, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt },
    ...(options.roundTrip !== undefined ? { roundTrip: options.roundTrip } : {}),
    ...(options.sampleMail !== undefined ? { sampleMail: options.sampleMail } : {}),
  };
}
