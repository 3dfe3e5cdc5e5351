import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { explainPageStatus, mailHosting } from '../../lib/assist-messages';
import { messageFor, readReply } from '../../lib/message-contract';
import { explainPageStatus as explainStatus } from '../../lib/page-status';

const SILENT = 'nobody answered';

describe("issue-11's assistant messages as definitions", () => {
  it('mail-hosting takes one to 50 domain names, lower-cased, and refuses anything else', () => {
    const ok = z.safeParse(mailHosting.request, messageFor(mailHosting, { domains: [' Contoso.COM '] }));
    expect(ok.success && ok.data.domains).toEqual(['contoso.com']);
    const tooMany = Array.from({ length: 51 }, (_, i) => `d${i}.com`);
    for (const domains of [[], ['not a domain'], ['contoso.com/x'], tooMany]) {
      expect(z.safeParse(mailHosting.request, { kind: 'mail-hosting', domains }).success).toBe(false);
    }
  });

  it("mail-hosting's reply is the companion's results, nothing more", () => {
    const exchanges = ['contoso-com.mail.protection.outlook.com'];
    const results = [{ domain: 'contoso.com', hosting: 'microsoft365', exchanges }];
    expect(readReply(mailHosting, { ok: true, data: { results } }, SILENT)).toEqual({ ok: true, data: { results } });
    const foreign = { results: [{ domain: 'x', hosting: 'azure', exchanges }] };
    expect(readReply(mailHosting, { ok: true, data: foreign }, SILENT).ok).toBe(false);
  });

  it('explain-page-status checks host and port, and accepts what the worker answers for page words', () => {
    const base = { kind: 'explain-page-status', text: 'AUTHENTICATE failed' };
    expect(z.safeParse(explainPageStatus.request, { ...base, host: 'Outlook.Office365.com', port: 993 }).success).toBe(
      true,
    );
    expect(z.safeParse(explainPageStatus.request, { ...base, host: 'evil host/' }).success).toBe(false);
    expect(z.safeParse(explainPageStatus.request, { ...base, port: 70_000 }).success).toBe(false);
    expect(z.safeParse(explainPageStatus.request, { ...base, text: '  ' }).success).toBe(false);
    for (const text of ['javax.mail.AuthenticationFailedException: AUTHENTICATE failed.', 'Connection successful']) {
      const answer = { ok: true, data: explainStatus(text, { direction: 'incoming', host: 'outlook.office365.com' }) };
      expect(readReply(explainPageStatus, answer, SILENT).ok).toBe(true);
    }
  });
});
