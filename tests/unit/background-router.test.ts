import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineMessage } from '../../lib/message-contract';
import type { Runtime } from 'webextension-polyfill';
import { MessageRouter, UserFacingError } from '../../entrypoints/background/router';
import { pageReport } from '../../lib/messages';

const echo = defineMessage('echo', { text: z.string().max(5) }, z.string());

const self = {
  id: 'bjbknmdlnppncpgpkampigklkbmnehfg',
  baseUrl: 'chrome-extension://bjbknmdlnppncpgpkampigklkbmnehfg/',
};
const popup: Runtime.MessageSender = { id: self.id, url: `${self.baseUrl}popup.html` };
const popupInTab: Runtime.MessageSender = { ...popup, tab: { id: 9 } as Runtime.MessageSender['tab'] };
const contentScript: Runtime.MessageSender = {
  id: self.id,
  url: 'https://acme.freshdesk.com/a/admin/email',
  frameId: 0,
  tab: { id: 4, url: 'https://acme.freshdesk.com/a/admin/email' } as Runtime.MessageSender['tab'],
};
const report = {
  kind: 'page-report',
  helpdesk: 'freshdesk',
  url: 'https://acme.freshdesk.com/a/admin/email',
  bannerPresent: true,
  mailboxes: [
    {
      address: 'Billing@Acme.com',
      state: 'needs-reauth',
      scenario: 'password-expired',
      primary: false,
      statusText: 'Reauthorization required',
    },
  ],
};

function routerWithSpies() {
  const router = new MessageRouter(self);
  const received: unknown[] = [];
  router.register({ message: pageReport, from: 'content-script', handle: (m) => void received.push(m) });
  router.register({
    message: echo,
    from: 'extension-page',
    handle: (m) => {
      received.push(m);
      if (m.text === 'boom') throw new UserFacingError('Boom: do the next step.');
      if (m.text === 'oops') throw new Error('secret detail');
      return m.text.toUpperCase();
    },
  });
  return { router, received };
}

describe('message router', () => {
  it('hands a valid content-script report to its handler, parsed (addresses lower-cased)', async () => {
    const { router, received } = routerWithSpies();
    expect(await router.dispatch(report, contentScript)).toEqual({ ok: true, data: null });
    expect(received).toHaveLength(1);
    expect((received[0] as typeof report).mailboxes[0]!.address).toBe('billing@acme.com');
  });

  it('answers extension pages, in a popup or opened as a tab', async () => {
    const { router } = routerWithSpies();
    expect(await router.dispatch({ kind: 'echo', text: 'hi' }, popup)).toEqual({ ok: true, data: 'HI' });
    expect(await router.dispatch({ kind: 'echo', text: 'hi' }, popupInTab)).toEqual({ ok: true, data: 'HI' });
  });

  it.each([
    ['a page report from the popup', report, popup, /only the content script/],
    [
      'a popup request from a content script',
      { kind: 'echo', text: 'hi' },
      contentScript,
      /only the extension's own pages/,
    ],
    [
      'a message from another extension',
      { kind: 'echo', text: 'hi' },
      { ...popup, id: 'otherextension' },
      /did not come from this extension/,
    ],
    ['a report from a sub-frame', report, { ...contentScript, frameId: 3 }, /top frame/],
    ['a report with no tab', report, { id: self.id, url: 'https://acme.freshdesk.com/' }, /only the content script/],
    ['an unknown kind', { kind: 'delete-everything' }, popup, /unknown kind "delete-everything"/],
    ['no kind at all', { text: 'hi' }, popup, /without a "kind"/],
    ['not an object', 'page-report', contentScript, /without a "kind"/],
    ['an extra field', { kind: 'echo', text: 'hi', admin: true }, popup, /Rejected "echo": .*admin/],
    ['a field too long', { kind: 'echo', text: 'toolong' }, popup, /Rejected "echo": text/],
    [
      'a report with a bad address',
      { ...report, mailboxes: [{ ...report.mailboxes[0], address: 'nobody' }] },
      contentScript,
      /mailboxes\.0\.address: not an email address/,
    ],
    [
      'a report with an unknown scenario',
      { ...report, mailboxes: [{ ...report.mailboxes[0], scenario: 'made-up' }] },
      contentScript,
      /scenario/,
    ],
  ])('rejects %s with a clear error and never calls a handler', async (_name, message, sender, error) => {
    const { router, received } = routerWithSpies();
    const reply = await router.dispatch(message, sender as Runtime.MessageSender);
    expect(reply.ok).toBe(false);
    expect(reply.ok ? '' : reply.error).toMatch(error);
    expect(received).toEqual([]);
  });

  it('passes admin-facing handler errors through and hides unexpected ones', async () => {
    const { router } = routerWithSpies();
    expect(await router.dispatch({ kind: 'echo', text: 'boom' }, popup)).toEqual({
      ok: false,
      error: 'Boom: do the next step.',
    });
    const hidden = await router.dispatch({ kind: 'echo', text: 'oops' }, popup);
    expect(hidden.ok).toBe(false);
    expect(hidden.ok ? '' : hidden.error).not.toContain('secret detail');
  });

  it('refuses two handlers for one kind', () => {
    const { router } = routerWithSpies();
    expect(() => router.register({ message: echo, from: 'extension-page', handle: () => 'again' })).toThrow(
      /Two handlers/,
    );
  });
});
