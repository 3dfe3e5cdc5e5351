/**
 * What happened in a mailbox while the helpdesk could not reach it: the messages that arrived in INBOX
 * during the outage window (so the admin can check the helpdesk took them in once it reconnected) and
 * the messages in the Sent folder from that window (what went out, and from where).
 *
 * Read-only: folders are opened with EXAMINE, nothing is flagged as seen.
 */
import type { FetchMessageObject, ImapFlow, MessageAddressObject } from 'imapflow';
import type { MessageSummary, OutageReport, VerifyTarget } from '../../../lib/verification';
import type { ConnectOptions } from './connect';
import { closeQuietly, logoutQuietly, openImapSession } from './imap-session';

export interface OutageWindow {
  from: Date;
  to: Date;
}

export interface OutageReportOptions extends ConnectOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Most messages listed per folder (default 500); `truncated` tells when there were more. */
  limit?: number;
}

const DAY_MS = 86_400_000;

function addresses(list: MessageAddressObject[] | undefined): string {
  return (list ?? []).map((a) => (a.name ? `${a.name} <${a.address ?? ''}>` : (a.address ?? ''))).join(', ');
}

function summary(msg: FetchMessageObject, withRecipients: boolean): MessageSummary {
  const date = msg.internalDate instanceof Date ? msg.internalDate : new Date(String(msg.internalDate));
  return {
    date: date.toISOString(),
    from: addresses(msg.envelope?.from),
    ...(withRecipients ? { to: addresses([...(msg.envelope?.to ?? []), ...(msg.envelope?.cc ?? [])]) } : {}),
    subject: msg.envelope?.subject ?? '',
    ...(msg.envelope?.messageId ? { messageId: msg.envelope.messageId } : {}),
  };
}

/** Messages whose INTERNALDATE (arrival, or filing time in Sent) falls inside the window, oldest first. */
export async function messagesInWindow(
  client: ImapFlow,
  path: string,
  window: OutageWindow,
  options: { limit: number; withRecipients: boolean },
): Promise<{ messages: MessageSummary[]; truncated: boolean }> {
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    // SEARCH SINCE/BEFORE are whole days in the server's time zone: widen by a day, then filter exactly.
    const uids = await client.search(
      { since: new Date(window.from.getTime() - DAY_MS), before: new Date(window.to.getTime() + 2 * DAY_MS) },
      { uid: true },
    );
    if (!uids || uids.length === 0) return { messages: [], truncated: false };
    // INTERNALDATE has whole seconds: a message taken in during the window's first second carries a time
    // just before `from`, so the window starts at that whole second.
    const fromMs = Math.floor(window.from.getTime() / 1000) * 1000;
    const found: MessageSummary[] = [];
    for await (const msg of client.fetch(uids, { uid: true, envelope: true, internalDate: true }, { uid: true })) {
      const at = msg.internalDate instanceof Date ? msg.internalDate.getTime() : Date.parse(String(msg.internalDate));
      if (at >= fromMs && at <= window.to.getTime()) found.push(summary(msg, options.withRecipients));
    }
    found.sort((a, b) => a.date.localeCompare(b.date));
    return { messages: found.slice(0, options.limit), truncated: found.length > options.limit };
  } finally {
    lock.release();
  }
}

export async function outageReport(
  target: Pick<VerifyTarget, 'address' | 'imap' | 'auth'>,
  window: OutageWindow,
  options: OutageReportOptions = {},
): Promise<OutageReport> {
  if (!(window.from.getTime() <= window.to.getTime())) {
    throw new Error('The outage window must start before it ends.');
  }
  const limit = options.limit ?? 500;
  const client = await openImapSession(
    target.imap,
    { user: target.address, accessToken: target.auth.accessToken },
    options,
  );
  const onAbort = () => closeQuietly(client);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const received = await messagesInWindow(client, 'INBOX', window, { limit, withRecipients: false });
    const folders = await client.list();
    const sentFolder = folders.find((f) => f.specialUse === '\\Sent')?.path;
    const sent = sentFolder
      ? await messagesInWindow(client, sentFolder, window, { limit, withRecipients: true })
      : { messages: [], truncated: false };
    return {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      received: received.messages,
      ...(sentFolder ? { sentFolder } : {}),
      sent: sent.messages,
      truncated: received.truncated || sent.truncated,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await logoutQuietly(client);
  }
}
