/**
 * The outage report and the folder list against real Dovecot: messages delivered (LMTP) inside a window
 * are listed, those before it are not; the Sent folder is found by its \Sent flag; folders carry their
 * special-use flags and the suggested mapping follows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxFolders, suggestFolderMapping } from '../../companion/src/verify/folders';
import { logoutQuietly, openImapSession } from '../../companion/src/verify/imap-session';
import { outageReport } from '../../companion/src/verify/outage-report';
import { outageReportSchema } from '../../lib/verification';
import { ACCOUNTS, startMailStack, type MailStack } from '../stack';
import { microsoftTarget, resolveRulesFor } from './verify-support';

let stack: MailStack;
beforeAll(async () => {
  stack = await startMailStack();
});
afterAll(async () => {
  await stack?.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
function raw(from: string, to: string, subject: string): string {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W/g, '')}@test>`,
    `Date: ${new Date().toUTCString()}`,
    '',
    'body',
    '',
  ].join('\r\n');
}

describe('outage report', () => {
  it('lists what arrived in INBOX and what was filed in Sent during the window, nothing outside it', async () => {
    const address = ACCOUNTS.support.email;
    const target = await microsoftTarget(stack, address);
    const options = { resolve: resolveRulesFor(stack), extraCaPem: stack.ca };

    await stack.imap.deliver(address, raw('customer0@example.com', address, 'Before the outage'));
    await pause(1100); // INTERNALDATE has whole seconds
    const from = new Date();
    await stack.imap.deliver(address, raw('customer1@example.com', address, 'During outage one'));
    await stack.imap.deliver(address, raw('customer2@example.com', address, 'During outage two'));
    const folders = await mailboxFolders(target, options);
    const sentPath = folders.mapping.sent!.path;
    const client = await openImapSession(target.imap, { user: address, accessToken: target.auth.accessToken }, options);
    await client.append(sentPath, raw(address, 'customer1@example.com', 'Re: During outage one'), ['\\Seen']);
    await logoutQuietly(client);
    await pause(1100);
    const to = new Date();
    await pause(1100);
    await stack.imap.deliver(address, raw('customer3@example.com', address, 'After the outage'));

    const report = await outageReport(target, { from, to }, options);
    outageReportSchema.parse(report);
    expect(report.received.map((m) => m.subject)).toEqual(['During outage one', 'During outage two']);
    expect(report.received[0]!.from).toContain('customer1@example.com');
    expect(report.sentFolder).toBe(sentPath);
    expect(report.sent.map((m) => m.subject)).toEqual(['Re: During outage one']);
    expect(report.sent[0]!.to).toContain('customer1@example.com');
    expect(report.truncated).toBe(false);
  });

  it('refuses a window that ends before it starts', async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    await expect(outageReport(target, { from: new Date(), to: new Date(Date.now() - 1000) })).rejects.toThrow(/window/);
  });
});

describe('folders', () => {
  it("lists folders with the server's special-use flags and maps each role to its flagged folder", async () => {
    const target = await microsoftTarget(stack, ACCOUNTS.support.email);
    const { folders, mapping } = await mailboxFolders(target, {
      resolve: resolveRulesFor(stack),
      extraCaPem: stack.ca,
    });
    const flagged = Object.fromEntries(folders.filter((f) => f.specialUse).map((f) => [f.specialUse!, f]));
    for (const use of ['\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive'] as const) {
      expect(flagged[use], use).toBeDefined();
      expect(flagged[use]!.specialUseFrom).toBe('server');
      expect(flagged[use]!.flags).toContain(use);
    }
    expect(mapping.inbox?.path).toBe('INBOX');
    expect(mapping.sent).toEqual({ path: flagged['\\Sent']!.path, reason: 'special-use' });
    expect(mapping.junk?.path).toBe(flagged['\\Junk']!.path);
    expect(mapping.archive?.path).toBe(flagged['\\Archive']!.path);
  });
});

describe('folder mapping without SPECIAL-USE', () => {
  it("falls back to well-known names, and a server's flag beats a name", () => {
    const mapping = suggestFolderMapping([
      { path: 'INBOX', name: 'INBOX', flags: [] },
      { path: 'Sent Items', name: 'Sent Items', specialUse: '\\Sent', specialUseFrom: 'name', flags: [] },
      {
        path: 'Outbox copies',
        name: 'Outbox copies',
        specialUse: '\\Sent',
        specialUseFrom: 'server',
        flags: ['\\Sent'],
      },
      { path: 'Deleted Items', name: 'Deleted Items', specialUse: '\\Trash', specialUseFrom: 'name', flags: [] },
    ]);
    expect(mapping.sent).toEqual({ path: 'Outbox copies', reason: 'special-use' });
    expect(mapping.trash).toEqual({ path: 'Deleted Items', reason: 'name' });
    expect(mapping.junk).toBeUndefined();
  });
});
