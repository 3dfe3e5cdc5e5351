import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { bannerHelp } from '../../lib/banner-help';
import { intentArmed, readBannerHelp, readContentRequest, readMarkDetails } from '../../lib/content-messages';
import { reauthIntent } from '../../lib/helpdesk-picker-messages';
import { markDetails } from '../../lib/mark-details';
import { contentRequestSchema } from '../../lib/messages';
import { bannerHelpRequest, markDetailsRequest } from '../../lib/page-help-messages';

// The content script checks the worker's messages by hand (no zod in its bundle): each check must accept
// exactly what the worker's zod definition accepts, and read it the same way.
const REQUESTS: unknown[] = [
  { kind: 'rescan' },
  { kind: 'reveal-in-page', address: ' Billing@Acme.com ' },
  { kind: 'reveal-in-page', address: 'support@acme.co.uk' },
  null,
  undefined,
  'rescan',
  ['rescan'],
  { kind: 'rescan', extra: 1 },
  { kind: 'reveal-in-page' },
  { kind: 'reveal-in-page', address: 'nope' },
  { kind: 'reveal-in-page', address: 'a b@acme.com' },
  { kind: 'reveal-in-page', address: 'a/b@acme.com' },
  { kind: 'reveal-in-page', address: `${'a'.repeat(320)}@acme.com` },
  { kind: 'reveal-in-page', address: `  ${'a'.repeat(311)}@acme.com  ` },
  { kind: 'reveal-in-page', address: 7 },
  { kind: 'reveal-in-page', address: 'x@acme.com', tabId: 1 },
  { kind: 'page-report' },
  { kind: 'reauth-mark-notice', address: 'x@acme.com' },
];

const REPLIES: unknown[] = [
  { ok: true, data: { armed: true, address: 'x@acme.com' } },
  { ok: true, data: { armed: false, reason: 'disabled' } },
  { ok: true, data: { armed: true } },
  { ok: true, data: { armed: true, address: 'x@acme.com', token: 't' } },
  { ok: true, data: { armed: 'true', address: 'x@acme.com' } },
  { ok: true, data: null },
  { ok: false, error: 'No.' },
  { data: { armed: true, address: 'x@acme.com' } },
  undefined,
  'armed',
];

describe("the content script's checks of the worker's messages", () => {
  it.each(REQUESTS.map((m) => [m]))('read a request as contentRequestSchema does: %j', (message) => {
    const parsed = z.safeParse(contentRequestSchema, message);
    expect(readContentRequest(message)).toEqual(parsed.success ? parsed.data : null);
  });

  it('read both request kinds, the address trimmed and lower-cased', () => {
    expect(readContentRequest({ kind: 'rescan' })).toEqual({ kind: 'rescan' });
    expect(readContentRequest({ kind: 'reveal-in-page', address: ' Billing@Acme.com ' })).toEqual({
      kind: 'reveal-in-page',
      address: 'billing@acme.com',
    });
  });

  it.each(REPLIES.map((m) => [m]))('read the reply to an intent as reauthIntent.reply does: %j', (answer) => {
    const a = answer as { ok?: unknown; data?: unknown } | undefined;
    const parsed = a?.ok === true ? z.safeParse(reauthIntent.reply, a.data) : null;
    expect(intentArmed(answer)).toBe(parsed?.success === true && parsed.data.armed === true);
  });
});

const DETAILS = markDetails({
  scenario: 'microsoft-oauth-expired',
  primaryOfMany: true,
  manyMailboxes: true,
  control: null,
});
const HELP = bannerHelp();
const MARK_REPLIES: unknown[] = [
  DETAILS,
  { ...DETAILS, press: 'Press it.' },
  { ...DETAILS, press: undefined },
  { ...DETAILS, extra: 1 },
  { ...DETAILS, steps: ['x'.repeat(1001)] },
  { ...DETAILS, notes: Array.from({ length: 31 }, () => 'n') },
  { ...DETAILS, cause: 3 },
  { ...DETAILS, primaryLabel: null },
  null,
  [],
];
const BANNER_REPLIES: unknown[] = [
  HELP,
  { ...HELP, ips: [] },
  { ...HELP, ports: { title: 'Ports', lines: 'not a list' } },
  { ...HELP, stillShowing: { title: 'T', steps: [], extra: true } },
  { ...HELP, keepsDropping: { text: 'no title' } },
  { ...HELP, retryPolicy: null },
  { ...HELP, retryPolicy: { title: 'Retries', text: 'x'.repeat(1001) } },
  { ...HELP, ipCopy: { label: 'Copy', copied: 'Copied' } },
  'help',
];

describe("the content script's checks of an opened mark's and the banner's words", () => {
  it.each(MARK_REPLIES.map((m) => [m]))('read as markDetailsRequest.reply does: %j', (data) => {
    const parsed = z.safeParse(markDetailsRequest.reply, data);
    expect(readMarkDetails(data)).toEqual(parsed.success ? parsed.data : null);
  });

  it.each(BANNER_REPLIES.map((m) => [m]))('read as bannerHelpRequest.reply does: %j', (data) => {
    const parsed = z.safeParse(bannerHelpRequest.reply, data);
    expect(readBannerHelp(data)).toEqual(parsed.success ? parsed.data : null);
  });
});
