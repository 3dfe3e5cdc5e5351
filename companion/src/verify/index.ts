/**
 * The companion's mail protocol work behind the MailChecker interface (companion/src/mail-checker.ts):
 * the HTTP routes and the monitor get one object configured with the network knobs (resolve rules, extra
 * CA, time limits) and never see imapflow or nodemailer.
 */
import type { MailChecker } from '../mail-checker';
import type { ConnectOptions } from './connect';
import { mailboxFolders } from './folders';
import { outageReport } from './outage-report';
import { verifyMailbox } from './verify-mailbox';

export interface MailCheckerOptions extends ConnectOptions {
  /** Limit per verification step (default 15 s). */
  timeoutMs?: number;
  roundTripWaitMs?: number;
}

export function createMailChecker(options: MailCheckerOptions = {}): MailChecker {
  return {
    verify: (target, { onStep, signal } = {}) =>
      verifyMailbox(target, { ...options, ...(onStep ? { onStep } : {}), ...(signal ? { signal } : {}) }),
    outageReport: (target, window, signal) =>
      outageReport(target, window, { ...options, ...(signal ? { signal } : {}) }),
    folders: (target, signal) => mailboxFolders(target, { ...options, ...(signal ? { signal } : {}) }),
  };
}

export { verifyMailbox, type VerifyOptions } from './verify-mailbox';
export { verifyMany, type VerifyManyOptions } from './pool';
export { outageReport, type OutageWindow } from './outage-report';
export { listFolders, mailboxFolders, suggestFolderMapping } from './folders';
export { openImapSession, logoutQuietly } from './imap-session';
